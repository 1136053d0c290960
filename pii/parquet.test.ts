import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { createEngine, piiConfigSchema, redactParquet } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'lumora-pii-parquet-'));
const input = join(dir, 'in.parquet');

async function sql<T = Record<string, unknown>>(query: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(query)).getRowObjectsJS() as T[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

beforeAll(async () => {
  await sql(`COPY (SELECT * FROM (VALUES
      (1, 'Mail ana@example.com or call (202) 555-0143.', 'Ana Silva', 10.5),
      (2, NULL, 'Omar Haddad', 2.0),
      (3, 'Nothing personal here.', 'Ana Silva', 3.25)
    ) t(id, body, author, amount)) TO '${input}' (FORMAT parquet)`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('redactParquet', () => {
  it('redacts the chosen text columns into a new file with the same schema, rows and order', async () => {
    const { analyzer, anonymizer } = createEngine(piiConfigSchema.parse({ operators: { PERSON: { type: 'pseudonym' } }, pseudonymScope: 'dataset' }));
    const output = join(dir, 'out.parquet');
    const audit: Array<[number, string, string[]]> = [];
    const r = await redactParquet(input, output, { analyzer, anonymizer, onFindings: (row, column, f) => audit.push([row, column, f.map((x) => x.type)]) });
    expect(r).toEqual({ rows: 3, columns: ['body', 'author'] });
    const rows = await sql(`SELECT * FROM read_parquet('${output}')`);
    expect(rows).toEqual([
      { id: 1, body: 'Mail <EMAIL_ADDRESS> or call <PHONE_NUMBER>.', author: '<PERSON_1>', amount: 10.5 },
      { id: 2, body: null, author: '<PERSON_2>', amount: 2 },
      { id: 3, body: 'Nothing personal here.', author: '<PERSON_1>', amount: 3.25 },
    ]);
    const types = await sql<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet('${output}')`);
    expect(types.map((t) => `${t.column_name}:${t.column_type}`)).toEqual(['id:INTEGER', 'body:VARCHAR', 'author:VARCHAR', 'amount:DECIMAL(4,2)']);
    expect(audit).toContainEqual([0, 'body', ['EMAIL_ADDRESS', 'PHONE_NUMBER']]);
  });

  it('names a missing or non-text column, and an unreadable file', async () => {
    const { analyzer, anonymizer } = createEngine(piiConfigSchema.parse({}));
    await expect(redactParquet(input, join(dir, 'x.parquet'), { analyzer, anonymizer, columns: ['nope'] })).rejects.toThrow(
      /has no column "nope" \(it has: id, body, author, amount\)/,
    );
    await expect(redactParquet(input, join(dir, 'x.parquet'), { analyzer, anonymizer, columns: ['amount'] })).rejects.toThrow(
      /column "amount" is DECIMAL\(4,2\), not text/,
    );
    await expect(redactParquet(join(dir, 'missing.parquet'), join(dir, 'x.parquet'), { analyzer, anonymizer })).rejects.toThrow(/not a readable Parquet file/);
  });
});
