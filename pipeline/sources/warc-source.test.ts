import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WARCRecord, WARCSerializer } from 'warcio';
import type { Doc } from '../doc.js';
import { silentLogger } from '../logger.js';
import { Stats } from '../stats.js';
import { createWarcSource } from './warc-source.js';

async function record(url: string, body: string | Uint8Array, opts: { status?: string; type?: string } = {}): Promise<Uint8Array> {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const rec = WARCRecord.create(
    {
      url,
      date: '2026-02-03T04:05:06Z',
      type: 'response',
      statusline: `HTTP/1.1 ${opts.status ?? '200 OK'}`,
      httpHeaders: { 'Content-Type': opts.type ?? 'text/html; charset=utf-8' },
    },
    (async function* () {
      yield bytes;
    })(),
  );
  return WARCSerializer.serialize(rec, { gzip: true });
}

async function scan(path: string): Promise<{ docs: Doc[]; stats: Stats }> {
  const stats = new Stats();
  const docs: Doc[] = [];
  for await (const d of createWarcSource({ path }).scan({ stats: stats.stage('source'), logger: silentLogger })) docs.push(d);
  return { docs, stats };
}

describe('WARC source', () => {
  it('yields HTML response records and passes over errors and non-HTML payloads, counting them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warc-'));
    const path = join(dir, 'crawl.warc.gz');
    const parts = [
      await record('https://a.example/one', '<html><title>One</title><p>first</p></html>'),
      await record('https://a.example/missing', 'not found', { status: '404 Not Found' }),
      await record('https://a.example/logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]), { type: 'image/png' }),
      await record('https://www.b.example/two', '<html><p>caf\u00e9</p></html>'),
    ];
    writeFileSync(path, Buffer.concat(parts));
    const { docs, stats } = await scan(path);
    expect(docs.map((d) => [d.url, d.domain])).toEqual([
      ['https://a.example/one', 'a.example'],
      ['https://www.b.example/two', 'b.example'],
    ]);
    expect(docs[1]?.html).toContain('café');
    expect(docs[0]?.fetchedAt).toBe('2026-02-03T04:05:06.000Z');
    expect(stats.toJSON().counters.source).toMatchObject({ read: 2, skipped_http_status: 1, skipped_not_html: 1 });
  });

  it('keeps the records before a truncated one and counts the truncation instead of failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warc-'));
    const path = join(dir, 'cut.warc');
    const whole = await WARCSerializer.serialize(
      WARCRecord.create({ url: 'https://a.example/ok', type: 'response', statusline: 'HTTP/1.1 200 OK', httpHeaders: { 'Content-Type': 'text/html' } }, [
        new TextEncoder().encode('<p>ok</p>'),
      ]),
    );
    const big = await WARCSerializer.serialize(
      WARCRecord.create({ url: 'https://a.example/cut', type: 'response', statusline: 'HTTP/1.1 200 OK', httpHeaders: { 'Content-Type': 'text/html' } }, [
        new TextEncoder().encode(`<p>${'x'.repeat(5000)}</p>`),
      ]),
    );
    writeFileSync(path, Buffer.concat([whole, big.subarray(0, big.length / 2)]));
    const { docs, stats } = await scan(path);
    expect(docs.map((d) => d.url)).toEqual(['https://a.example/ok']);
    expect(stats.get('source', 'skipped_truncated_record')).toBe(1);
  });
});
