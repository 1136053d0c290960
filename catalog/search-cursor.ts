/**
 * @module Opaque keyset cursors for search pages. A cursor holds the sort key and id of the last
 * row a page showed (not an offset), so a dataset published between pages neither repeats nor
 * hides a row. Relevance cursors also freeze the scoring statistics of the first page, because
 * BM25 scores of existing datasets shift when the corpus grows.
 */
import { createHash } from 'node:crypto';
import { InvalidCursorError } from './errors.js';
import type { SortOrder } from './search-query.js';

/** Where a row sits in a sort order. `primary` is the score, size or price amount (null: no price). */
export interface SortPosition {
  primary: number | bigint | null;
  createdMs: number;
  id: string;
}

/** The corpus statistics BM25 used: one idf per query term, one average length per field. */
export interface ScoringParams {
  idf: number[];
  avgLen: number[];
}

export interface CursorData {
  sort: SortOrder;
  position: SortPosition;
  params: ScoringParams | null;
}

const VERSION = 1;

/** A short, stable digest of a search's fingerprint, so cursors carry it cheaply. */
export function fingerprintDigest(fingerprint: string): string {
  return createHash('sha256').update(fingerprint).digest('base64url').slice(0, 12);
}

/** Encodes positions of one page; the parts every cursor of the page shares are serialised once. */
export function cursorEncoder(digest: string, sort: SortOrder, params: ScoringParams | null): (position: SortPosition) => string {
  const head = `[${VERSION},${JSON.stringify(digest)},${JSON.stringify(sort)},`;
  const tail = `,${params ? JSON.stringify([params.idf, params.avgLen]) : 'null'}]`;
  return (pos) => {
    const p = pos.primary;
    const primary = typeof p === 'bigint' ? `"${p}"` : p === null ? 'null' : String(p);
    return Buffer.from(`${head}${primary},${pos.createdMs},${JSON.stringify(pos.id)}${tail}`).toString('base64url');
  };
}

/** Encodes one cursor. */
export function encodeCursor(digest: string, c: CursorData): string {
  return cursorEncoder(digest, c.sort, c.params)(c.position);
}

/** Decodes a cursor issued for the search with `digest`; anything else is InvalidCursorError. */
export function decodeCursor(cursor: string, expected: { digest: string; sort: SortOrder; terms: number }): CursorData {
  const malformed = (why: string, cause?: unknown) => new InvalidCursorError(`searchDatasets: cursor "after" is malformed (${why})`, cause);
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw malformed('not base64url');
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw malformed('not a Lumora cursor', cause);
  }
  if (!Array.isArray(body) || body.length !== 7 || body[0] !== VERSION) throw malformed('not a Lumora cursor');
  const [, digest, sort, primary, createdMs, id, params] = body as unknown[];
  if (digest !== expected.digest || sort !== expected.sort) {
    throw new InvalidCursorError('searchDatasets: cursor "after" belongs to another search (search text, filter or sort differ)');
  }
  if (typeof createdMs !== 'number' || !Number.isFinite(createdMs) || typeof id !== 'string') throw malformed('bad position');
  let p: number | bigint | null;
  if (sort === 'PRICE_ASC' || sort === 'PRICE_DESC') {
    if (primary !== null && (typeof primary !== 'string' || !/^\d{1,20}$/.test(primary))) throw malformed('bad price key');
    p = primary === null ? null : BigInt(primary);
  } else {
    if (typeof primary !== 'number' || !Number.isFinite(primary)) throw malformed('bad sort key');
    p = primary;
  }
  let scoring: ScoringParams | null = null;
  if (sort === 'RELEVANCE' && expected.terms > 0) {
    const ok = Array.isArray(params) && params.length === 2 && isNumbers(params[0], expected.terms) && isNumbers(params[1], 3);
    if (!ok) throw malformed('bad scoring parameters');
    scoring = { idf: params[0] as number[], avgLen: params[1] as number[] };
  }
  return { sort: sort as SortOrder, position: { primary: p, createdMs, id }, params: scoring };
}

function isNumbers(xs: unknown, n: number): boolean {
  return Array.isArray(xs) && xs.length === n && xs.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0);
}
