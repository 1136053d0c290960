/**
 * @module Sending a file from disk over HTTP: streamed (never read whole), with one byte range
 * (RFC 9110 §14) for resumed downloads, a correct Content-Length, and a strong ETag from the
 * file's sha256 in the manifest so a resumed download cannot splice two versions.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { openDatasetFile } from '../catalog/index.js';

type Range = { start: number; end: number } | 'unsatisfiable' | null;

/** Parses a single `bytes=` range against a size; multiple ranges are served whole, as RFC 9110 allows. */
export function parseRange(header: string | undefined, size: number): Range {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, a, b] = m as unknown as [string, string, string];
  if (a === '' && b === '') return null;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** A dataset file that is a symbolic link, or lies through one, or is not a regular file: never served. */
export class NotARegularFileError extends Error {
  override name = 'NotARegularFileError';
}

export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: { root: string; path: string },
  opts: { contentType: string; etag: string; downloadName: string },
): Promise<void> {
  // Never through a symbolic link (a version published before links were refused may hold one),
  // and read through the descriptor that was checked.
  const handle = await openDatasetFile(file.root, file.path, (rule) => new NotARegularFileError(`${file.path} ${rule}; it is not served`));
  let streaming = false;
  try {
    const size = (await handle.stat()).size;
    const etag = `"${opts.etag}"`;
    res.setHeader('accept-ranges', 'bytes');
    res.setHeader('etag', etag);
    res.setHeader('content-type', opts.contentType);
    res.setHeader('content-disposition', `attachment; filename="${opts.downloadName.replace(/[^\w.-]/g, '_')}"`);
    res.setHeader('cache-control', 'private, no-store');
    // If-Range: a range only applies to the same version of the file.
    const ifRange = req.headers['if-range'];
    const range = ifRange === undefined || ifRange === etag ? parseRange(req.headers.range, size) : null;
    if (range === 'unsatisfiable') {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    if (range) res.setHeader('content-range', `bytes ${start}-${end}/${size}`);
    res.writeHead(range ? 206 : 200, { 'content-length': String(size === 0 ? 0 : end - start + 1) });
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    // 1 MiB reads: fewer syscalls and socket writes than the 64 KiB default on large Parquet files.
    streaming = true;
    await pipeline(handle.createReadStream({ start, end, highWaterMark: 1 << 20, autoClose: true }), res);
  } finally {
    if (!streaming) await handle.close();
  }
}
