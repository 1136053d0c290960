/**
 * @module Reading a dataset version's Parquet files through a private in-memory DuckDB that can
 * read those files and nothing else: no other file, no network, no extension, no setting changed
 * back. The files are checked to be regular files inside the version's directory before a reader
 * opens them. The file list is bound as a parameter of `read_parquet`, identifiers are quoted only
 * after they were checked against the dataset's columns, and nothing of a caller's becomes SQL
 * text (except in `catalog query`, whose SQL runs inside the same walls).
 */
import { join } from 'node:path';
import { DuckDBInstance, DuckDBListType, listValue, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { openDatasetFile } from './dataset-file.js';
import { DatasetFileError } from './errors.js';

/** A column as DuckDB reads it from the Parquet files. */
export interface ParquetColumn {
  name: string;
  type: string;
}

/**
 * Caps for a reader's DuckDB: a scan streams, so it needs little memory, and a server runs many
 * of them at once on two cores. Extensions are never installed or loaded behind a query's back
 * (`read_parquet('https://…')` would otherwise fetch and load httpfs).
 */
const READER_CONFIG = {
  memory_limit: '512MB',
  threads: '2',
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
};

/**
 * The absolute paths of a published version's Parquet files, for a reader. Each must be a regular
 * file reached from the version directory without a symbolic link: allowed_paths lists a path,
 * and DuckDB follows a link at that path to wherever it points (a file outside the data home, a
 * file that changed after its sha256 was checked), and a FIFO would block it forever. Publish
 * refuses links now; versions published before it did may still hold one, so every read checks.
 */
export async function versionParquetFiles(version: { id: string; path: string; files: ReadonlyArray<{ path: string }> }): Promise<string[]> {
  const files: string[] = [];
  for (const { path: rel } of version.files) {
    if (!rel.endsWith('.parquet')) continue;
    const refuse = (rule: string, cause?: unknown) =>
      new DatasetFileError(`dataset ${version.id}: ${rel} ${rule}; it is not read (publish the dataset again to replace the version)`, cause);
    try {
      await (await openDatasetFile(version.path, rel, refuse)).close();
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') throw refuse('cannot be read (ENOENT)', cause);
      throw cause;
    }
    files.push(join(version.path, ...rel.split('/')));
  }
  return files;
}

/** A reader's DuckDB and its one connection; `close()` it in `finally`. */
export interface ParquetReader {
  conn: DuckDBConnection;
  close(): void;
}

/**
 * A fresh in-memory DuckDB that can read exactly `files` (absolute paths) and nothing else:
 * `allowed_paths` lists them, `enable_external_access = false` shuts every other file, URL and
 * extension out (read_csv, read_text, read_blob, glob, COPY, ATTACH, INSTALL, LOAD), and
 * `lock_configuration` stops a query from setting any of it back. DuckDB's "Securing DuckDB"
 * page names these settings; they are instance-wide, so every connection of it is held too.
 */
export async function openParquetReader(files: readonly string[]): Promise<ParquetReader> {
  const instance = await DuckDBInstance.create(':memory:', READER_CONFIG);
  try {
    const conn = await instance.connect();
    try {
      // SET takes no parameters; the paths come from the catalog (under the data home), quoted as literals.
      await conn.run(`SET allowed_paths = [${files.map(sqlString).join(', ')}]::VARCHAR[]`);
      await conn.run('SET enable_external_access = false');
      await conn.run('SET lock_configuration = true');
    } catch (err) {
      conn.closeSync();
      throw err;
    }
    return {
      conn,
      close() {
        conn.closeSync();
        instance.closeSync();
      },
    };
  } catch (err) {
    instance.closeSync();
    throw err;
  }
}

/** Runs `fn` on a reader of `files` (see `openParquetReader`) and closes it afterwards. */
export async function withParquetReader<T>(files: readonly string[], fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const reader = await openParquetReader(files);
  try {
    return await fn(reader.conn);
  } finally {
    reader.close();
  }
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
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
