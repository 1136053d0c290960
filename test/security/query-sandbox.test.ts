// Issue 11, high: `lumora query` ran the caller's SELECT in a DuckDB that could read any file the
// process could (read_csv('/etc/passwd'), read_text, read_blob of the server's session key, glob,
// the same inside a CTE) and, given a network, would have installed and loaded httpfs on demand.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog, CatalogError, QueryRejectedError } from '../../catalog/index.js';
import { writeSampleDataset } from '../../catalog/catalog.test-helpers.js';
import { openParquetReader, type ParquetReader } from '../../catalog/parquet-source.js';
import { lumora } from '../e2e/helpers.js';

const SECRET = 'secret-session-key-0123456789abcdef';
let dir: string;
let home: string;
let catalog: Catalog;
let outsideParquet: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lumora-query-sandbox-'));
  home = join(dir, 'home');
  catalog = await Catalog.open({ home });
  await catalog.publish(await writeSampleDataset({ name: 'sample', rows: 12 }));
  // What an attacker is after: the server's key in the data home, any CSV or text on the machine,
  // and Parquet files that are not this dataset's.
  writeFileSync(join(home, 'server.key'), SECRET);
  writeFileSync(join(dir, 'people.csv'), `name,key\nalice,${SECRET}\n`);
  outsideParquet = join(dir, 'other.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(`COPY (SELECT '${SECRET}' AS key) TO '${outsideParquet}' (FORMAT parquet)`);
  conn.closeSync();
  instance.closeSync();
});

afterAll(() => {
  catalog?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rejection(sql: string): Promise<QueryRejectedError> {
  const err = await catalog.query('sample', sql).then(
    (r) => new Error(`query ran and returned ${JSON.stringify(r.rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).slice(0, 200)}`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(QueryRejectedError);
  const rejected = err as QueryRejectedError;
  expect(rejected.code).toBe('QUERY_REJECTED');
  expect(rejected.message).toMatch(/^query on sample@v1: /);
  expect(rejected.message).not.toContain(SECRET);
  return rejected;
}

describe('lumora query reads only the dataset’s own files', () => {
  const reads: Array<[string, () => string]> = [
    ['read_csv of a file on the machine', () => `SELECT * FROM read_csv('${join(dir, 'people.csv')}')`],
    ['read_csv of /etc/passwd', () => `SELECT * FROM read_csv('/etc/passwd', sep = ':')`],
    ['read_text of the server key', () => `SELECT content FROM read_text('${join(home, 'server.key')}')`],
    ['read_blob of the server key', () => `SELECT content FROM read_blob('${join(home, 'server.key')}')`],
    ['glob of the data home', () => `SELECT * FROM glob('${home}/*')`],
    [
      'a CTE around read_text, joined to the dataset',
      () => `WITH k AS (SELECT content FROM read_text('${join(home, 'server.key')}')) SELECT d.id, k.content FROM dataset d, k`,
    ],
    ['a subquery in the select list', () => `SELECT id, (SELECT content FROM read_blob('${join(home, 'server.key')}')) FROM dataset`],
    ['read_parquet of a Parquet file outside the dataset', () => `SELECT * FROM read_parquet('${outsideParquet}')`],
    [
      'a path that climbs out of the dataset directory',
      () => `SELECT * FROM read_text('${join(home, 'datasets', 'sample', 'v1', 'data')}/../../../../server.key')`,
    ],
    ['read_parquet of a URL (would autoload httpfs)', () => `SELECT * FROM read_parquet('https://example.invalid/x.parquet')`],
  ];
  for (const [what, sql] of reads) {
    it(`refuses ${what}, saying only the dataset's files can be read`, async () => {
      const err = await rejection(sql());
      expect(err.message).toContain("only the dataset's own files can be read");
    });
  }

  const statements: Array<[string, () => string]> = [
    ['SET enable_external_access=true', () => 'SET enable_external_access = true'],
    ['INSTALL httpfs', () => 'INSTALL httpfs'],
    ['LOAD httpfs', () => 'LOAD httpfs'],
    ['ATTACH of another database file', () => `ATTACH '${join(home, 'catalog.duckdb')}' AS c`],
    ['COPY to a file', () => `COPY (SELECT * FROM dataset) TO '${join(dir, 'dump.csv')}'`],
    ['a SELECT followed by a SET', () => 'SELECT 1; SET enable_external_access = true'],
  ];
  for (const [what, sql] of statements) {
    it(`refuses ${what}`, async () => {
      await rejection(sql());
    });
  }

  it('keeps the lock even where a SELECT reaches settings: extensions cannot be loaded or listed from disk', async () => {
    const err = await rejection(`SELECT * FROM duckdb_extensions()`);
    expect(err.message).toContain("only the dataset's own files can be read");
  });

  it('still runs a normal query over the dataset', async () => {
    const r = await catalog.query('sample', 'SELECT lang, count(*) AS n FROM dataset GROUP BY lang ORDER BY lang');
    expect(r.columns).toEqual(['lang', 'n']);
    expect(r.rows).toEqual([
      ['de', 4n],
      ['en', 8n],
    ]);
    const preview = await catalog.previewRows('sample', { limit: 2 });
    expect(preview.rows).toHaveLength(2);
  });

  it('prints one line naming the dataset from the CLI, exits 2, and shows nothing of the file', () => {
    const r = lumora(['query', 'sample', `SELECT content FROM read_text('${join(home, 'server.key')}')`, '--home', home]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^lumora: query on sample@v1: only the dataset's own files can be read/);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });
});

// The statements above never reach DuckDB: the one-SELECT check refuses them first. These run
// straight on a reader's connection, so what refuses them is DuckDB's own configuration:
// lock_configuration for settings, enable_external_access = false for files, extensions and
// databases. Each message is DuckDB's, not ours.
describe("a Parquet reader's DuckDB refuses by itself what the SELECT check would have stopped", () => {
  let reader: ParquetReader;
  let files: string[];

  beforeAll(async () => {
    files = (await catalog.datasetFiles('sample')).map((f) => f.absolutePath);
    reader = await openParquetReader(files);
  });
  afterAll(() => reader?.close());

  /** DuckDB's error for `sql` on the reader's connection. */
  async function refusal(sql: string): Promise<string> {
    const err = await reader.conn.run(sql).then(
      () => new Error(`DuckDB ran: ${sql}`),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(CatalogError);
    return (err as Error).message.split('\n')[0] ?? '';
  }

  const locked = /^Invalid Input Error: Cannot change configuration option "\w+" - the configuration has been locked$/;
  const noFiles = /^Permission Error: .*disabled (by|through) configuration$/;
  const cases: Array<[string, () => string, RegExp]> = [
    ['SET enable_external_access = true', () => 'SET enable_external_access = true', locked],
    ['SET allowed_paths to the whole machine', () => `SET allowed_paths = ['/', '${home}']`, locked],
    ['SET lock_configuration = false', () => 'SET lock_configuration = false', locked],
    ['SET autoload_known_extensions = true', () => 'SET autoload_known_extensions = true', locked],
    ['INSTALL httpfs', () => 'INSTALL httpfs', noFiles],
    ['LOAD httpfs', () => 'LOAD httpfs', noFiles],
    ['ATTACH of the catalog database', () => `ATTACH '${join(home, 'catalog.duckdb')}' AS c`, noFiles],
    ['COPY to a file', () => `COPY (SELECT 1) TO '${join(dir, 'dump.csv')}'`, noFiles],
    [
      "SELECT * FROM read_text('/etc/hostname')",
      () => `SELECT * FROM read_text('/etc/hostname')`,
      /^Permission Error: Cannot access file "\/etc\/hostname" - file system operations are disabled by configuration$/,
    ],
    ['read_blob of the server key', () => `SELECT * FROM read_blob('${join(home, 'server.key')}')`, noFiles],
  ];
  for (const [what, sql, rule] of cases) {
    it(`DuckDB refuses ${what}`, async () => {
      expect(await refusal(sql())).toMatch(rule);
    });
  }

  it('still reads its own files, and the settings are as they were after every refusal', async () => {
    const p = await reader.conn.runAndReadAll(`SELECT count(*) AS n FROM read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`);
    expect(p.getRowsJS()).toEqual([[12n]]);
    const settings = await reader.conn.runAndReadAll(
      `SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', 'lock_configuration', 'autoload_known_extensions', 'autoinstall_known_extensions') ORDER BY name`,
    );
    expect(settings.getRowsJS()).toEqual([
      ['autoinstall_known_extensions', 'false'],
      ['autoload_known_extensions', 'false'],
      ['enable_external_access', 'false'],
      ['lock_configuration', 'true'],
    ]);
  });
});
