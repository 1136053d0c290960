/**
 * @module The DuckDB catalog (`<home>/catalog.duckdb`): the only code that opens it. Publishing
 * verifies a dataset directory against its manifest, moves it to `<home>/datasets/<slug>/<version>/`
 * and only then inserts its row, in one transaction, so the catalog never lists half a dataset.
 * Staging copies a killed publish left behind are removed when the catalog opens.
 * Reads are served from an in-memory snapshot; the file is held only for one operation at a time,
 * so a server and a pipeline can share it.
 */
import { mkdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RecordBatch } from 'apache-arrow';
import { scanDataset, type ScanOptions } from './arrow-scan.js';
import { CatalogSnapshot, type Snapshot } from './catalog-snapshot.js';
import { summarize, type DatasetRecord } from './dataset-record.js';
import { openDatasetFile } from './dataset-file.js';
import { withDuckDBFile } from './duckdb-file.js';
import { removeStaleStagingDirs, stagingDirName } from './dataset-staging.js';
import { CatalogBusyError, CatalogError, DatasetNotFoundError, InvalidDatasetError, OperationAbortedError } from './errors.js';
import { applyListingPatch, DEFAULT_LISTING, listingFromRow, listingToRow, type ListingPatch } from './listing.js';
import { stageFiles, stageManifest, type DatasetManifest } from './manifest.js';
import { versionParquetFiles } from './parquet-source.js';
import { readPreview, type Preview, type PreviewOptions } from './preview.js';
import { migrate } from './schema.js';
import type { SearchPage } from './search-index.js';
import type { SearchQuery } from './search-query.js';
import { runReadOnlySelect, type QueryResult } from './user-query.js';

export type { QueryResult } from './user-query.js';

export interface CatalogOptions {
  home: string;
  /** Never write; a missing catalog reads as empty. */
  readOnly?: boolean;
  /** How long to wait for another process's lock on the file before CATALOG_BUSY. Default 15000. */
  lockTimeoutMs?: number;
  /**
   * Minimum time between checks (a stat of the file) for another process's changes. Default 0:
   * every read checks, so a read that starts after another process's write returns sees it.
   */
  refreshIntervalMs?: number;
  /** How long a read waits for a reload after such a change before answering from the previous snapshot. Default 1000. */
  refreshWaitMs?: number;
  /** Stops `open()` waiting for another process's lock on the file (OperationAbortedError). */
  signal?: AbortSignal | undefined;
}

/** `publish` options: the slug to publish under (default the manifest name), plus listing fields. */
export interface PublishOptions extends ListingPatch {
  slug?: string;
  /** Stops the publish before it registers anything (OperationAbortedError); see `publishMany`. */
  signal?: AbortSignal | undefined;
}

/** A Parquet file of a version, with the absolute path a download route streams. */
export interface DatasetFile {
  /** Relative to the version directory, e.g. `data/part-00000.parquet`. */
  path: string;
  absolutePath: string;
  rows: number;
  bytes: number;
  sha256: string;
}

const SLUG = /^[a-z0-9][a-z0-9._-]*$/;
const DATASET_COLUMNS = `id, slug, version, version_number, path, rows, bytes, license, description, languages, created_at`;

/**
 * The catalog. Open it, use it, `close()` it in `finally`.
 *
 * @example
 * const catalog = await Catalog.open({ home: '.lumora' });
 * try {
 *   const page = await catalog.searchDatasets({ search: 'german news', first: 20 });
 * } finally {
 *   catalog.close();
 * }
 */
export class Catalog {
  private constructor(
    readonly home: string,
    private readonly file: string,
    private readonly readOnly: boolean,
    private readonly lockTimeoutMs: number,
    private readonly snapshots: CatalogSnapshot,
  ) {}

  /**
   * Opens `<home>/catalog.duckdb`, creating or migrating it unless read-only. A writable open
   * also removes staging copies under `<home>/datasets` that no live process is using (see
   * `removeStaleStagingDirs`).
   */
  static async open(opts: CatalogOptions): Promise<Catalog> {
    const home = resolve(opts.home);
    const file = join(home, 'catalog.duckdb');
    const readOnly = opts.readOnly ?? false;
    const lockTimeoutMs = opts.lockTimeoutMs ?? 15_000;
    const snapshots = new CatalogSnapshot({ file, lockTimeoutMs, refreshIntervalMs: opts.refreshIntervalMs ?? 0, refreshWaitMs: opts.refreshWaitMs ?? 1000 });
    const catalog = new Catalog(home, file, readOnly, lockTimeoutMs, snapshots);
    if (!readOnly) {
      await mkdir(home, { recursive: true });
      await withDuckDBFile(file, { readOnly: false, lockTimeoutMs, signal: opts.signal }, migrate);
      await removeStaleStagingDirs(join(home, 'datasets'));
    }
    return catalog;
  }

  /** Every dataset version, by slug, newest first within a slug. */
  async listDatasets(): Promise<DatasetRecord[]> {
    return (await this.snapshots.current()).all;
  }

  /** A dataset by id (`slug@v2`) or by slug (its newest version). */
  async getDataset(ref: string): Promise<DatasetRecord> {
    const [record] = await this.getDatasets([ref]);
    if (!record) throw new DatasetNotFoundError(ref);
    return record;
  }

  /** Datasets by id or slug, in input order, null where none matches: one call per GraphQL dataloader batch. */
  async getDatasets(refs: readonly string[]): Promise<Array<DatasetRecord | null>> {
    let snap = await this.snapshots.current();
    if (refs.some((r) => !lookup(snap, r))) snap = await this.snapshots.currentIfChanged();
    return refs.map((r) => lookup(snap, r) ?? null);
  }

  /** Searches the newest version of every slug; see SearchQuery. Served from memory. */
  async searchDatasets(q: SearchQuery): Promise<SearchPage> {
    return (await this.snapshots.current()).index.search(q);
  }

  /**
   * Verifies the dataset directory against its manifest (every file present, sizes and sha256
   * match), copies it under the data home as the slug's next version and registers it. Listing
   * fields in `opts` update the slug's listing; a new version otherwise inherits it.
   */
  async publish(dir: string, opts: PublishOptions = {}): Promise<DatasetRecord> {
    const { signal, ...rest } = opts;
    const [id] = await this.publishMany([{ dir, opts: rest }], { signal });
    return this.getDataset(id as string);
  }

  /**
   * Publishes several dataset directories in one catalog transaction (all or none), each as its
   * slug's next version: one file lock and one snapshot refresh instead of one per dataset, for
   * bulk imports. Returns the new ids in input order. An aborted `signal` stops it while it copies
   * and checks the files or waits for the catalog's lock, and it rejects with
   * OperationAbortedError having registered nothing and removed its staging copies; once it holds
   * the lock, it runs to the end (a few renames and inserts).
   */
  async publishMany(items: ReadonlyArray<{ dir: string; opts?: PublishOptions }>, control: { signal?: AbortSignal | undefined } = {}): Promise<string[]> {
    this.assertWritable();
    const { signal } = control;
    const staged: Array<{
      slug: string;
      staging: string;
      slugDir: string;
      manifest: DatasetManifest;
      patch: ListingPatch;
      hasListing: boolean;
      columns: string[];
    }> = [];
    const stagings: string[] = [];
    try {
      for (const { dir, opts = {} } of items) {
        signal?.throwIfAborted();
        const src = await datasetRealPath(dir);
        // Copy outside the lock: only the renames and the inserts hold the catalog file. Everything
        // is checked on the copy, which is what the catalog will serve.
        const staging = join(this.home, 'datasets', stagingDirName());
        stagings.push(staging);
        await mkdir(staging, { recursive: true });
        let manifest = await stageManifest(src, staging, dir, signal);
        const slug = opts.slug ?? manifest.name;
        if (!SLUG.test(slug)) {
          throw new InvalidDatasetError(`dataset ${dir}: name "${slug}" is not a valid slug (lowercase letters, digits, ".", "_", "-")`);
        }
        const { slug: _slug, ...patch } = opts;
        const hasListing = Object.values(patch).some((v) => v !== undefined);
        // Check the listing before copying gigabytes (unless an older manifest lacks the columns it is
        // checked against); it is applied again under the lock on the current listing.
        const checkedEarly = hasListing && (manifest.columns?.length ?? 0) > 0;
        if (checkedEarly) checkListing(slug, dir, manifest, patch);
        manifest = await stageFiles(src, staging, dir, manifest, signal);
        if (hasListing && !checkedEarly) checkListing(slug, dir, manifest, patch);
        const columns = (manifest.columns ?? []).map((c) => c.name);
        const slugDir = join(this.home, 'datasets', slug);
        await mkdir(slugDir, { recursive: true });
        staged.push({ slug, staging, slugDir, manifest, patch, hasListing, columns });
      }
      signal?.throwIfAborted();
      return await this.write(async (conn) => {
        const moved: string[] = [];
        const ids: string[] = [];
        const nextVersion = new Map<string, number>();
        try {
          await conn.run('BEGIN TRANSACTION');
          for (const item of staged) {
            let versionNumber = nextVersion.get(item.slug);
            if (versionNumber === undefined) {
              const next = await conn.runAndReadAll('SELECT coalesce(max(version_number), 0) + 1 AS n FROM datasets WHERE slug = $slug', { slug: item.slug });
              versionNumber = Number(next.getRowObjectsJS()[0]?.n ?? 1);
            }
            nextVersion.set(item.slug, versionNumber + 1);
            const version = `v${versionNumber}`;
            const id = `${item.slug}@${version}`;
            const dest = join(item.slugDir, version);
            // A leftover from a crash between move and insert is not in the catalog: replace it.
            await rm(dest, { recursive: true, force: true });
            await rename(item.staging, dest);
            moved.push(dest);
            const m = item.manifest;
            await conn.run(
              `INSERT INTO datasets (${DATASET_COLUMNS}, manifest, summary)
               VALUES ($id, $slug, $version, $n, $path, $rows, $bytes, $license, $description, $languages, now()::TIMESTAMP, $manifest, $summary)`,
              {
                id,
                slug: item.slug,
                version,
                n: versionNumber,
                path: dest,
                rows: m.rows,
                bytes: m.bytes,
                license: m.license ?? 'other',
                description: m.description ?? '',
                languages: JSON.stringify(m.languages ?? {}),
                manifest: JSON.stringify(m),
                summary: JSON.stringify(summarize(m)),
              },
            );
            for (const f of m.files) {
              await conn.run('INSERT INTO dataset_files VALUES ($id, $path, $rows, $bytes, $sha)', {
                id,
                path: f.path,
                rows: f.rows,
                bytes: f.bytes,
                sha: f.sha256,
              });
            }
            if (item.hasListing) await upsertListing(conn, item.slug, id, item.columns, item.patch);
            ids.push(id);
          }
          await conn.run('COMMIT');
        } catch (cause) {
          await conn.run('ROLLBACK').catch(() => undefined);
          for (const dest of moved) await rm(dest, { recursive: true, force: true });
          if (cause instanceof CatalogError) throw cause;
          throw new CatalogError(`datasets ${ids.join(', ') || staged.map((s) => s.slug).join(', ')}: could not register them`, { cause });
        }
        return ids;
      }, signal);
    } catch (cause) {
      // A failure of its own (a checksum mismatch…) is reported as such, even after an abort.
      const stopped = signal?.aborted && (!(cause instanceof CatalogError) || cause instanceof OperationAbortedError);
      if (!stopped) throw cause;
      const label = items.length === 1 ? `dataset ${items[0]?.dir}` : `datasets ${items.map((i) => i.dir).join(', ')}`;
      const reason = typeof signal?.reason === 'string' ? signal.reason : 'aborted';
      throw new OperationAbortedError(`${label}: publishing was stopped (${reason}) before anything was registered; nothing was published`, cause);
    } finally {
      for (const staging of stagings) await rm(staging, { recursive: true, force: true });
    }
  }

  /** Changes the listing of the dataset's slug (all its versions) and returns the updated record of `ref`. */
  async updateListing(ref: string, patch: ListingPatch): Promise<DatasetRecord> {
    this.assertWritable();
    await this.write(async (conn) => {
      const r = await conn.runAndReadAll(
        `SELECT id, slug, coalesce(summary, manifest) AS summary FROM datasets WHERE id = $ref OR slug = $ref ORDER BY version_number DESC LIMIT 1`,
        { ref },
      );
      const row = r.getRowObjectsJS()[0];
      if (!row) throw new DatasetNotFoundError(ref);
      const columns = ((JSON.parse(String(row.summary)) as { columns?: Array<{ name: string }> }).columns ?? []).map((c) => c.name);
      await conn.run('BEGIN TRANSACTION');
      try {
        await upsertListing(conn, String(row.slug), String(row.id), columns, patch);
        await conn.run('COMMIT');
      } catch (cause) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw cause;
      }
    });
    return this.getDataset(ref);
  }

  /**
   * Runs one read-only SELECT over a dataset. The dataset's rows are the view `dataset`; any
   * statement other than a single SELECT is rejected before it runs.
   */
  async query(ref: string, sql: string): Promise<QueryResult> {
    const record = await this.getDataset(ref);
    return runReadOnlySelect(record.id, await versionParquetFiles(record), sql);
  }

  /** The files of a version for download routes, with absolute paths and checksums. */
  async datasetFiles(ref: string): Promise<DatasetFile[]> {
    const record = await this.getDataset(ref);
    return record.files.map((f) => ({ ...f, absolutePath: join(record.path, f.path) }));
  }

  /** The first rows of a version, without its private columns, as JSON-safe values. */
  async previewRows(ref: string, opts: PreviewOptions = {}): Promise<Preview> {
    const record = await this.getDataset(ref);
    return readPreview(record.id, await versionParquetFiles(record), record.privateColumns, opts);
  }

  /** The dataset card (`README.md`, YAML front matter and Markdown) of a version. */
  async readCard(ref: string): Promise<string> {
    const record = await this.getDataset(ref);
    try {
      // Never through a symbolic link: a version published before links were refused may hold one.
      const handle = await openDatasetFile(record.path, 'README.md', (rule) => new CatalogError(`README.md ${rule}`));
      try {
        return await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (cause) {
      throw new CatalogError(`dataset ${record.id}: has no readable README.md card`, { code: 'CARD_MISSING', cause });
    }
  }

  /**
   * Streams a version's rows as Arrow record batches, one per DuckDB chunk, so memory stays
   * bounded however large the dataset. Private columns are included: callers entitled to the
   * dataset (a buyer, a federated job) use this; previews use `previewRows`.
   */
  async *scanBatches(ref: string, opts: ScanOptions = {}): AsyncIterable<RecordBatch> {
    const record = await this.getDataset(ref);
    yield* scanDataset(record.id, await versionParquetFiles(record), opts);
  }

  /** Forgets the snapshot. The file is not held between operations, so there is nothing else to release. */
  close(): void {
    this.snapshots.clear();
  }

  private assertWritable(): void {
    if (this.readOnly) throw new CatalogError(`catalog ${this.file}: opened read-only`, { code: 'CATALOG_READ_ONLY' });
  }

  /**
   * One read-write operation on the file, after which this instance's snapshot is reloaded.
   * `signal` stops only the wait for another process's lock.
   */
  private async write<T>(fn: (conn: DuckDBConnection) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const result = await withDuckDBFile(this.file, { readOnly: false, lockTimeoutMs: this.lockTimeoutMs, signal }, async (conn) => {
      await migrate(conn);
      return fn(conn);
    });
    // The write is done; a reader elsewhere holding the file only delays this snapshot, it must not fail the write.
    await this.snapshots.reload().catch((err: unknown) => {
      if (!(err instanceof CatalogBusyError)) throw err;
    });
    return result;
  }
}

/** The real path of a dataset directory to publish, or an error naming it. */
async function datasetRealPath(dir: string): Promise<string> {
  try {
    const real = await realpath(resolve(dir));
    if (!(await stat(real)).isDirectory()) throw new InvalidDatasetError(`dataset ${dir}: not a directory`);
    return real;
  } catch (cause) {
    if (cause instanceof InvalidDatasetError) throw cause;
    throw new InvalidDatasetError(`dataset ${dir}: no such directory`, cause);
  }
}

/** Applies the listing patch to a blank listing, only to raise its errors before the data is copied. */
function checkListing(slug: string, dir: string, manifest: DatasetManifest, patch: ListingPatch): void {
  const columns = (manifest.columns ?? []).map((c) => c.name);
  applyListingPatch(DEFAULT_LISTING, { ...patch, status: 'draft' }, { ref: `${slug} (${dir})`, columns, now: new Date().toISOString() });
}

function lookup(snap: Snapshot, ref: string): DatasetRecord | undefined {
  return snap.byId.get(ref) ?? snap.newestBySlug.get(ref);
}

/** Reads the slug's listing inside the caller's transaction, applies `patch`, writes it back. */
async function upsertListing(conn: DuckDBConnection, slug: string, id: string, columns: string[], patch: ListingPatch): Promise<void> {
  const r = await conn.runAndReadAll(
    `SELECT slug AS l_slug, title, description AS l_description, tags, owner, price_amount, price_currency, price_mint, status, private_columns, updated_at
     FROM listings WHERE slug = $slug`,
    { slug },
  );
  const base = listingFromRow(r.getRowObjectsJS()[0] ?? {});
  const next = applyListingPatch(base, patch, { ref: id, columns, now: new Date().toISOString() });
  await conn.run(
    `INSERT OR REPLACE INTO listings
     VALUES ($slug, $title, $description, $tags, $owner, $price_amount, $price_currency, $price_mint, $status, $private_columns, $updated_at)`,
    listingToRow(slug, next),
  );
}
