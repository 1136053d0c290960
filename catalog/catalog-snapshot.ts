/**
 * @module The in-memory copy of the catalog that reads are served from: every version, lookups by
 * id and slug, and the search index. A stat of the DuckDB file and its WAL (two syscalls, a few
 * microseconds) tells whether another process changed it; this process's own writes reload it
 * at once.
 */
import { existsSync, statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { toDatasetRecord, type DatasetFileRecord, type DatasetRecord } from './dataset-record.js';
import { withDuckDBFile } from './duckdb-file.js';
import { CatalogBusyError } from './errors.js';
import { listingFromRow } from './listing.js';
import { readSchemaParts } from './schema.js';
import { SearchIndex } from './search-index.js';

/** One consistent view of the catalog. */
export interface Snapshot {
  /** By slug, newest version first within a slug. */
  all: DatasetRecord[];
  byId: Map<string, DatasetRecord>;
  newestBySlug: Map<string, DatasetRecord>;
  /** Over the newest version of each slug. */
  index: SearchIndex;
}

const EMPTY: Snapshot = { all: [], byId: new Map(), newestBySlug: new Map(), index: SearchIndex.build([]) };

/** Keeps the snapshot of one catalog file fresh. */
export class CatalogSnapshot {
  private snapshot: Snapshot | undefined;
  private stamp = '';
  private checkedAtMs = 0;
  private requested = 0;
  private applied = 0;
  private inflight: { load: Promise<Snapshot>; deadlineMs: number } | undefined;
  private failed = false;

  constructor(private readonly opts: { file: string; lockTimeoutMs: number; refreshIntervalMs: number; refreshWaitMs: number }) {}

  /**
   * The snapshot, reloaded when a stat shows that the file changed. Callers wait for that reload
   * for at most `refreshWaitMs` after it started, then get the previous snapshot while it goes
   * on: a process holding the file for long (a lock) delays freshness, never a search. A reload
   * that fails for any reason other than CATALOG_BUSY is thrown to its callers and the next one.
   */
  async current(): Promise<Snapshot> {
    if (!this.snapshot || this.failed) return this.reload();
    if (!this.inflight) {
      const now = Date.now();
      if (now - this.checkedAtMs < this.opts.refreshIntervalMs) return this.snapshot;
      this.checkedAtMs = now;
      if (fileStamp(this.opts.file) === this.stamp) return this.snapshot;
      this.startReload();
    }
    return this.waitForReload(this.snapshot);
  }

  private startReload(): void {
    const load = this.reload();
    const inflight = { load, deadlineMs: Date.now() + this.opts.refreshWaitMs };
    this.inflight = inflight;
    load
      .catch((err: unknown) => {
        // Busy: keep serving the previous snapshot; the stamp is unchanged, so the next check retries.
        if (!(err instanceof CatalogBusyError)) this.failed = true;
      })
      .finally(() => {
        if (this.inflight === inflight) this.inflight = undefined;
      });
  }

  private async waitForReload(previous: Snapshot): Promise<Snapshot> {
    const inflight = this.inflight;
    if (!inflight) return this.snapshot ?? previous;
    const remainingMs = inflight.deadlineMs - Date.now();
    if (remainingMs <= 0) return previous;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Snapshot>((r) => (timer = setTimeout(() => r(previous), remainingMs)));
    const loaded = inflight.load.catch((err: unknown) => {
      if (err instanceof CatalogBusyError) return previous;
      throw err;
    });
    try {
      return await Promise.race([loaded, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The snapshot, reloaded first if the file changed since it was read (for lookups that missed). */
  async currentIfChanged(): Promise<Snapshot> {
    if (this.snapshot && fileStamp(this.opts.file) === this.stamp && !this.failed) return this.snapshot;
    return this.reload();
  }

  /** Reads the catalog now. Loads finish in the order they started, so a later load never loses to an earlier one. */
  async reload(): Promise<Snapshot> {
    const seq = ++this.requested;
    const { snapshot, stamp } = await this.load();
    if (seq > this.applied) {
      this.applied = seq;
      this.snapshot = snapshot;
      this.stamp = stamp;
      this.failed = false;
    }
    return this.snapshot as Snapshot;
  }

  clear(): void {
    this.snapshot = undefined;
    this.stamp = '';
  }

  private async load(): Promise<{ snapshot: Snapshot; stamp: string }> {
    const { file, lockTimeoutMs } = this.opts;
    // No catalog yet (a read-only open of a fresh home) reads as empty, without creating one.
    if (!existsSync(file)) return { snapshot: EMPTY, stamp: fileStamp(file) };
    return withDuckDBFile(file, { readOnly: true, lockTimeoutMs }, async (conn) => {
      // Stat before reading: a write landing during the read is then seen again next time, never missed.
      const stamp = fileStamp(file);
      return { snapshot: await readSnapshot(conn), stamp };
    });
  }
}

/** Changes whenever DuckDB writes the file or its WAL. */
function fileStamp(file: string): string {
  const part = (p: string) => {
    // Absent is a valid state: no catalog yet, or the WAL checkpointed away.
    const s = statSync(p, { bigint: true, throwIfNoEntry: false });
    return s ? `${s.ino}:${s.size}:${s.mtimeNs}` : '-';
  };
  return `${part(file)}|${part(`${file}.wal`)}`;
}

async function readSnapshot(conn: DuckDBConnection): Promise<Snapshot> {
  const parts = await readSchemaParts(conn);
  if (!parts.datasets) return EMPTY;
  const summary = parts.summary ? 'coalesce(d.summary, d.manifest)' : 'd.manifest';
  const listing = parts.listings
    ? `l.slug AS l_slug, l.title, l.description AS l_description, l.tags, l.owner, l.price_amount, l.price_currency, l.price_mint, l.status, l.private_columns, l.updated_at`
    : 'NULL AS l_slug';
  const rows = await conn.runAndReadAll(
    `SELECT d.id, d.slug, d.version, d.version_number, d.path, d.rows, d.bytes, d.license, d.description, d.languages, d.created_at,
            ${summary} AS summary, ${listing}
     FROM datasets d ${parts.listings ? 'LEFT JOIN listings l ON l.slug = d.slug' : ''}
     ORDER BY d.slug, d.version_number DESC`,
  );
  const fileRows = await conn.runAndReadAll('SELECT dataset_id, path, rows, bytes, sha256 FROM dataset_files ORDER BY dataset_id, path');
  const files = new Map<string, DatasetFileRecord[]>();
  for (const f of fileRows.getRowObjectsJS()) {
    const id = String(f.dataset_id);
    let list = files.get(id);
    if (!list) files.set(id, (list = []));
    list.push({ path: String(f.path), rows: Number(f.rows), bytes: Number(f.bytes), sha256: String(f.sha256) });
  }
  const all = rows.getRowObjectsJS().map((row) => toDatasetRecord(row, files.get(String(row.id)) ?? [], listingFromRow(row)));
  const byId = new Map(all.map((r) => [r.id, r]));
  const newestBySlug = new Map<string, DatasetRecord>();
  for (const r of all) if (!newestBySlug.has(r.slug)) newestBySlug.set(r.slug, r);
  return { all, byId, newestBySlug, index: SearchIndex.build([...newestBySlug.values()]) };
}
