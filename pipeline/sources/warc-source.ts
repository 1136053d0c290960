/**
 * @module WARC / WARC.gz input (warcio): HTTP response records whose payload is HTML become
 * docs. Other record types are passed over; a truncated or corrupt record ends that file with a
 * counted skip, keeping every record read before it.
 */
import { createReadStream, statSync } from 'node:fs';
import { WARCParser } from 'warcio';
import type { Doc } from '../doc.js';
import { decodeHtml } from './decode-html.js';
import { docId, domainOf } from './doc-id.js';
import type { Source } from './source.js';

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)/i;

/** Reads response records with an HTML payload from a `.warc` or `.warc.gz` file. */
export function createWarcSource(opts: { path: string }): Source {
  const { path } = opts;
  return {
    input: path,
    sizeBytes: statSync(path).size,
    async *scan(ctx) {
      const parser = new WARCParser(createReadStream(path));
      let offset = 0;
      const records = parser[Symbol.asyncIterator]();
      for (;;) {
        let next: IteratorResult<Awaited<ReturnType<typeof parser.parse>>>;
        let payload: Uint8Array | undefined;
        try {
          next = await records.next();
          if (next.done) break;
          const record = next.value;
          if (!record || record.warcType !== 'response') continue;
          const status = record.httpHeaders?.statusCode;
          const contentType = record.httpHeaders?.headers.get('content-type') ?? '';
          if (status !== undefined && (Number(status) < 200 || Number(status) >= 300)) {
            ctx.stats.count('skipped_http_status');
            continue;
          }
          if (!HTML_TYPES.test(contentType)) {
            ctx.stats.count('skipped_not_html');
            continue;
          }
          payload = await record.readFully(true);
          if (unreadBytes(record) > 0) throw new Error(`record ${offset} ends before its Content-Length`);
          const url = record.warcTargetURI ?? '';
          const { html, invalidBytes } = decodeHtml(payload, contentType);
          if (invalidBytes) ctx.stats.count('invalid_utf8');
          const date = record.warcDate;
          const doc: Doc = {
            id: docId(path, offset, url),
            url,
            domain: domainOf(url),
            fetchedAt: date && !Number.isNaN(Date.parse(date)) ? new Date(date).toISOString() : new Date(0).toISOString(),
            title: '',
            text: '',
            html,
            source: { kind: 'warc', input: path, offset },
          };
          offset++;
          ctx.stats.count('read');
          ctx.stats.count('bytes', payload.byteLength);
          yield doc;
        } catch (err) {
          // warcio throws on a cut-off record or a broken gzip member: nothing after it can be
          // framed reliably, so the file ends here, with everything before it kept.
          ctx.stats.count('skipped_truncated_record');
          ctx.logger.warn(
            { input: path, record: offset, err: err instanceof Error ? err.message : String(err) },
            'WARC file ends in a truncated or corrupt record; kept the records before it',
          );
          break;
        }
      }
    },
  };
}

/**
 * Bytes of the record's block that the file did not deliver. warcio returns a cut-off record's
 * partial payload without complaint; its LimitReader still holds the unread remainder of the
 * declared Content-Length, which is how a truncated record is told from a whole one.
 */
function unreadBytes(record: object): number {
  const reader = (record as { _reader?: { limit?: unknown } })._reader;
  return typeof reader?.limit === 'number' ? reader.limit : 0;
}
