/**
 * @module What the coordinator knows about a job's dataset: the label set, which training rows
 * belong to which client's shard, the shard sizes (an update claiming more examples than its
 * shard holds is rejected), the server's validation rows as features, the numeric columns' means
 * and deviations, and optionally the IDF weights. Shards are streamed from the catalog on request
 * — only the columns the job uses and only the rows of that shard — so the server keeps ids in
 * memory, not text. The ids, validation features and IDF grow with the dataset: a job holds them
 * only while it runs, and their estimated size is what the server's data quotas count; the small
 * `JobDataSummary` is kept and saved for good.
 */
import { Float64, Table, Utf8, vectorFromArray, type RecordBatch, type Vector } from 'apache-arrow';
import { CatalogError, type Catalog } from '../../catalog/index.js';
import { FederatedError, JobSpecError } from '../errors.js';
import { featurize, inputDimension, numericStats, type NumericStats } from '../data/features.js';
import { inverseDocumentFrequency } from '../data/hashed-features.js';
import type { TrainingJobSpec } from './job-spec.js';
import type { Example } from '../models/types.js';
import { isValidationRow, partitionRows } from '../data/partition.js';
import { mulberry32 } from '../../common/index.js';

/**
 * What a job keeps of its data for good, and saves with it: what its status, its clients'
 * registrations and its model's description need. Its size does not grow with the dataset's.
 */
export interface JobDataSummary {
  /** Class names (index = class); empty for regression. */
  labels: string[];
  /** Training rows per client shard. */
  shardSizes: number[];
  /** Mean and standard deviation of each numeric feature column over the training rows. */
  stats: NumericStats;
  /** Length of an input vector (hashed text buckets plus numeric columns). */
  inputDimension: number;
  trainRows: number;
  validationRows: number;
}

/** Everything a running job needs: the summary, and what grows with the dataset (held only until the job ends). */
export interface JobData extends JobDataSummary {
  /** Training row id → client shard index. */
  shardOf: Map<string, number>;
  validation: Example[];
  idf: Float32Array | null;
  /** Estimated bytes of memory `shardOf`, `validation` and `idf` hold (jobDataBytes): what the server's data quotas count. */
  sizeBytes: number;
}

/**
 * Per training row id in `shardOf`: a Map entry and the string. Measured on Node 20 (heap used
 * per entry of a 200,000-entry Map<string, number>: 125 B at 16 characters, 237 B at 40, 277 B
 * at 64), rounded up to 120 + 3 per character.
 */
const ID_ENTRY_BYTES = 120;
const ID_CHAR_BYTES = 3;
/** Per validation example: the object, its sparse vector and two typed arrays (measured 456 B on Node 20), plus 8 per feature (Int32 index, Float32 value). */
const EXAMPLE_BYTES = 460;
const FEATURE_BYTES = 8;

/** Estimated bytes of memory a job's dataset-sized data holds: the training row ids, the validation features and the IDF weights. */
export function jobDataBytes(data: Pick<JobData, 'shardOf' | 'validation' | 'idf'>): number {
  let bytes = 4 * (data.idf?.length ?? 0);
  for (const id of data.shardOf.keys()) bytes += ID_ENTRY_BYTES + ID_CHAR_BYTES * id.length;
  for (const e of data.validation) bytes += EXAMPLE_BYTES + FEATURE_BYTES * e.x.indices.length;
  return bytes;
}

/** The part of `data` a job keeps once it ended. */
export function summarizeJobData(data: JobDataSummary): JobDataSummary {
  const { labels, shardSizes, stats, inputDimension, trainRows, validationRows } = data;
  return { labels, shardSizes, stats, inputDimension, trainRows, validationRows };
}

interface RowRef {
  id: string;
  text: string | null;
  numbers: Array<number | null>;
  label: string | number;
  domain: string;
}

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : null;
}

async function* readRows(catalog: Catalog, spec: TrainingJobSpec): AsyncGenerator<RowRef> {
  const record = await catalog.getDataset(spec.dataset);
  const names = record.columns.map((c) => c.name);
  const idColumn = names.includes('id') ? 'id' : (spec.textColumn ?? spec.labelColumn);
  const domainColumn = names.includes('domain') ? 'domain' : idColumn;
  const columns = [...new Set([idColumn, domainColumn, ...(spec.textColumn ? [spec.textColumn] : []), ...spec.numericColumns, spec.labelColumn])];
  let n = 0;
  for await (const batch of catalog.scanBatches(record.id, { columns })) {
    const ids = batch.getChild(idColumn);
    const domains = batch.getChild(domainColumn);
    const texts = spec.textColumn ? batch.getChild(spec.textColumn) : null;
    const numeric = spec.numericColumns.map((c) => batch.getChild(c));
    const labels = batch.getChild(spec.labelColumn);
    for (let i = 0; i < batch.numRows; i++, n++) {
      const raw = labels?.get(i);
      const text = texts ? texts.get(i) : null;
      // Rows without a label (or, for a text job, without text) cannot train or score; they belong to no shard.
      if (raw === null || raw === undefined || (texts && (text === null || text === undefined))) continue;
      let label: string | number = String(raw);
      if (spec.task === 'regression') {
        const y = toNumber(raw);
        if (y === null) continue;
        label = y;
      }
      yield {
        id: String(ids?.get(i) ?? n),
        text: text === null || text === undefined ? null : String(text),
        numbers: numeric.map((v) => toNumber(v?.get(i))),
        label,
        domain: String(domains?.get(i) ?? ''),
      };
    }
  }
}

/** More classes than this is a column of values, not labels (and would list rows' values to every client). */
const MAX_CLASSES = 1000;

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL)/;

/** Checks the dataset and columns exist and fit the task; throws a JobSpecError on the column at fault. Returns the dataset version's id. */
export async function checkJobDataset(catalog: Catalog, spec: TrainingJobSpec): Promise<string> {
  let record;
  try {
    record = await catalog.getDataset(spec.dataset);
  } catch (err) {
    if (err instanceof CatalogError && err.code === 'DATASET_NOT_FOUND')
      throw new FederatedError(`dataset ${spec.dataset.slice(0, 200)} not found`, { code: 'NOT_FOUND' });
    throw err;
  }
  const names = record.columns.map((c) => c.name);
  const typeOf = (name: string) => record.columns.find((c) => c.name === name)?.type ?? '';
  const listed = `(columns: ${names.join(', ')})`;
  for (const [field, col] of [
    ['labelColumn', spec.labelColumn],
    ['textColumn', spec.textColumn],
    ...spec.numericColumns.map((c) => ['numericColumns', c] as const),
  ] as const) {
    if (col !== null && !names.includes(col)) throw new JobSpecError(`${field}: dataset ${record.id} has no column "${col.slice(0, 100)}" ${listed}`, [field]);
  }
  if (spec.textColumn === spec.labelColumn || spec.numericColumns.includes(spec.labelColumn))
    throw new JobSpecError(`labelColumn: "${spec.labelColumn}" is also a feature column; the model would read the answer`, ['labelColumn']);
  if (new Set(spec.numericColumns).size !== spec.numericColumns.length) throw new JobSpecError('numericColumns: a column is listed twice', ['numericColumns']);
  for (const col of spec.numericColumns) {
    if (!NUMERIC_TYPE.test(typeOf(col)))
      throw new JobSpecError(`numericColumns: column "${col}" of ${record.id} is ${typeOf(col)}, not a number`, ['numericColumns']);
  }
  if (spec.task === 'regression' && !NUMERIC_TYPE.test(typeOf(spec.labelColumn)))
    throw new JobSpecError(`labelColumn: a regression job needs a numeric label; "${spec.labelColumn}" of ${record.id} is ${typeOf(spec.labelColumn)}`, [
      'labelColumn',
    ]);
  return record.id;
}

/** Reads the dataset once: labels, shards, validation features, numeric statistics and (with TF-IDF) the IDF weights. */
export async function loadJobData(catalog: Catalog, spec: TrainingJobSpec): Promise<JobData> {
  const train: RowRef[] = [];
  const validationRows: RowRef[] = [];
  for await (const r of readRows(catalog, spec)) {
    // Text of training rows is kept only when IDF needs it; shards are re-read from the catalog.
    if (isValidationRow(r.id)) validationRows.push(r);
    else train.push(spec.tfidf ? r : { ...r, text: null });
  }
  const classification = spec.task === 'classification';
  const labels = classification ? [...new Set([...train, ...validationRows].map((r) => String(r.label)))].sort() : [];
  if (classification && labels.length < 2)
    throw new JobSpecError(`labelColumn: "${spec.labelColumn}" has ${labels.length} distinct value(s) in ${spec.dataset}; classification needs at least 2`, [
      'labelColumn',
    ]);
  if (train.length < spec.clients)
    throw new JobSpecError(`clients: ${spec.dataset} has ${train.length} training rows, fewer than the ${spec.clients} clients asked for`, ['clients']);
  // A column with a value per row (ids, URLs, text) is not a label, and its values would go to every client.
  if (labels.length > MAX_CLASSES || labels.length > (train.length + validationRows.length) / 2)
    throw new JobSpecError(
      `labelColumn: "${spec.labelColumn}" has ${labels.length} distinct values in ${spec.dataset}; a classifier takes at most ${MAX_CLASSES}, and at most one per two rows (is it a label?)`,
      ['labelColumn'],
    );
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const target = (r: RowRef) => (classification ? (labelIndex.get(String(r.label)) as number) : (r.label as number));
  const owner = partitionRows(
    spec,
    train.map((r) => ({ id: r.id, domain: r.domain, label: classification ? target(r) : 0 })),
    spec.clients,
    mulberry32(spec.seed),
  );
  const shardOf = new Map<string, number>();
  const shardSizes = new Array<number>(spec.clients).fill(0);
  train.forEach((r, i) => {
    const k = owner[i] as number;
    shardOf.set(r.id, k);
    shardSizes[k] = (shardSizes[k] as number) + 1;
  });
  const usable = shardSizes.filter((n) => n > 0).length;
  if (usable < spec.minClients)
    throw new JobSpecError(
      `split: the ${spec.split} split leaves ${usable} of ${spec.clients} shards with rows, fewer than minClients ${spec.minClients}; the job could never start a round`,
      ['split'],
    );
  const idf =
    spec.tfidf && spec.textColumn
      ? inverseDocumentFrequency(
          train.map((r) => r.text ?? ''),
          spec.dimension,
        )
      : null;
  const stats = numericStats(
    spec.numericColumns.length,
    train.map((r) => r.numbers),
  );
  // A dataset too small to hash any row into validation is scored on nothing: accuracy stays null.
  const validation = validationRows.map((r) => ({ x: featurize(spec, stats, r.text, r.numbers, idf ?? undefined), label: target(r) }));
  return {
    labels,
    shardOf,
    shardSizes,
    validation,
    idf,
    stats,
    inputDimension: inputDimension(spec),
    trainRows: train.length,
    validationRows: validation.length,
    sizeBytes: jobDataBytes({ shardOf, validation, idf }),
  };
}

/** One shard's rows — id, the text and numeric feature columns, label — batch by batch as the catalog yields them. */
export async function* shardBatches(catalog: Catalog, spec: TrainingJobSpec, data: JobData, shard: number): AsyncGenerator<RecordBatch> {
  let rows: RowRef[] = [];
  const flush = (): RecordBatch[] => {
    const columns: Record<string, Vector> = {
      id: vectorFromArray(
        rows.map((r) => r.id),
        new Utf8(),
      ),
    };
    if (spec.textColumn)
      columns.text = vectorFromArray(
        rows.map((r) => r.text ?? ''),
        new Utf8(),
      );
    spec.numericColumns.forEach(
      (c, j) =>
        (columns[c] = vectorFromArray(
          rows.map((r) => r.numbers[j] ?? null),
          new Float64(),
        )),
    );
    columns.label =
      spec.task === 'regression'
        ? vectorFromArray(
            rows.map((r) => r.label as number),
            new Float64(),
          )
        : vectorFromArray(
            rows.map((r) => String(r.label)),
            new Utf8(),
          );
    rows = [];
    return new Table(columns).batches;
  };
  for await (const r of readRows(catalog, spec)) {
    if (data.shardOf.get(r.id) !== shard) continue;
    rows.push(r);
    if (rows.length >= 1024) yield* flush();
  }
  // Always at least one batch, so an empty shard is still a stream with a schema.
  yield* flush();
}
