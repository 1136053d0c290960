/**
 * @module The preview a buyer sees before paying: the first rows of a version, read from its
 * Parquet files, never with a private column, and with values a JSON response can carry.
 */
import { InvalidRequestError } from './errors.js';
import { describeParquet, filesParam, quoteIdent, withParquetReader } from './parquet-source.js';

export interface PreviewOptions {
  /** Rows to return; default 5, at most 50. */
  limit?: number;
}

export interface Preview {
  /** The public columns, in file order. */
  columns: string[];
  rows: Array<Record<string, unknown>>;
}

const DEFAULT_PREVIEW_ROWS = 5;
const MAX_PREVIEW_ROWS = 50;

/** Reads the first `limit` rows of `files` (dataset `id`) without the columns in `privateColumns`. */
export async function readPreview(id: string, files: string[], privateColumns: string[], opts: PreviewOptions): Promise<Preview> {
  const limit = opts.limit ?? DEFAULT_PREVIEW_ROWS;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PREVIEW_ROWS) {
    throw new InvalidRequestError(`preview of ${id}: limit must be an integer from 1 to ${MAX_PREVIEW_ROWS}`);
  }
  if (files.length === 0) return { columns: [], rows: [] };
  return withParquetReader(files, async (conn) => {
    const hidden = new Set(privateColumns);
    const columns = (await describeParquet(conn, files)).map((c) => c.name).filter((name) => !hidden.has(name));
    if (columns.length === 0) return { columns, rows: [] };
    const p = filesParam(files);
    const reader = await conn.runAndReadAll(`SELECT ${columns.map(quoteIdent).join(', ')} FROM read_parquet($files) LIMIT ${limit}`, p.values, p.types);
    const rows = reader.getRowObjectsJS().map((row) => {
      const out: Record<string, unknown> = {};
      for (const c of columns) out[c] = toJsonSafe(row[c]);
      return out;
    });
    return { columns, rows };
  });
}

/**
 * A DuckDB JS value as JSON can carry it: integers beyond 2^53 as decimal strings, dates and
 * timestamps as ISO 8601, blobs as base64, maps (DuckDB gives `[{ key, value }]`) as objects
 * when their keys are strings.
 */
export function toJsonSafe(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((e) => isMapEntry(e) && typeof e.key === 'string')) {
      return Object.fromEntries(v.map((e) => [e.key as string, toJsonSafe(e.value)]));
    }
    return v.map(toJsonSafe);
  }
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toJsonSafe(x)]));
  return v;
}

function isMapEntry(e: unknown): e is { key: unknown; value: unknown } {
  return typeof e === 'object' && e !== null && !Array.isArray(e) && Object.keys(e).length === 2 && 'key' in e && 'value' in e;
}
