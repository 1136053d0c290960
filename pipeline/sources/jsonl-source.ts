/**
 * @module JSONL input: one `{"url", "html"}` or `{"url", "text"}` object per line, optionally
 * gzipped. A malformed line, or one over the size limit, is skipped and counted; a gzip stream
 * that is cut off or corrupt ends the file, counted, with the lines before it kept. None of these
 * ends the run.
 */
import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Doc } from '../doc.js';
import { docId, domainOf } from './doc-id.js';
import { openInputFile } from './input-file.js';
import { DEFAULT_MAX_RECORD_BYTES, type Source } from './source.js';

/** Reads a `.jsonl` / `.jsonl.gz` / `.ndjson` file. */
export function createJsonlSource(opts: { path: string; maxRecordBytes?: number | undefined; now?: () => Date }): Source {
  const { path } = opts;
  const maxRecordBytes = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const now = opts.now ?? (() => new Date());
  return {
    input: path,
    sizeBytes: statSync(path).size,
    async *scan(ctx) {
      const file = openInputFile(path, { gunzip: path.endsWith('.gz') });
      let lineNo = 0;
      try {
        for await (const line of readLines(file.stream, maxRecordBytes)) {
          lineNo++;
          if (line instanceof OversizedLine) {
            ctx.stats.count('skipped_too_large');
            ctx.logger.warn({ input: path, line: lineNo, bytes: line.bytes, maxRecordBytes }, 'skipped a line over the size limit (input.maxRecordBytes)');
            continue;
          }
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
      } catch (err) {
        if (!isZlibError(err)) throw err;
        // Nothing after the damage can be inflated: the file ends here, with the lines before it kept.
        ctx.stats.count('skipped_corrupt_gzip');
        ctx.logger.warn({ input: path, line: lineNo + 1, code: err.code }, 'gzipped JSONL file is cut off or corrupt here; kept the lines before it');
      } finally {
        await file.close();
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

/** An error of zlib's inflate (Z_BUF_ERROR for a cut-off stream, Z_DATA_ERROR for corrupt bytes). */
function isZlibError(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown } | undefined)?.code;
  return err instanceof Error && typeof code === 'string' && code.startsWith('Z_');
}

/** A line longer than the limit: read past to its newline, never assembled. */
export class OversizedLine {
  constructor(readonly bytes: number) {}
}

/**
 * Lines of a stream, pulled chunk by chunk. readline's async iterator reads ahead while the
 * consumer is busy; iterating the stream itself only reads the next chunk when the previous one is
 * used. Lines are cut from the bytes and decoded one by one, and the pieces of an unfinished line
 * are kept as a list and joined once: growing one buffer (or string) per chunk would copy a long
 * line over and over (quadratic; a 50 MB line took minutes). A line over `maxLineBytes` becomes an
 * `OversizedLine` and its bytes are dropped as they arrive, so memory stays at one chunk.
 */
export async function* readLines(stream: Readable, maxLineBytes = Number.POSITIVE_INFINITY): AsyncIterable<string | OversizedLine> {
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  // Bytes of a line already over the limit, dropped until its newline.
  let skipped = -1;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    let start = 0;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
      const lineBytes = (skipped >= 0 ? skipped : pieceBytes) + (nl - start);
      if (skipped >= 0 || lineBytes > maxLineBytes) yield new OversizedLine(lineBytes);
      else yield decodeLine(pieces, buf.subarray(start, nl));
      pieces = [];
      pieceBytes = 0;
      skipped = -1;
      start = nl + 1;
    }
    const rest = buf.length - start;
    if (rest === 0) continue;
    if (skipped >= 0) skipped += rest;
    else if (pieceBytes + rest > maxLineBytes) {
      skipped = pieceBytes + rest;
      pieces = [];
      pieceBytes = 0;
    } else {
      // Copied, so the piece does not pin the whole chunk.
      pieces.push(Buffer.from(buf.subarray(start)));
      pieceBytes += rest;
    }
  }
  if (skipped >= 0) yield new OversizedLine(skipped);
  else if (pieceBytes > 0) yield decodeLine(pieces, Buffer.alloc(0));
}

/** The UTF-8 text of a line's pieces, without a final CR (CRLF line ends). */
function decodeLine(pieces: Buffer[], last: Buffer): string {
  const bytes = pieces.length === 0 ? last : Buffer.concat([...pieces, last]);
  return bytes.toString('utf8', 0, bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length);
}
