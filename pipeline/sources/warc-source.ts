/**
 * @module WARC / WARC.gz input (warcio): HTTP response records whose payload is HTML become
 * docs. Other record types are passed over. A file that is not WARC is skipped and counted; a
 * truncated or corrupt record ends that file with a counted skip, keeping every record read
 * before it, and the run goes on to the next input. Records larger than the size limit are
 * streamed past, never held in memory. The file is closed however the scan ends.
 */
import { open } from 'node:fs/promises';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { LimitReader, WARCParser, type WARCRecord } from 'warcio';
import type { Doc } from '../doc.js';
import { IncompatibleLibraryError, PipelineError, SkipError } from '../errors.js';
import { decodeHtml } from './decode-html.js';
import { docId, domainOf } from './doc-id.js';
import { isInputReadError, openInputFile } from './input-file.js';
import { DEFAULT_MAX_RECORD_BYTES, type Source } from './source.js';

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)/i;

/**
 * Reads past the end of the file a reader may make before it counts as stuck. warcio makes 0 to 3
 * on whole and on cut files (measured on the fixtures); its LimitReader.skipFully makes them
 * forever when a record is shorter than its Content-Length, each one resolved at once, which
 * starves the event loop (no timer or signal handler runs again).
 */
const MAX_READS_AFTER_END = 64;

/** Bytes read to tell a WARC file from anything else: a gzip member's header and the start of "WARC/1.x". */
const SNIFF_BYTES = 4096;

/** Why the file stops here: a record cut off by the end of the file, or bytes that are not a WARC record. */
const truncated = (message: string) => new SkipError(message, { reason: 'truncated_record' });
const corrupt = (message: string) => new SkipError(message, { reason: 'corrupt_record' });

/** Reads response records with an HTML payload from a `.warc` or `.warc.gz` file. */
export function createWarcSource(opts: { path: string; maxRecordBytes?: number | undefined }): Source {
  const { path } = opts;
  const maxRecordBytes = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  return {
    input: path,
    sizeBytes: statSync(path).size,
    async *scan(ctx) {
      if (!(await startsLikeWarc(path))) {
        ctx.stats.count('skipped_not_warc');
        ctx.logger.warn({ input: path }, 'not a WARC file (it does not begin with "WARC/", plain or gzipped); skipped it');
        return;
      }
      const file = openInputFile(path);
      try {
        const parser = new WARCParser(eofAware(file.stream, () => truncated('the WARC reader kept reading past the end of the file')));
        const records = parser[Symbol.asyncIterator]();
        let offset = 0;
        for (let index = 0; ; index++) {
          try {
            const next = await records.next();
            if (next.done) break;
            const record = next.value;
            if (!(record.warcHeaders.protocol ?? '').startsWith('WARC/')) {
              throw corrupt(`record ${index} does not begin with a WARC/ version line`);
            }
            const doc = await readDoc(record, { path, offset, maxRecordBytes, count: (c) => ctx.stats.count(c) });
            // Every record is read to its end here, never by warcio's skipFully (see MAX_READS_AFTER_END).
            await drain(record, index);
            if (!doc) continue;
            offset++;
            ctx.stats.count('read');
            ctx.stats.count('bytes', doc.bytes);
            yield doc.doc;
          } catch (err) {
            // The file itself cannot be read (the runner counts it), or this reader cannot work: not a record's fault.
            if (isInputReadError(err) || (err instanceof PipelineError && !(err instanceof SkipError))) throw err;
            // Nothing after a cut-off or corrupt record can be framed reliably, so the file ends here,
            // with everything before it kept. An error of warcio's own is a record it could not frame.
            // The message names positions and rules, never content.
            ctx.stats.count(`skipped_${err instanceof SkipError ? err.code : 'truncated_record'}`);
            ctx.logger.warn(
              { input: path, record: index, err: err instanceof Error ? err.message : String(err) },
              'WARC file ends in a truncated or corrupt record; kept the records before it',
            );
            break;
          }
        }
      } finally {
        // Stopped early (a corrupt record, a consumer that breaks off, an error): the descriptor
        // would otherwise stay open until the process ends, one per such file.
        await file.close();
      }
    },
  };
}

/** The doc of an HTML response record, or undefined (counted) for any other record. */
async function readDoc(
  record: WARCRecord,
  opts: { path: string; offset: number; maxRecordBytes: number; count: (counter: string) => void },
): Promise<{ doc: Doc; bytes: number } | undefined> {
  if (record.warcType !== 'response') return undefined;
  const status = record.httpHeaders?.statusCode;
  const contentType = record.httpHeaders?.headers.get('content-type') ?? '';
  if (status !== undefined && (Number(status) < 200 || Number(status) >= 300)) {
    opts.count('skipped_http_status');
    return undefined;
  }
  if (!HTML_TYPES.test(contentType)) {
    opts.count('skipped_not_html');
    return undefined;
  }
  if (record.warcContentLength > opts.maxRecordBytes) {
    opts.count('skipped_too_large');
    return undefined;
  }
  const payload = await record.readFully(true);
  const url = record.warcTargetURI ?? '';
  const { html, invalidBytes } = decodeHtml(payload, contentType);
  if (invalidBytes) opts.count('invalid_utf8');
  const date = record.warcDate;
  return {
    doc: {
      id: docId(opts.path, opts.offset, url),
      url,
      domain: domainOf(url),
      fetchedAt: date && !Number.isNaN(Date.parse(date)) ? new Date(date).toISOString() : new Date(0).toISOString(),
      title: '',
      text: '',
      html,
      source: { kind: 'warc', input: opts.path, offset: opts.offset },
    },
    bytes: payload.byteLength,
  };
}

/**
 * Reads what is left of a record's block and throws when the file ends before its Content-Length.
 * warcio returns a cut-off record's partial payload without complaint; its LimitReader still holds
 * the unread remainder, which is how a truncated record is told from a whole one.
 */
async function drain(record: WARCRecord, index: number): Promise<void> {
  const reader = limitReaderOf(record);
  if (reader.limit > 0) for await (const _chunk of reader);
  if (reader.limit > 0) throw truncated(`record ${index} ends ${reader.limit} bytes before its Content-Length`);
}

/**
 * The LimitReader warcio's parser reads a record's block through (`record._reader`: public in
 * warcio's types, but named as an internal). Checked on every record, so a warcio that changed it
 * stops the run at its first record with the version named, instead of letting truncated records
 * pass as whole ones.
 */
export function limitReaderOf(record: WARCRecord): LimitReader {
  const reader: unknown = record._reader;
  if (reader instanceof LimitReader && typeof reader.limit === 'number') return reader;
  throw new IncompatibleLibraryError(
    `warcio ${installedVersion('warcio')}: a parsed record does not read its block through a LimitReader with a numeric limit ` +
      '(record._reader.limit), which the WARC reader needs to tell a truncated record from a whole one; install the warcio version in package.json',
  );
}

/** The version in the installed package's package.json, or "(version unknown)". Only read for an error message. */
function installedVersion(name: string): string {
  try {
    // The package's entry point, then up to the package.json that names it ("exports" hides it from require).
    for (let dir = dirname(createRequire(import.meta.url).resolve(name)); dirname(dir) !== dir; dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version ?? '(version unknown)';
      } catch {
        // No package.json in this directory: look one up.
      }
    }
  } catch {
    // Not resolvable from here: the message still names the rule.
  }
  return '(version unknown)';
}

/**
 * The file's bytes as warcio reads them, with one difference: a reader that keeps asking after the
 * end is told so by an error instead of an endless run of immediate "done" answers.
 */
function eofAware(stream: AsyncIterable<Uint8Array>, stuck: () => Error): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const it = stream[Symbol.asyncIterator]();
      let ended = false;
      let readsAfterEnd = 0;
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          if (ended) {
            if (++readsAfterEnd > MAX_READS_AFTER_END) throw stuck();
            return { done: true, value: undefined };
          }
          const r = await it.next();
          if (r.done) ended = true;
          return r;
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          await it.return?.();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

/** True when the file begins with "WARC/", directly or inside a gzip member. */
async function startsLikeWarc(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    try {
      // Z_SYNC_FLUSH: inflate what the first bytes hold instead of failing on the cut-off stream.
      head = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return false;
    }
  }
  return head.subarray(0, 5).toString('latin1') === 'WARC/';
}
