/**
 * @module GET /arrow/<datasetId>: a signed link to a dataset version's rows as an Arrow IPC
 * stream (`application/vnd.apache.arrow.stream`), streamed batch by batch from the Parquet files
 * with backpressure. Unsigned query parameters narrow it: `columns=a,b` (once, each column once)
 * and `where=col<op>value` (ops `=`, `!=`, `<`, `<=`, `>`, `>=`; repeat `where` for AND, up to 16;
 * values bound, never spliced into SQL).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { RecordBatchStreamWriter, type RecordBatch } from 'apache-arrow';
import { CatalogError, type DatasetRecord } from '../../catalog/index.js';
import { checkSignedLink } from '../access.js';
import type { Market } from '../market.js';
import { decodePath, sendJson } from './http.js';

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';
export interface WhereCondition {
  column: string;
  op: Op;
  value: string | number | boolean;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL)/;

/** Parses `col<op>value` against the dataset's columns; throws a message naming the bad part. */
export function parseWhere(text: string, dataset: Pick<DatasetRecord, 'id' | 'columns'>): WhereCondition {
  const m = /^([A-Za-z_][\w]*)(>=|<=|!=|=|<|>)(.*)$/s.exec(text);
  if (!m) throw new Error(`where "${text.slice(0, 80)}": expected column<op>value with op one of = != < <= > >=`);
  const [, column, op, raw] = m as unknown as [string, string, Op, string];
  const col = dataset.columns.find((c) => c.name === column);
  if (!col) throw new Error(`where: dataset ${dataset.id} has no column "${column.slice(0, 80)}" (columns: ${dataset.columns.map((c) => c.name).join(', ')})`);
  if (/[[\]()]|MAP|STRUCT|UNION/i.test(col.type)) throw new Error(`where ${column}${op}: column ${column} is ${col.type}; only scalar columns can be compared`);
  if (NUMERIC.test(col.type)) {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n))
      throw new Error(`where ${column}${op}: "${raw.slice(0, 40)}" is not a number (column ${column} is ${col.type})`);
    return { column, op, value: n };
  }
  if (col.type === 'BOOLEAN') {
    if (raw !== 'true' && raw !== 'false') throw new Error(`where ${column}${op}: expected true or false (column ${column} is BOOLEAN)`);
    return { column, op, value: raw === 'true' };
  }
  return { column, op, value: raw };
}

const MAX_WHERE = 16;

/** The `columns` parameter: one list, each column once (a repeated column would repeat its data in the stream). */
export function parseColumns(params: string[]): string[] | undefined {
  if (params.length === 0) return undefined;
  if (params.length > 1) throw new Error(`columns: given ${params.length} times; give it once, as columns=a,b`);
  const columns = (params[0] as string)
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new Error(`columns: "${c.slice(0, 80)}" is listed twice; list each column once`);
    seen.add(c);
  }
  return columns.length > 0 ? columns : undefined;
}

export async function handleArrow(market: Market, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== 'GET') return sendJson(res, 405, { error: 'GET' });
  const check = checkSignedLink(market, url);
  if (!check.ok) return sendJson(res, check.status, { error: `${url.pathname}: ${check.reason}` });
  const datasetId = decodePath(url.pathname.slice('/arrow/'.length));
  if (datasetId === null) return sendJson(res, 400, { error: 'the dataset id in the path is not valid percent-encoding' });
  let dataset: DatasetRecord;
  try {
    dataset = await market.catalog.getDataset(datasetId);
  } catch (err) {
    if (err instanceof CatalogError && err.code === 'DATASET_NOT_FOUND') return sendJson(res, 404, { error: `dataset ${datasetId} not found` });
    throw err;
  }
  let columns: string[] | undefined;
  let where: WhereCondition[];
  try {
    columns = parseColumns(url.searchParams.getAll('columns'));
    const wheres = url.searchParams.getAll('where');
    if (wheres.length > MAX_WHERE) throw new Error(`where: ${wheres.length} conditions; at most ${MAX_WHERE}`);
    where = wheres.map((w) => parseWhere(w, dataset));
    const unknown = (columns ?? []).filter((c) => !dataset.columns.some((d) => d.name === c));
    if (unknown.length > 0) {
      const named =
        unknown
          .slice(0, 3)
          .map((c) => `"${c.slice(0, 80)}"`)
          .join(', ') + (unknown.length > 3 ? ` and ${unknown.length - 3} more` : '');
      throw new Error(`columns: dataset ${dataset.id} has no column ${named} (columns: ${dataset.columns.map((c) => c.name).join(', ')})`);
    }
  } catch (err) {
    return sendJson(res, 400, { error: (err as Error).message });
  }
  const batches = market.catalog.scanBatches(dataset.id, { ...(columns ? { columns } : {}), ...(where.length > 0 ? { where } : {}) })[Symbol.asyncIterator]();
  // The first batch is read before the status line: a filter the data cannot take is still a 400.
  let next: IteratorResult<RecordBatch>;
  try {
    next = await batches.next();
  } catch (err) {
    // A version holding a link (published before publish refused them) is the operator's to fix, not the client's.
    if (err instanceof CatalogError && err.code === 'DATASET_FILE_INVALID') {
      market.logError(`arrow stream of ${dataset.id}: ${err.message}`);
      return sendJson(res, 500, { error: `${err.message}; the operator must publish it again` });
    }
    if (err instanceof CatalogError && err.code !== 'CATALOG_BUSY' && err.code !== 'CATALOG_UNAVAILABLE') return sendJson(res, 400, { error: err.message });
    throw err;
  }
  res.writeHead(200, {
    'content-type': 'application/vnd.apache.arrow.stream',
    'content-disposition': `attachment; filename="${dataset.slug}-${dataset.version}.arrows"`,
    'cache-control': 'private, no-store',
  });
  const writer = new RecordBatchStreamWriter();
  const sent = pipeline(writer.toNodeStream(), res);
  try {
    while (!next.done) {
      writer.write(next.value);
      // Backpressure: let the socket drain before converting the next chunk of rows.
      if (res.writableNeedDrain) await once(res, 'drain');
      next = await batches.next();
    }
    writer.finish();
  } catch (err) {
    // Headers are gone: cut the stream short (a reader sees a truncated stream, not a valid one) and log.
    sent.catch(() => undefined);
    res.destroy(err as Error);
    await batches.return?.();
    throw err;
  }
  await sent;
}
