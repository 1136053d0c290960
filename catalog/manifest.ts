/**
 * @module A dataset directory's `manifest.json`: its shape (`datasetManifestSchema`, the one
 * definition the pipeline's writer and the catalog's reader share) and, at publish time, staging
 * it into the data home with the files it lists (see dataset-staging.ts), then checking it there,
 * on the copy that will be served: every listed file present with its sha256, and the column
 * schema completed from the Parquet files when an older manifest lacks it (private columns are
 * checked against it).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { copyRegularFile, OPTIONAL_DATASET_FILES, unsafeRelativePath } from './dataset-staging.js';
import { InvalidDatasetError } from './errors.js';
import { describeParquet, withParquetReader } from './parquet-source.js';

/** The `format` every manifest Lumora writes carries; manifests from before it existed have none. */
export const MANIFEST_FORMAT = 'lumora-dataset/1';

/** One file of a dataset, as the manifest lists it: relative to the dataset directory, with `/` separators. */
export const manifestFileSchema = z.looseObject({
  path: z.string(),
  rows: z.number(),
  /** File size; named as the manifest format names it. */
  bytes: z.number(),
  sha256: z.string(),
});

/** One column, with its DuckDB type (`VARCHAR`, `DOUBLE`, `VARCHAR[]`) and meaning. */
export const manifestColumnSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  description: z.string().optional(),
});

/**
 * `manifest.json`. Fields are in the order the pipeline writes them (parsing keeps that order, and
 * keeps fields it does not know). Only `name`, `rows`, `bytes` and `files` are required: manifests
 * written by earlier versions, or by hand, lack the rest, and `writtenManifestSchema` says what
 * `lumora run` writes today.
 */
export const datasetManifestSchema = z.looseObject({
  format: z.literal(MANIFEST_FORMAT).optional(),
  name: z.string(),
  description: z.string().optional(),
  license: z.string().optional(),
  /** ISO 8601. */
  createdAt: z.string().optional(),
  tool: z.looseObject({ name: z.string(), version: z.string() }).optional(),
  /** The inputs the pipeline read (files, URLs). */
  inputs: z.array(z.string()).optional(),
  rows: z.number(),
  bytes: z.number(),
  files: z.array(manifestFileSchema),
  columns: z.array(manifestColumnSchema).optional(),
  /** Rows per language code. */
  languages: z.record(z.string(), z.number()).optional(),
  /** Rows per quality bucket: 10 bins of width 0.1 over [0, 1]. */
  qualityHistogram: z.array(z.number()).optional(),
  /** Redacted entities per type (counts only). */
  piiCounts: z.record(z.string(), z.number()).optional(),
  /** Counters per pipeline stage, e.g. `stats.dedupe.dropped_near_duplicate`. */
  stats: z.record(z.string(), z.record(z.string(), z.number())).optional(),
  /** The pipeline configuration the dataset was built with. */
  config: z.record(z.string(), z.unknown()).optional(),
  /** Rows per domain (not written by `lumora run`; a hand-made manifest may list them). */
  domains: z.union([z.record(z.string(), z.number()), z.array(z.looseObject({ domain: z.string(), rows: z.number() }))]).optional(),
});

/** What `lumora run` writes: every field present, `description` on every column. */
export const writtenManifestSchema = datasetManifestSchema
  .required({
    format: true,
    description: true,
    license: true,
    createdAt: true,
    tool: true,
    inputs: true,
    columns: true,
    languages: true,
    qualityHistogram: true,
    piiCounts: true,
    stats: true,
    config: true,
  })
  .extend({ columns: z.array(manifestColumnSchema.required({ description: true })) });

/** A `manifest.json` as the catalog reads it. */
export type DatasetManifest = z.infer<typeof datasetManifestSchema>;
/** A `manifest.json` as `lumora run` writes it. */
export type WrittenManifest = z.infer<typeof writtenManifestSchema>;
/** One file a manifest lists. */
export type ManifestFile = z.infer<typeof manifestFileSchema>;

/**
 * Parses a manifest's JSON value; an error names the file (`label`'s manifest.json) and each
 * field that does not fit, e.g. `files.0.sha256: Invalid input: expected string, received number`.
 */
export function parseManifest(value: unknown, label: string): DatasetManifest {
  const parsed = datasetManifestSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(the whole file)'}: ${i.message}`).join('; ');
  throw new InvalidDatasetError(`dataset ${label}: manifest.json does not fit the manifest format: ${fields}`);
}

/**
 * Copies `<src>/manifest.json` into `staging` and reads it from there. `src` must be a real path;
 * `label` is the directory as the caller named it, for messages.
 */
export async function stageManifest(src: string, staging: string, label: string, signal?: AbortSignal): Promise<DatasetManifest> {
  const copied = await copyRegularFile({ root: src, rel: 'manifest.json', destRoot: staging, label, optional: true, signal });
  if (!copied) throw new InvalidDatasetError(`dataset ${label}: no manifest.json (is this a dataset directory written by lumora run?)`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(staging, 'manifest.json'), 'utf8'));
  } catch (cause) {
    throw new InvalidDatasetError(`dataset ${label}: manifest.json is not valid JSON`, cause);
  }
  const m = parseManifest(json, label);
  for (const f of m.files) {
    const unsafe = unsafeRelativePath(f.path);
    if (unsafe)
      throw new InvalidDatasetError(`dataset ${label}: file path "${f.path}" in manifest.json ${unsafe}; it must be relative to the dataset directory`);
  }
  return m;
}

/**
 * Copies the files `m` lists, and the card and report when present, from `src` into `staging`,
 * then checks the copies against the manifest: the bytes checked are the bytes served. An aborted
 * `signal` stops it between files and mid-copy (an AbortError).
 */
export async function stageFiles(src: string, staging: string, label: string, m: DatasetManifest, signal?: AbortSignal): Promise<DatasetManifest> {
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
    if ((await sha256(join(staging, f.path))) !== f.sha256)
      throw new InvalidDatasetError(`dataset ${label}: ${f.path} does not match its sha256 in the manifest`);
  }
  if (!Array.isArray(m.columns) || m.columns.length === 0) return { ...m, columns: await readColumns(staging, m.files) };
  return m;
}

async function readColumns(dir: string, files: ManifestFile[]): Promise<NonNullable<DatasetManifest['columns']>> {
  const parquet = files.filter((f) => f.path.endsWith('.parquet')).map((f) => join(dir, f.path));
  const cols = await withParquetReader(parquet, (conn) => describeParquet(conn, parquet));
  return cols.map((c) => ({ ...c, description: '' }));
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
