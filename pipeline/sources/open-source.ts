/**
 * @module Turns the inputs a user names on the command line into sources: `http(s)://` URLs are
 * crawled, `.warc[.gz]` files are read as WARC, `.jsonl[.gz]` / `.ndjson` as JSONL.
 */
import { existsSync, statSync } from 'node:fs';
import { FatalError } from '../errors.js';
import { createCrawlSource, type CrawlOptions } from './crawl-source.js';
import { createJsonlSource } from './jsonl-source.js';
import type { Source } from './source.js';
import { createWarcSource } from './warc-source.js';

/** Which reader an input needs, or an error that names the input and what is wrong with it. */
export function openSource(input: string, opts: { crawl: CrawlOptions; maxRecordBytes?: number | undefined }): Source {
  if (/^https?:\/\//i.test(input)) {
    try {
      new URL(input);
    } catch (cause) {
      throw new FatalError(`input ${input}: not a valid URL`, { cause });
    }
    return createCrawlSource({ startUrl: input, crawl: opts.crawl });
  }
  if (!existsSync(input)) throw new FatalError(`input ${input}: no such file`);
  if (!statSync(input).isFile()) throw new FatalError(`input ${input}: not a file`);
  const lower = input.toLowerCase();
  if (lower.endsWith('.warc') || lower.endsWith('.warc.gz')) return createWarcSource({ path: input, maxRecordBytes: opts.maxRecordBytes });
  if (lower.endsWith('.jsonl') || lower.endsWith('.jsonl.gz') || lower.endsWith('.ndjson'))
    return createJsonlSource({ path: input, maxRecordBytes: opts.maxRecordBytes });
  throw new FatalError(`input ${input}: unknown input type; expected an http(s) URL, a .warc/.warc.gz file or a .jsonl/.jsonl.gz file`);
}
