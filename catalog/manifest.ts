/**
 * @module A dataset directory's `manifest.json` at publish time: staged into the data home with
 * the files it lists (see dataset-staging.ts), then checked there, on the copy that will be served:
 * every listed file present with its sha256, and the column schema completed from the
 * Parquet files when an older manifest lacks it (private columns are checked against it).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnInfo, DatasetFileRecord, VersionSummary } from './dataset-record.js';
import { copyRegularFile, OPTIONAL_DATASET_FILES, unsafeRelativePath } from './dataset-staging.js';
import { InvalidDatasetError } from './errors.js';
import { describeParquet, withParquetReader } from './parquet-source.js';

/** The parts of a `manifest.json` the catalog relies on. */
export interface ManifestFields extends VersionSummary {
  name: string;
  description?: string;
  license?: string;
  rows: number;
  bytes: number;
  languages?: Record<string, number>;
  files: DatasetFileRecord[];
  columns?: ColumnInfo[];
}

/**
 * Copies `<src>/manifest.json` into `staging` and reads it from there. `src` must be a real path;
 * `label` is the directory as the caller named it, for messages.
 */
export async function stageManifest(src: string, staging: string, label: string, signal?: AbortSignal): Promise<ManifestFields> {
  const copied = await copyRegularFile({ root: src, rel: 'manifest.json', destRoot: staging, label, optional: true, signal });
  if (!copied) throw new InvalidDatasetError(`dataset ${label}: no manifest.json (is this a dataset directory written by lumora run?)`);
  let m: ManifestFields;
  try {
    m = JSON.parse(await readFile(join(staging, 'manifest.json'), 'utf8')) as ManifestFields;
  } catch (cause) {
    throw new InvalidDatasetError(`dataset ${label}: manifest.json is not valid JSON`, cause);
  }
  if (typeof m !== 'object' || m === null || typeof m.name !== 'string' || !Array.isArray(m.files) || typeof m.rows !== 'number') {
    throw new InvalidDatasetError(`dataset ${label}: manifest.json lacks name, rows or files`);
  }
  for (const f of m.files) {
    const unsafe = unsafeRelativePath((f as Partial<DatasetFileRecord> | null)?.path);
    if (unsafe) {
      throw new InvalidDatasetError(`dataset ${label}: file path "${String((f as Partial<DatasetFileRecord> | null)?.path)}" in manifest.json ${unsafe}; it must be relative to the dataset directory`);
    }
  }
  return m;
}

/**
 * Copies the files `m` lists, and the card and report when present, from `src` into `staging`,
 * then checks the copies against the manifest: the bytes checked are the bytes served. An aborted
 * `signal` stops it between files and mid-copy (an AbortError).
 */
export async function stageFiles(src: string, staging: string, label: string, m: ManifestFields, signal?: AbortSignal): Promise<ManifestFields> {
  const listed = new Set<string>(['manifest.json']);
  for (const f of m.files) {
    if (listed.has(f.path)) continue;
    listed.add(f.path);
    signal?.throwIfAborted();
    await copyRegularFile({ root: src, rel: f.path, destRoot: staging, label, signal });
  }
  for (const rel of OPTIONAL_DATASET_FILES) {
    if (!listed.has(rel)) await copyRegularFile({ root: src, rel, destRoot: staging, label, optional: true, signal });
  }
  for (const f of m.files) {
    signal?.throwIfAborted();
    if ((await sha256(join(staging, f.path))) !== f.sha256) throw new InvalidDatasetError(`dataset ${label}: ${f.path} does not match its sha256 in the manifest`);
  }
  if (!Array.isArray(m.columns) || m.columns.length === 0) return { ...m, columns: await readColumns(staging, m.files) };
  return m;
}

async function readColumns(dir: string, files: DatasetFileRecord[]): Promise<ColumnInfo[]> {
  const parquet = files.filter((f) => f.path.endsWith('.parquet')).map((f) => join(dir, f.path));
  const cols = await withParquetReader(parquet, (conn) => describeParquet(conn, parquet));
  return cols.map((c) => ({ ...c, description: '' }));
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
