/**
 * @module Redacting Parquet columns: DuckDB reads the file, a scalar function of ours redacts the
 * chosen text columns as they stream through, and `COPY … TO` writes a new zstd Parquet file with
 * the same schema and row order. Nothing but the current vector of rows is held in memory.
 */
import { DuckDBInstance, DuckDBScalarFunction, BIGINT, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import type { ColumnRedactOptions, ColumnRedaction } from './columns.js';
import { PiiError } from './errors.js';

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function redactParquet(input: string, output: string, opts: ColumnRedactOptions): Promise<ColumnRedaction> {
  // One thread: cells reach the function in row order, so dataset-wide pseudonyms are numbered
  // the same way on every run.
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    const columns = await chooseColumns(connection, input, opts.columns);
    connection.registerScalarFunction(
      DuckDBScalarFunction.create({
        name: 'lumora_redact',
        returnType: VARCHAR,
        parameterTypes: [VARCHAR, VARCHAR, BIGINT],
        volatile: true,
        mainFunction: (_info, chunk, out) => {
          const values = chunk.getColumnVector(0);
          const names = chunk.getColumnVector(1);
          const rows = chunk.getColumnVector(2);
          for (let i = 0; i < chunk.rowCount; i++) {
            const value = values.getItem(i) as string | null;
            if (value === null) {
              out.setItem(i, null);
              continue;
            }
            const findings = opts.analyzer.analyze(value, opts.language ? { language: opts.language } : {});
            if (findings.length > 0) opts.onFindings?.(Number(rows.getItem(i)), names.getItem(i) as string, findings);
            out.setItem(i, findings.length === 0 ? value : opts.anonymizer.anonymize(value, findings).text);
          }
          out.flush();
        },
      }),
    );
    const replace = columns.map((c) => `lumora_redact(${quoteIdent(c)}, ${quoteLiteral(c)}, file_row_number) AS ${quoteIdent(c)}`).join(', ');
    const select = `SELECT * EXCLUDE (file_row_number) REPLACE (${replace}) FROM read_parquet(${quoteLiteral(input)}, file_row_number = true) ORDER BY file_row_number`;
    await connection.run(`COPY (${select}) TO ${quoteLiteral(output)} (FORMAT parquet, COMPRESSION zstd)`);
    const count = await connection.runAndReadAll(`SELECT count(*) FROM read_parquet(${quoteLiteral(output)})`);
    return { rows: Number(count.getRows()[0]?.[0] ?? 0), columns };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function chooseColumns(connection: DuckDBConnection, input: string, wanted: readonly string[] | undefined): Promise<string[]> {
  let described;
  try {
    described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(input)})`);
  } catch (cause) {
    throw new PiiError(`${input}: not a readable Parquet file (${(cause as Error).message.split('\n')[0]})`, { code: 'PII_BAD_INPUT', cause });
  }
  const types = new Map(described.getRowObjects().map((r) => [String(r.column_name), String(r.column_type)]));
  if (!wanted || wanted.length === 0) {
    const text = [...types.entries()].filter(([, t]) => t === 'VARCHAR').map(([c]) => c);
    // Text inside lists or structs cannot be rewritten yet; leaving it silently would leak it.
    const nested = [...types.entries()].filter(([, t]) => t !== 'VARCHAR' && /VARCHAR/.test(t));
    if (nested.length > 0) {
      throw new PiiError(
        `${input}: ${nested.map(([c, t]) => `${c} (${t})`).join(', ')} hold text inside lists or structs, which redact cannot rewrite; ` +
          'pass --columns with the text columns to redact to go ahead without them',
        { code: 'PII_BAD_INPUT' },
      );
    }
    if (text.length === 0) throw new PiiError(`${input}: has no text (VARCHAR) columns to redact`, { code: 'PII_BAD_INPUT' });
    return text;
  }
  for (const c of wanted) {
    const t = types.get(c);
    if (t === undefined) throw new PiiError(`--columns: ${input} has no column "${c}" (it has: ${[...types.keys()].join(', ')})`, { code: 'PII_BAD_INPUT' });
    if (t !== 'VARCHAR') throw new PiiError(`--columns: column "${c}" is ${t}, not text; only VARCHAR columns can be redacted`, { code: 'PII_BAD_INPUT' });
  }
  return [...wanted];
}
