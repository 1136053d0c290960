// Issue 11, high: `lumora query` ran the caller's SELECT in a DuckDB that could read any file the
// process could (read_csv('/etc/passwd'), read_text, read_blob of the server's session key, glob,
// the same inside a CTE) and, given a network, would have installed and loaded httpfs on demand.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog, QueryRejectedError } from '../../catalog/index.js';
import { writeSampleDataset } from '../../catalog/catalog.test-helpers.js';
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
    ['a CTE around read_text, joined to the dataset', () => `WITH k AS (SELECT content FROM read_text('${join(home, 'server.key')}')) SELECT d.id, k.content FROM dataset d, k`],
    ['a subquery in the select list', () => `SELECT id, (SELECT content FROM read_blob('${join(home, 'server.key')}')) FROM dataset`],
    ['read_parquet of a Parquet file outside the dataset', () => `SELECT * FROM read_parquet('${outsideParquet}')`],
    ['a path that climbs out of the dataset directory', () => `SELECT * FROM read_text('${join(home, 'datasets', 'sample', 'v1', 'data')}/../../../../server.key')`],
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
