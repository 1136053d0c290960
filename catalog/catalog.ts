/**
 * @module The DuckDB catalog (`<home>/catalog.duckdb`): the only code that opens it. Publishing
 * verifies a dataset directory against its manifest, copies it to `<home>/datasets/<slug>/<version>/`
 * and only then inserts its row, in one transaction, so the catalog never lists half a dataset.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance, StatementType, type DuckDBConnection } from '@duckdb/node-api';
import { CatalogError, DatasetNotFoundError, InvalidDatasetError, QueryRejectedError } from './errors.js';

/** A dataset version as the catalog lists it. */
export interface DatasetRecord {
  /** `<slug>@<version>`, e.g. `demo@v1`. */
  id: string;
  slug: string;
  version: string;
  rows: number;
  bytes: number;
  /** Absolute path of the dataset directory under the data home. */
  path: string;
  license: string;
  description: string;
  languages: Record<string, number>;
  createdAt: string;
}

/** The parts of a `manifest.json` the catalog relies on. */
interface ManifestFields {
  name: string;
  description?: string;
  license?: string;
  rows: number;
  bytes: number;
  languages?: Record<string, number>;
  files: Array<{ path: string; rows: number; bytes: number; sha256: string }>;
}

/** Result of a read-only query. */
export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS datasets (
  id VARCHAR PRIMARY KEY,
  slug VARCHAR NOT NULL,
  version VARCHAR NOT NULL,
  version_number INTEGER NOT NULL,
  path VARCHAR NOT NULL,
  rows BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
  license VARCHAR NOT NULL,
  description VARCHAR NOT NULL,
  languages VARCHAR NOT NULL,
  manifest VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL,
  UNIQUE (slug, version_number)
);
CREATE TABLE IF NOT EXISTS dataset_files (
  dataset_id VARCHAR NOT NULL,
  path VARCHAR NOT NULL,
  rows BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
  sha256 VARCHAR NOT NULL
);
`;

/**
 * The catalog. Open it, use it, `close()` it in `finally`.
 *
 * @example
 * const catalog = await Catalog.open({ home: '.lumora' });
 * try { console.log(await catalog.listDatasets()); } finally { catalog.close(); }
 */
export class Catalog {
  private constructor(
    readonly home: string,
    private readonly instance: DuckDBInstance | undefined,
    private readonly connection: DuckDBConnection | undefined,
  ) {}

  /** Opens (creating on first write) `<home>/catalog.duckdb`. Read-only opens of a missing catalog see it empty. */
  static async open(opts: { home: string; readOnly?: boolean }): Promise<Catalog> {
    const home = resolve(opts.home);
    const file = join(home, 'catalog.duckdb');
    if (opts.readOnly && !existsSync(file)) return new Catalog(home, undefined, undefined);
    await mkdir(home, { recursive: true });
    try {
      const instance = await DuckDBInstance.create(file, opts.readOnly ? { access_mode: 'READ_ONLY' } : {});
      const connection = await instance.connect();
      if (!opts.readOnly) await connection.run(SCHEMA);
      return new Catalog(home, instance, connection);
    } catch (cause) {
      throw new CatalogError(`catalog ${file}: cannot open (${cause instanceof Error ? cause.message.split('\n')[0] : cause})`, {
        code: 'CATALOG_UNAVAILABLE',
        cause,
      });
    }
  }

  /** Every dataset version, newest first within a slug. */
  async listDatasets(): Promise<DatasetRecord[]> {
    if (!this.connection) return [];
    const reader = await this.connection.runAndReadAll(
      `SELECT id, slug, version, rows, bytes, path, license, description, languages, created_at
       FROM datasets ORDER BY slug, version_number DESC`,
    );
    return reader.getRowObjectsJS().map(toRecord);
  }

  /** A dataset by id (`slug@v2`) or by slug (its newest version). */
  async getDataset(ref: string): Promise<DatasetRecord> {
    if (!this.connection) throw new DatasetNotFoundError(ref);
    const reader = await this.connection.runAndReadAll(
      `SELECT id, slug, version, rows, bytes, path, license, description, languages, created_at
       FROM datasets WHERE id = $ref OR slug = $ref ORDER BY version_number DESC LIMIT 1`,
      { ref },
    );
    const row = reader.getRowObjectsJS()[0];
    if (!row) throw new DatasetNotFoundError(ref);
    return toRecord(row);
  }

  /**
   * Verifies the dataset directory against its manifest (every file present, sizes and sha256
   * match), copies it under the data home as the slug's next version and registers it.
   */
  async publish(dir: string, opts: { slug?: string } = {}): Promise<DatasetRecord> {
    const conn = this.writable();
    const src = resolve(dir);
    const manifest = await readVerifiedManifest(src);
    const slug = opts.slug ?? manifest.name;
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(slug)) {
      throw new InvalidDatasetError(`dataset ${dir}: name "${slug}" is not a valid slug (lowercase letters, digits, ".", "_", "-")`);
    }
    const next = await conn.runAndReadAll('SELECT coalesce(max(version_number), 0) + 1 AS n FROM datasets WHERE slug = $slug', { slug });
    const versionNumber = Number(next.getRowObjectsJS()[0]?.n ?? 1);
    const version = `v${versionNumber}`;
    const id = `${slug}@${version}`;
    const dest = join(this.home, 'datasets', slug, version);
    const tmp = `${dest}.publishing`;
    await rm(tmp, { recursive: true, force: true });
    // A leftover from a crash between copy and insert is not in the catalog: replace it.
    await rm(dest, { recursive: true, force: true });
    await mkdir(join(this.home, 'datasets', slug), { recursive: true });
    await cp(src, tmp, { recursive: true });
    await rename(tmp, dest);
    try {
      await conn.run('BEGIN TRANSACTION');
      await conn.run(
        `INSERT INTO datasets VALUES ($id, $slug, $version, $n, $path, $rows, $bytes, $license, $description, $languages, $manifest, now()::TIMESTAMP)`,
        {
          id,
          slug,
          version,
          n: versionNumber,
          path: dest,
          rows: manifest.rows,
          bytes: manifest.bytes,
          license: manifest.license ?? 'other',
          description: manifest.description ?? '',
          languages: JSON.stringify(manifest.languages ?? {}),
          manifest: JSON.stringify(manifest),
        },
      );
      for (const f of manifest.files) {
        await conn.run('INSERT INTO dataset_files VALUES ($id, $path, $rows, $bytes, $sha)', {
          id,
          path: f.path,
          rows: f.rows,
          bytes: f.bytes,
          sha: f.sha256,
        });
      }
      await conn.run('COMMIT');
    } catch (cause) {
      await conn.run('ROLLBACK').catch(() => undefined);
      await rm(dest, { recursive: true, force: true });
      throw new CatalogError(`dataset ${id}: could not register it`, { cause });
    }
    return this.getDataset(id);
  }

  /**
   * Runs one read-only SELECT over a dataset. The dataset's rows are the view `dataset`; any
   * statement other than a single SELECT is rejected before it runs.
   */
  async query(ref: string, sql: string): Promise<QueryResult> {
    const record = await this.getDataset(ref);
    const files = await this.dataFiles(record.id);
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const list = files.map((f) => `'${join(record.path, f).replaceAll("'", "''")}'`).join(', ');
      await conn.run(
        files.length > 0
          ? `CREATE VIEW dataset AS SELECT * FROM read_parquet([${list}])`
          : 'CREATE VIEW dataset AS SELECT NULL::VARCHAR AS id WHERE false',
      );
      let statements;
      try {
        statements = await conn.extractStatements(sql);
      } catch (cause) {
        throw new QueryRejectedError(`query on ${record.id}: ${firstLine(cause)}`, cause);
      }
      if (statements.count !== 1) throw new QueryRejectedError(`query on ${record.id}: expected exactly one statement, got ${statements.count}`);
      let prepared;
      try {
        prepared = await statements.prepare(0);
      } catch (cause) {
        throw new QueryRejectedError(`query on ${record.id}: ${firstLine(cause)}`, cause);
      }
      if (prepared.statementType !== StatementType.SELECT) {
        throw new QueryRejectedError(`query on ${record.id}: only a read-only SELECT is allowed`);
      }
      const reader = await prepared.runAndReadAll();
      return { columns: reader.columnNames(), rows: reader.getRowsJS() };
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }

  /** The Parquet files of a dataset, relative to its path. */
  async dataFiles(id: string): Promise<string[]> {
    if (!this.connection) return [];
    const r = await this.connection.runAndReadAll('SELECT path FROM dataset_files WHERE dataset_id = $id ORDER BY path', { id });
    return r.getRowObjectsJS().map((row) => String(row.path));
  }

  close(): void {
    this.connection?.closeSync();
    this.instance?.closeSync();
  }

  private writable(): DuckDBConnection {
    if (!this.connection) throw new CatalogError('catalog opened read-only', { code: 'CATALOG_READ_ONLY' });
    return this.connection;
  }
}

async function readVerifiedManifest(dir: string): Promise<ManifestFields> {
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
    const file = join(dir, f.path);
    if (!existsSync(file)) throw new InvalidDatasetError(`dataset ${dir}: ${f.path} is listed in the manifest but missing`);
    const sha = await sha256(file);
    if (sha !== f.sha256) throw new InvalidDatasetError(`dataset ${dir}: ${f.path} does not match its sha256 in the manifest`);
  }
  return m;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function toRecord(row: Record<string, unknown>): DatasetRecord {
  return {
    id: String(row.id),
    slug: String(row.slug),
    version: String(row.version),
    rows: Number(row.rows),
    bytes: Number(row.bytes),
    path: String(row.path),
    license: String(row.license),
    description: String(row.description),
    languages: JSON.parse(String(row.languages)) as Record<string, number>,
    createdAt: row.created_at instanceof Date ? row.created_at.toISOString() : String(row.created_at),
  };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
