/**
 * @module JSONL input: one `{"url", "html"}` or `{"url", "text"}` object per line, optionally
 * gzipped. A malformed line is skipped and counted; it never ends the run.
 */
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Doc } from '../doc.js';
import { docId, domainOf } from './doc-id.js';
import type { Source } from './source.js';

/** Reads a `.jsonl` / `.jsonl.gz` / `.ndjson` file. */
export function createJsonlSource(opts: { path: string; now?: () => Date }): Source {
  const { path } = opts;
  const now = opts.now ?? (() => new Date());
  return {
    input: path,
    sizeBytes: statSync(path).size,
    async *scan(ctx) {
      const file = createReadStream(path);
      const stream = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
      let lineNo = 0;
      for await (const line of readLines(stream)) {
        lineNo++;
        if (line.trim() === '') continue;
        let rec: unknown;
        try {
          rec = JSON.parse(line);
        } catch {
          ctx.stats.count('skipped_invalid_json');
          ctx.logger.warn({ input: path, line: lineNo }, 'skipped a line that is not valid JSON');
          continue;
        }
        const doc = toDoc(rec, path, lineNo - 1, now);
        if ('skip' in doc) {
          ctx.stats.count(`skipped_${doc.skip}`);
          ctx.logger.warn({ input: path, line: lineNo, reason: doc.skip }, 'skipped a JSONL record');
          continue;
        }
        ctx.stats.count('read');
        ctx.stats.count('bytes', Buffer.byteLength(line));
        yield doc;
      }
    },
  };
}

function toDoc(rec: unknown, path: string, offset: number, now: () => Date): Doc | { skip: string } {
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return { skip: 'not_an_object' };
  const r = rec as Record<string, unknown>;
  if (typeof r.url !== 'string' || r.url === '') return { skip: 'missing_url' };
  const html = typeof r.html === 'string' ? r.html : undefined;
  const text = typeof r.text === 'string' ? r.text : undefined;
  if (html === undefined && text === undefined) return { skip: 'missing_html_or_text' };
  const fetchedAt = typeof r.fetchedAt === 'string' ? r.fetchedAt : typeof r.fetched_at === 'string' ? r.fetched_at : undefined;
  return {
    id: docId(path, offset, r.url),
    url: r.url,
    domain: domainOf(r.url),
    fetchedAt: fetchedAt && !Number.isNaN(Date.parse(fetchedAt)) ? new Date(fetchedAt).toISOString() : now().toISOString(),
    title: typeof r.title === 'string' ? r.title : '',
    text: html === undefined ? (text ?? '') : '',
    ...(html !== undefined ? { html } : {}),
    source: { kind: 'jsonl', input: path, offset },
  };
}

/**
 * Lines of a stream, pulled chunk by chunk. readline's async iterator reads ahead while the
 * consumer is busy; iterating the stream itself only reads the next chunk when the previous one is
 * used. Lines are cut from the bytes and decoded one by one: keeping the unfinished tail as a
 * string would chain every chunk into one ever-growing V8 cons-string.
 */
export async function* readLines(stream: Readable): AsyncIterable<string> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of stream) {
    const buf: Buffer = rest.length > 0 ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
      const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
      yield buf.toString('utf8', start, end);
      start = nl + 1;
    }
    // Copied, so the tail does not pin the whole chunk.
    rest = Buffer.from(buf.subarray(start));
  }
  if (rest.length > 0) yield rest.toString('utf8', 0, rest[rest.length - 1] === 13 ? rest.length - 1 : rest.length);
}
