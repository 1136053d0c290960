import { mkdtempSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WARCParser, WARCRecord, WARCSerializer } from 'warcio';
import type { Doc } from '../doc.js';
import { PipelineError } from '../errors.js';
import { silentLogger } from '../../common/index.js';
import { Stats } from '../stats.js';
import { createWarcSource, limitReaderOf } from './warc-source.js';

/** Descriptors this process holds open on `path`. */
function openDescriptors(path: string): string[] {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  });
}

/** Response records enough to fill `bytes`, so a reader stopped early has not reached the end. */
async function manyRecords(bytes: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part = await record(`https://a.example/${i}`, `<html><p>page ${i} ${'lorem ipsum '.repeat(2000)}</p></html>`, { gzip: false });
    parts.push(part);
    size += part.length;
  }
  return Buffer.concat(parts);
}

async function record(url: string, body: string | Uint8Array, opts: { status?: string; type?: string; gzip?: boolean } = {}): Promise<Uint8Array> {
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
  return WARCSerializer.serialize(rec, { gzip: opts.gzip ?? true });
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

  it('closes its file when it stops at a corrupt record in the middle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warc-'));
    const path = join(dir, 'corrupt.warc');
    const garbage = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789\r\n\r\n${'x'.repeat(1 << 20)}`);
    writeFileSync(path, Buffer.concat([await record('https://a.example/ok', '<p>ok</p>', { gzip: false }), garbage]));
    const { docs, stats } = await scan(path);
    expect(docs).toHaveLength(1);
    expect(stats.get('source', 'skipped_corrupt_record')).toBe(1);
    expect(openDescriptors(path)).toEqual([]);
  });

  it('closes its file when the consumer stops after the first document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warc-'));
    const path = join(dir, 'many.warc');
    writeFileSync(path, await manyRecords(1 << 20));
    const stats = new Stats();
    for await (const d of createWarcSource({ path }).scan({ stats: stats.stage('source'), logger: silentLogger })) {
      expect(d.url).toBe('https://a.example/0');
      break;
    }
    expect(openDescriptors(path)).toEqual([]);
  });

  it('reads the unread length of a record through warcio internals it checks, failing loudly with the warcio version when they are missing', async () => {
    const bytes = await record('https://a.example/one', '<p>one</p>');
    const parser = new WARCParser([bytes]);
    const parsed = await parser.parse();
    expect(parsed).not.toBeNull();
    expect(limitReaderOf(parsed as WARCRecord).limit).toBeGreaterThan(0);
    // A record warcio built without its LimitReader: what a future warcio might hand over.
    const built = WARCRecord.create({ url: 'https://a.example/two', type: 'response' }, [new Uint8Array(3)]);
    let err: unknown;
    try {
      limitReaderOf(built);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as PipelineError).code).toBe('LIBRARY_INCOMPATIBLE');
    expect((err as Error).message).toMatch(/warcio 2\.\d+\.\d+/);
  });
});
