/**
 * @module Reading a dataset version's Parquet files through a private in-memory DuckDB: the
 * file list is bound as a parameter of `read_parquet`, identifiers are quoted only after they
 * were checked against the dataset's columns, and nothing of a caller's becomes SQL text.
 */
import { DuckDBInstance, DuckDBListType, listValue, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';

/** A column as DuckDB reads it from the Parquet files. */
export interface ParquetColumn {
  name: string;
  type: string;
}

/**
 * Caps for a reader's DuckDB: a scan streams, so it needs little memory, and a server runs many
 * of them at once on two cores.
 */
const READER_CONFIG = { memory_limit: '512MB', threads: '2' };

/** Runs `fn` on a fresh in-memory DuckDB and closes it afterwards. */
export async function withParquetReader<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:', READER_CONFIG);
  try {
    const conn = await instance.connect();
    try {
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Values and types that bind the absolute file list as `$files`. */
export function filesParam(files: string[]) {
  return { values: { files: listValue(files) }, types: { files: new DuckDBListType(VARCHAR) } };
}

/** The columns of the files, in file order. */
export async function describeParquet(conn: DuckDBConnection, files: string[]): Promise<ParquetColumn[]> {
  if (files.length === 0) return [];
  const p = filesParam(files);
  const r = await conn.runAndReadAll('DESCRIBE SELECT * FROM read_parquet($files)', p.values, p.types);
  return r.getRowObjectsJS().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

/** A SQL identifier; only ever called with names already checked against the dataset's columns. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
