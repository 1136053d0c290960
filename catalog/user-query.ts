/**
 * @module `catalog query`: one read-only SELECT over a dataset's Parquet files, exposed as the
 * view `dataset` in a private in-memory DuckDB that can read those files and nothing else (see
 * `openParquetReader`). Anything but a single SELECT is rejected before it runs.
 */
import { StatementType } from '@duckdb/node-api';
import { QueryRejectedError } from './errors.js';
import { sqlString, withParquetReader } from './parquet-source.js';

/** Result of a read-only query. */
export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

/**
 * Runs `sql` over the files of dataset `id`. The SQL is the caller's: DuckDB's own walls keep it
 * to these files (a SELECT can call read_csv, read_text, glob…), and every failure, at parse,
 * bind or run time, is a QueryRejectedError naming the dataset.
 */
export async function runReadOnlySelect(id: string, files: string[], sql: string): Promise<QueryResult> {
  return withParquetReader(files, async (conn) => {
    // Paths come from the catalog (under the data home), never from the caller; a view cannot take parameters.
    await conn.run(
      files.length > 0
        ? `CREATE VIEW dataset AS SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}])`
        : 'CREATE VIEW dataset AS SELECT NULL::VARCHAR AS id WHERE false',
    );
    const rejected = (cause: unknown) => new QueryRejectedError(`query on ${id}: ${explain(cause)}`, cause);
    let statements;
    try {
      statements = await conn.extractStatements(sql);
    } catch (cause) {
      throw rejected(cause);
    }
    if (statements.count !== 1) throw new QueryRejectedError(`query on ${id}: expected exactly one statement, got ${statements.count}`);
    let prepared;
    try {
      prepared = await statements.prepare(0);
    } catch (cause) {
      throw rejected(cause);
    }
    if (prepared.statementType !== StatementType.SELECT) throw new QueryRejectedError(`query on ${id}: only a read-only SELECT is allowed`);
    try {
      const reader = await prepared.runAndReadAll();
      return { columns: reader.columnNames(), rows: reader.getRowsJS() };
    } catch (cause) {
      throw rejected(cause);
    }
  });
}

/** DuckDB's first line, with the rule behind a refusal of the sandbox said in words. */
function explain(err: unknown): string {
  const first = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  if (/^Permission Error/i.test(first)) return `only the dataset's own files can be read, as the view "dataset" (${first})`;
  if (/configuration has been locked/i.test(first)) return `settings cannot be changed (${first})`;
  return first;
}
