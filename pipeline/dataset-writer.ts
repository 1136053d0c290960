/**
 * @module The sink: appends kept docs to a DuckDB table and writes each segment as one zstd
 * Parquet part (`data/part-NNNNN.parquet`). The table lives in a scratch database file with a
 * memory limit, so a large part spills to disk instead of growing the process. A part is written
 * to a temporary name and renamed, so a crash never leaves a half-written part under its final name.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, INTEGER, LIST, MAP, VARCHAR, listValue, mapValue, timestampValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { ManifestFile } from '../catalog/index.js';
import type { Doc } from './doc.js';

/** One Parquet file of a dataset, as the manifest lists it (catalog/manifest.ts owns the shape). */
export type PartFile = Pick<ManifestFile, 'path' | 'rows' | 'bytes' | 'sha256'>;

/** The Parquet schema every Lumora dataset has; other tools read these columns by name. */
export const DATASET_COLUMNS_SQL = `
  id VARCHAR NOT NULL,
  url VARCHAR NOT NULL,
  domain VARCHAR NOT NULL,
  title VARCHAR,
  text VARCHAR NOT NULL,
  lang VARCHAR,
  lang_score DOUBLE,
  quality_score DOUBLE,
  quality_flags VARCHAR[],
  pii_counts MAP(VARCHAR, INTEGER),
  content_hash VARCHAR,
  dup_cluster VARCHAR,
  canonical_url VARCHAR,
  fetched_at TIMESTAMP
`;

const LIST_OF_VARCHAR = LIST(VARCHAR);
const MAP_OF_COUNTS = MAP(VARCHAR, INTEGER);

/** Writes Parquet parts into `<dir>/data/`. Always `close()` it in `finally`. */
export class DatasetWriter {
  private appender: DuckDBAppender | undefined;
  private rows = 0;

  private constructor(
    private readonly dir: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /**
   * `scratchPath` is the DuckDB file that buffers the current part (default: in memory);
   * `memoryLimit` caps DuckDB's buffer before it spills to that file.
   */
  static async create(opts: { dir: string; scratchPath?: string; memoryLimit?: string }): Promise<DatasetWriter> {
    await mkdir(join(opts.dir, 'data'), { recursive: true });
    if (opts.scratchPath) await rm(opts.scratchPath, { force: true });
    const instance = await DuckDBInstance.create(opts.scratchPath ?? ':memory:', {
      memory_limit: opts.memoryLimit ?? '256MB',
      preserve_insertion_order: 'true',
    });
    const connection = await instance.connect();
    return new DatasetWriter(opts.dir, instance, connection);
  }

  /** Starts a new, empty part. */
  async beginPart(): Promise<void> {
    await this.connection.run(`CREATE OR REPLACE TABLE part (${DATASET_COLUMNS_SQL})`);
    this.appender = await this.connection.createAppender('part');
    this.rows = 0;
  }

  append(doc: Doc): void {
    const a = this.appender;
    if (!a) throw new Error('DatasetWriter.append called before beginPart');
    a.appendVarchar(doc.id);
    a.appendVarchar(doc.url);
    a.appendVarchar(doc.domain);
    a.appendVarchar(doc.title);
    a.appendVarchar(doc.text);
    appendOptional(a, doc.lang, (v) => a.appendVarchar(v));
    appendOptional(a, doc.langScore, (v) => a.appendDouble(v));
    appendOptional(a, doc.quality?.score, (v) => a.appendDouble(v));
    a.appendList(listValue(doc.quality?.flags ?? []), LIST_OF_VARCHAR);
    a.appendMap(mapValue(Object.entries(doc.piiCounts ?? {}).map(([key, value]) => ({ key, value }))), MAP_OF_COUNTS);
    appendOptional(a, doc.contentHash, (v) => a.appendVarchar(v));
    appendOptional(a, doc.dupCluster, (v) => a.appendVarchar(v));
    appendOptional(a, doc.canonicalUrl, (v) => a.appendVarchar(v));
    a.appendTimestamp(timestampValue(BigInt(Date.parse(doc.fetchedAt) || 0) * 1000n));
    a.endRow();
    this.rows++;
  }

  /** Writes the current part as `data/part-<index>.parquet`; returns nothing when it holds no rows. */
  async finishPart(index: number): Promise<PartFile | undefined> {
    const a = this.appender;
    if (!a) throw new Error('DatasetWriter.finishPart called before beginPart');
    a.closeSync();
    this.appender = undefined;
    if (this.rows === 0) return undefined;
    const rel = `data/part-${String(index).padStart(5, '0')}.parquet`;
    const final = join(this.dir, rel);
    const tmp = `${final}.tmp`;
    await rm(tmp, { force: true });
    await this.connection.run(`COPY (SELECT * FROM part) TO '${tmp.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 10000)`);
    await this.connection.run('DROP TABLE part');
    await rename(tmp, final);
    const { size } = await stat(final);
    return { path: rel, rows: this.rows, bytes: size, sha256: await sha256File(final) };
  }

  close(): void {
    this.appender?.closeSync();
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function appendOptional<T>(a: DuckDBAppender, value: T | undefined, append: (v: T) => void): void {
  if (value === undefined || value === null) a.appendNull();
  else append(value);
}

/** Hex sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
