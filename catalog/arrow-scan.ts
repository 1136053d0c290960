/**
 * @module A dataset version as a stream of Arrow record batches: DuckDB streams the Parquet files
 * chunk by chunk and each chunk becomes one batch with a schema fixed up front, so a multi-GB
 * dataset passes through bounded memory. Callers pick columns and simple comparisons; they never
 * write SQL.
 */
import { JSDuckDBValueConverter, type DuckDBDataChunk } from '@duckdb/node-api';
import {
  Bool,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  makeBuilder,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  TimestampMillisecond,
  Utf8,
  type DataType,
} from 'apache-arrow';
import { InvalidRequestError } from './errors.js';
import { describeParquet, filesParam, openParquetReader, quoteIdent, type ParquetColumn } from './parquet-source.js';

export const SCAN_OPERATORS = ['=', '!=', '<', '<=', '>', '>='] as const;

/** `column op value`; all conditions must hold. */
export interface ScanCondition {
  column: string;
  op: (typeof SCAN_OPERATORS)[number];
  value: string | number | boolean;
}

export interface ScanOptions {
  /** Columns to read, in this order; default all. */
  columns?: string[];
  where?: ScanCondition[];
  /** Stop after this many rows. */
  limit?: number;
}

/** How one DuckDB column becomes one Arrow field. */
interface ColumnPlan {
  name: string;
  /** The select expression: the column, or a cast to a type that has an Arrow mapping. */
  sql: string;
  type: DataType;
  convert: (v: unknown) => unknown;
}

const identity = (v: unknown) => v;
const toMs = (v: unknown) => (v instanceof Date ? v.getTime() : v);

/** DuckDB types read as they are; the rest are cast (integers widened, everything else to text). */
function planColumn(c: ParquetColumn): ColumnPlan {
  const col = quoteIdent(c.name);
  const t = c.type.toUpperCase();
  const plan = (sql: string, type: DataType, convert = identity): ColumnPlan => ({ name: c.name, sql, type, convert });
  if (t === 'VARCHAR') return plan(col, new Utf8());
  if (t === 'DOUBLE' || t === 'FLOAT') return plan(`CAST(${col} AS DOUBLE)`, new Float64());
  if (t === 'INTEGER' || t === 'SMALLINT' || t === 'TINYINT' || t === 'USMALLINT' || t === 'UTINYINT') return plan(`CAST(${col} AS INTEGER)`, new Int32());
  if (t === 'BIGINT' || t === 'UINTEGER') return plan(`CAST(${col} AS BIGINT)`, new Int64());
  if (t === 'BOOLEAN') return plan(col, new Bool());
  if (t.startsWith('TIMESTAMP')) return plan(`CAST(${col} AS TIMESTAMP)`, new TimestampMillisecond(), toMs);
  if (t === 'VARCHAR[]') return plan(col, new List(new Field('item', new Utf8(), true)));
  return plan(`CAST(${col} AS VARCHAR)`, new Utf8());
}

/**
 * Streams dataset `id`'s `files` as record batches. Unknown columns, operators or non-integer
 * limits are InvalidRequestError naming the dataset and listing its columns; values are bound as
 * parameters and cast to the column's type by DuckDB.
 */
export async function* scanDataset(id: string, files: string[], opts: ScanOptions = {}): AsyncIterable<RecordBatch> {
  const bad = (rule: string, cause?: unknown) => new InvalidRequestError(`scan of ${id}: ${rule}`, cause);
  if (opts.limit !== undefined && (!Number.isSafeInteger(opts.limit) || opts.limit < 0)) throw bad('limit must be an integer >= 0');
  if (files.length === 0) return;
  // Values from the caller are bound as parameters; the reader can read these files only, whatever they hold.
  const reader = await openParquetReader(files);
  const conn = reader.conn;
  try {
    const available = await describeParquet(conn, files);
    const byName = new Map(available.map((c) => [c.name, c]));
    const known = () => available.map((c) => c.name).join(', ');
    const selected = (opts.columns ?? available.map((c) => c.name)).map((name) => {
      const c = byName.get(name);
      if (!c) throw bad(`column "${name}" does not exist (columns: ${known()})`);
      return c;
    });
    if (selected.length === 0) throw bad('columns must name at least one column');
    const plans = selected.map(planColumn);
    const values: Record<string, string | number | boolean | bigint> = {};
    const where = (opts.where ?? []).map((w, i) => {
      const c = byName.get(w.column);
      if (!c) throw bad(`where column "${w.column}" does not exist (columns: ${known()})`);
      if (!SCAN_OPERATORS.includes(w.op)) throw bad(`where operator "${w.op}" is not one of ${SCAN_OPERATORS.join(' ')}`);
      if (!['string', 'number', 'boolean'].includes(typeof w.value)) throw bad(`where value for "${w.column}" must be a string, number or boolean`);
      if (/[[\]()]|MAP|STRUCT|UNION/i.test(c.type)) throw bad(`where column "${w.column}" has type ${c.type}, which cannot be compared`);
      values[`w${i}`] = w.value;
      // The type name comes from DuckDB's DESCRIBE of our own files, not from the caller.
      return `${quoteIdent(c.name)} ${w.op} CAST($w${i} AS ${c.type})`;
    });
    if (opts.limit !== undefined) values.limit = BigInt(opts.limit);
    const p = filesParam(files);
    const sql = `SELECT ${plans.map((pl) => `${pl.sql} AS ${quoteIdent(pl.name)}`).join(', ')} FROM read_parquet($files)${
      where.length ? ` WHERE ${where.join(' AND ')}` : ''
    }${opts.limit !== undefined ? ' LIMIT $limit' : ''}`;
    const schema = new Schema(plans.map((pl) => new Field(pl.name, pl.type, true)));
    let result;
    try {
      result = await conn.stream(sql, { ...p.values, ...values }, p.types);
    } catch (cause) {
      throw bad('the where values do not match the column types', cause);
    }
    let batches = 0;
    for (;;) {
      let chunk: DuckDBDataChunk | null;
      try {
        chunk = await result.fetchChunk();
      } catch (cause) {
        throw bad('reading the Parquet files failed (a where value may not convert to its column type)', cause);
      }
      if (!chunk || chunk.rowCount === 0) break;
      batches++;
      yield toRecordBatch(schema, plans, chunk);
    }
    // No rows still has a schema: readers of an IPC stream need it even when it carries no data.
    if (batches === 0) yield emptyBatch(schema, plans);
  } finally {
    reader.close();
  }
}

function emptyBatch(schema: Schema, plans: ColumnPlan[]): RecordBatch {
  const children = plans.map((plan) =>
    makeBuilder({ type: plan.type, nullValues: [null, undefined] })
      .finish()
      .flush(),
  );
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 0, nullCount: 0, children }));
}

/** One DuckDB chunk as one Arrow batch of `schema`. */
function toRecordBatch(schema: Schema, plans: ColumnPlan[], chunk: DuckDBDataChunk): RecordBatch {
  const length = chunk.rowCount;
  const children = plans.map((plan, i) => {
    const builder = makeBuilder({ type: plan.type, nullValues: [null, undefined] });
    for (const v of chunk.convertColumnValues(i, JSDuckDBValueConverter)) builder.append(plan.convert(v) as never);
    return builder.finish().flush();
  });
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
}
