/**
 * @module `catalog query`: one read-only SELECT over a dataset's Parquet files, exposed as the
 * view `dataset` in a private in-memory DuckDB. Anything but a single SELECT is rejected
 * before it runs.
 */
import { StatementType } from '@duckdb/node-api';
import { QueryRejectedError } from './errors.js';
import { withParquetReader } from './parquet-source.js';

/** Result of a read-only query. */
export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

/** Runs `sql` over the files of dataset `id`. */
export async function runReadOnlySelect(id: string, files: string[], sql: string): Promise<QueryResult> {
  return withParquetReader(async (conn) => {
    // Paths come from the catalog (under the data home), never from the caller; a view cannot take parameters.
    const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ');
    await conn.run(
      files.length > 0 ? `CREATE VIEW dataset AS SELECT * FROM read_parquet([${list}])` : 'CREATE VIEW dataset AS SELECT NULL::VARCHAR AS id WHERE false',
    );
    let statements;
    try {
      statements = await conn.extractStatements(sql);
    } catch (cause) {
      throw new QueryRejectedError(`query on ${id}: ${firstLine(cause)}`, cause);
    }
    if (statements.count !== 1) throw new QueryRejectedError(`query on ${id}: expected exactly one statement, got ${statements.count}`);
    let prepared;
    try {
      prepared = await statements.prepare(0);
    } catch (cause) {
      throw new QueryRejectedError(`query on ${id}: ${firstLine(cause)}`, cause);
    }
    if (prepared.statementType !== StatementType.SELECT) throw new QueryRejectedError(`query on ${id}: only a read-only SELECT is allowed`);
    const reader = await prepared.runAndReadAll();
    return { columns: reader.columnNames(), rows: reader.getRowsJS() };
  });
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
