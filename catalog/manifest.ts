/**
 * @module Reading and verifying a dataset directory's `manifest.json` before it is published:
 * every listed file present with its sha256, and the column schema completed from the Parquet
 * files when an older manifest lacks it (private columns are checked against it).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnInfo, DatasetFileRecord, VersionSummary } from './dataset-record.js';
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

/** Reads `<dir>/manifest.json` and checks every file against it. */
export async function readVerifiedManifest(dir: string): Promise<ManifestFields> {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new InvalidDatasetError(`dataset ${dir}: no manifest.json (is this a dataset directory written by lumora run?)`);
  let m: ManifestFields;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as ManifestFields;
  } catch (cause) {
    throw new InvalidDatasetError(`dataset ${dir}: manifest.json is not valid JSON`, cause);
  }
  if (typeof m.name !== 'string' || !Array.isArray(m.files) || typeof m.rows !== 'number') {
    throw new InvalidDatasetError(`dataset ${dir}: manifest.json lacks name, rows or files`);
  }
  for (const f of m.files) {
    if (typeof f.path !== 'string' || f.path.startsWith('/') || f.path.split(/[\\/]/).includes('..')) {
      throw new InvalidDatasetError(`dataset ${dir}: file path "${String(f.path)}" must be relative to the dataset directory`);
    }
    const file = join(dir, f.path);
    if (!existsSync(file)) throw new InvalidDatasetError(`dataset ${dir}: ${f.path} is listed in the manifest but missing`);
    const sha = await sha256(file);
    if (sha !== f.sha256) throw new InvalidDatasetError(`dataset ${dir}: ${f.path} does not match its sha256 in the manifest`);
  }
  if (!Array.isArray(m.columns) || m.columns.length === 0) m = { ...m, columns: await readColumns(dir, m.files) };
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
