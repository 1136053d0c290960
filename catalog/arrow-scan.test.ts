import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { RecordBatchStreamWriter, tableFromIPC, type RecordBatch } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { writeSampleDataset } from './catalog.test-helpers.js';
import { InvalidRequestError } from './errors.js';

let catalog: Catalog;
let part: string;

beforeAll(async () => {
  catalog = await Catalog.open({ home: mkdtempSync(join(tmpdir(), 'lumora-home-')) });
  const rec = await catalog.publish(await writeSampleDataset({ name: 'scan', rows: 5000 }));
  part = join(rec.path, 'data', 'part-00000.parquet');
});
afterAll(() => catalog.close());

async function collect(batches: AsyncIterable<RecordBatch>): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const b of batches) out.push(b);
  return out;
}

/** The rows DuckDB reads directly, in the JS shape Arrow's `toArray()` rows take. */
async function directRows(sql: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql.replace('$part', `'${part}'`))).getRowObjectsJS();
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe('scanBatches', () => {
  it('streams in several batches that round-trip through an IPC stream equal to a direct read', async () => {
    const batches = await collect(
      catalog.scanBatches('scan', { columns: ['id', 'quality_score', 'n', 'small', 'flag', 'quality_flags', 'fetched_at', 'pii_counts'] }),
    );
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(5000);
    const writer = new RecordBatchStreamWriter();
    for (const b of batches) writer.write(b);
    writer.finish();
    const table = tableFromIPC(await writer.toUint8Array());
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'id:Utf8',
      'quality_score:Float64',
      'n:Int64',
      'small:Int32',
      'flag:Bool',
      'quality_flags:List<Utf8>',
      'fetched_at:Timestamp<MILLISECOND>',
      'pii_counts:Utf8',
    ]);
    const expected = await directRows(
      'SELECT id, quality_score, n, small, flag, quality_flags, fetched_at, CAST(pii_counts AS VARCHAR) AS pii_counts FROM read_parquet($part)',
    );
    const got = table.toArray().map((row) => {
      const r = row.toJSON() as Record<string, unknown>;
      return { ...r, quality_flags: [...(r.quality_flags as Iterable<string>)], fetched_at: new Date(r.fetched_at as number) };
    });
    expect(got).toEqual(expected);
  });

  it('applies a where filter with bound values and a column selection', async () => {
    const batches = await collect(
      catalog.scanBatches('scan@v1', {
        columns: ['id', 'lang'],
        where: [
          { column: 'lang', op: '=', value: 'de' },
          { column: 'n', op: '<', value: 30 },
          { column: 'fetched_at', op: '>=', value: '2026-03-01 12:03:00' },
        ],
      }),
    );
    const rows = batches.flatMap((b) => b.toArray().map((r) => r.toJSON()));
    expect(rows).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27].map((i) => ({ id: `doc-${i}`, lang: 'de' })));
    expect(batches[0]?.schema.fields.map((f) => f.name)).toEqual(['id', 'lang']);
  });

  it('stops after the limit and treats a quote in a value as data, not SQL', async () => {
    const limited = await collect(catalog.scanBatches('scan', { columns: ['n'], limit: 7 }));
    expect(limited.reduce((n, b) => n + b.numRows, 0)).toBe(7);
    const none = await collect(catalog.scanBatches('scan', { columns: ['id'], where: [{ column: 'id', op: '=', value: "x' OR 1=1 --" }] }));
    expect(none.reduce((n, b) => n + b.numRows, 0)).toBe(0);
  });

  it('rejects an unknown column, listing the columns', async () => {
    await expect(collect(catalog.scanBatches('scan', { columns: ['nope'] }))).rejects.toThrow(InvalidRequestError);
    await expect(collect(catalog.scanBatches('scan', { columns: ['nope'] }))).rejects.toThrow(
      /scan of scan@v1: column "nope" does not exist \(columns: id, url, text/,
    );
    await expect(collect(catalog.scanBatches('scan', { where: [{ column: 'x', op: '=', value: 1 }] }))).rejects.toThrow(/where column "x" does not exist/);
    await expect(collect(catalog.scanBatches('scan', { where: [{ column: 'n', op: 'LIKE' as '=', value: 1 }] }))).rejects.toThrow(/where operator "LIKE"/);
  });
});
