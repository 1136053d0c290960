import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Doc } from '../doc.js';
import { silentLogger } from '../../common/index.js';
import { Stats } from '../stats.js';
import { createJsonlSource } from './jsonl-source.js';

async function scan(path: string): Promise<{ docs: Doc[]; stats: Stats }> {
  const stats = new Stats();
  const docs: Doc[] = [];
  for await (const d of createJsonlSource({ path }).scan({ stats: stats.stage('source'), logger: silentLogger })) docs.push(d);
  return { docs, stats };
}

const LINES = [
  JSON.stringify({ url: 'https://a.example/1', html: '<p>one</p>' }),
  '{"url": "https://a.example/broken", "html": ',
  JSON.stringify({ html: '<p>no url</p>' }),
  '',
  JSON.stringify({ url: 'https://www.b.example/2', text: 'plain text', fetched_at: '2025-05-01T10:00:00Z' }),
  JSON.stringify(['not', 'an', 'object']),
  JSON.stringify({ url: 'https://a.example/3' }),
];

describe('JSONL source', () => {
  it('reads {url, html} and {url, text} records and skips each malformed line with a counted reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jsonl-'));
    const path = join(dir, 'pages.jsonl');
    writeFileSync(path, LINES.join('\n') + '\n');
    const { docs, stats } = await scan(path);
    expect(docs.map((d) => d.url)).toEqual(['https://a.example/1', 'https://www.b.example/2']);
    expect(docs[0]).toMatchObject({ html: '<p>one</p>', text: '', domain: 'a.example' });
    expect(docs[1]).toMatchObject({ text: 'plain text', domain: 'b.example', fetchedAt: '2025-05-01T10:00:00.000Z' });
    expect(docs[1]?.html).toBeUndefined();
    expect(stats.toJSON().counters.source).toMatchObject({
      read: 2,
      skipped_invalid_json: 1,
      skipped_missing_url: 1,
      skipped_not_an_object: 1,
      skipped_missing_html_or_text: 1,
    });
  });

  it('reads gzipped JSONL and gives the same ids on a second read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jsonl-'));
    const path = join(dir, 'pages.jsonl.gz');
    writeFileSync(path, gzipSync(LINES.join('\n')));
    const a = await scan(path);
    const b = await scan(path);
    expect(a.docs).toHaveLength(2);
    expect(a.docs.map((d) => d.id)).toEqual(b.docs.map((d) => d.id));
    expect(new Set(a.docs.map((d) => d.id)).size).toBe(2);
  });
});

describe('readLines', () => {
  it('splits lines across chunk boundaries, inside multi-byte characters too, with CRLF and no final newline', async () => {
    const { Readable } = await import('node:stream');
    const { readLines } = await import('./jsonl-source.js');
    const bytes = Buffer.from('first café\r\nsecond ☕ line\nthird');
    // Chunks of 3 bytes cut "é" and "☕" in the middle.
    const chunks = Array.from({ length: Math.ceil(bytes.length / 3) }, (_, i) => bytes.subarray(i * 3, i * 3 + 3));
    const lines: unknown[] = [];
    for await (const l of readLines(Readable.from(chunks))) lines.push(l);
    expect(lines).toEqual(['first café', 'second ☕ line', 'third']);
  });
});

describe('readLines with a size limit', () => {
  it('turns lines over the limit into OversizedLine, across chunks and at the end, and keeps a line exactly at the limit', async () => {
    const { Readable } = await import('node:stream');
    const { OversizedLine, readLines } = await import('./jsonl-source.js');
    const text = 'short\n' + 'x'.repeat(25) + '\n' + 'y'.repeat(10) + '\r\nlast-one-too-long';
    const bytes = Buffer.from(text);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 4) }, (_, i) => bytes.subarray(i * 4, i * 4 + 4));
    const lines: unknown[] = [];
    for await (const l of readLines(Readable.from(chunks), 11)) lines.push(l instanceof OversizedLine ? { oversized: l.bytes } : l);
    // The CR of a CRLF counts towards the line's bytes: 10 + 1 = 11 is at the limit.
    expect(lines).toEqual(['short', { oversized: 25 }, 'y'.repeat(10), { oversized: 17 }]);
  });
});

describe('JSONL source, broken gzip', () => {
  it('keeps the lines before the point where a gzipped file is cut off or corrupt, and counts it instead of failing the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jsonl-'));
    const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ url: `https://a.example/${i}`, text: randomBytes(300).toString('base64') }));
    const gz = gzipSync(lines.join('\n') + '\n');
    const cut = join(dir, 'cut.jsonl.gz');
    writeFileSync(cut, gz.subarray(0, gz.length / 2));
    const corrupt = join(dir, 'corrupt.jsonl.gz');
    writeFileSync(corrupt, Buffer.concat([gz.subarray(0, gz.length / 2), randomBytes(4096), gz.subarray(gz.length / 2)]));
    for (const path of [cut, corrupt]) {
      const { docs, stats } = await scan(path);
      expect(docs.length, path).toBeGreaterThan(50);
      expect(docs.length, path).toBeLessThan(400);
      expect(docs.map((d) => d.url)).toEqual(lines.slice(0, docs.length).map((l) => (JSON.parse(l) as { url: string }).url));
      expect(stats.get('source', 'skipped_corrupt_gzip'), path).toBe(1);
    }
  });
});

describe('JSONL source, stopped early', () => {
  for (const gzip of [false, true]) {
    it(`closes its file when the consumer stops after the first document${gzip ? ' (gzipped)' : ''}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'jsonl-'));
      const path = join(dir, gzip ? 'pages.jsonl.gz' : 'pages.jsonl');
      // Random text: the file stays larger than one read, so stopping early leaves it mid-way.
      const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ url: `https://a.example/${i}`, text: randomBytes(8 * 1024).toString('base64') }));
      const body = Buffer.from(lines.join('\n') + '\n');
      writeFileSync(path, gzip ? gzipSync(body) : body);
      for await (const d of createJsonlSource({ path }).scan({ stats: new Stats().stage('source'), logger: silentLogger })) {
        expect(d.url).toBe('https://a.example/0');
        break;
      }
      const open = readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === path;
        } catch {
          return false;
        }
      });
      expect(open).toEqual([]);
    });
  }
});
