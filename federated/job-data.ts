/**
 * @module What the coordinator knows about a job's dataset: the label set, which training rows
 * belong to which client's shard, the shard sizes (an update claiming more examples than its
 * shard holds is rejected), the server's validation rows as features, and optionally the IDF
 * weights. Shards are streamed from the catalog on request — only the id, text and label columns
 * and only the rows of that shard — so the server holds ids in memory, not text.
 */
import { Table, Utf8, vectorFromArray, type RecordBatch } from 'apache-arrow';
import { CatalogError, type Catalog } from '../catalog/index.js';
import { FederatedError } from './errors.js';
import { hashText, inverseDocumentFrequency } from './hashed-features.js';
import type { TrainingJobSpec } from './job-spec.js';
import type { Example } from './logistic-regression.js';
import { isValidationRow, partitionRows } from './partition.js';
import { seededRng } from './simulate.js';

export interface JobData {
  labels: string[];
  /** Training row id → client shard index. */
  shardOf: Map<string, number>;
  shardSizes: number[];
  validation: Example[];
  idf: Float32Array | null;
  trainRows: number;
}

interface RowRef {
  id: string;
  text: string;
  label: string;
  domain: string;
}

async function* readRows(catalog: Catalog, spec: TrainingJobSpec): AsyncGenerator<RowRef> {
  const record = await catalog.getDataset(spec.dataset);
  const names = record.columns.map((c) => c.name);
  const idColumn = names.includes('id') ? 'id' : spec.textColumn;
  const domainColumn = names.includes('domain') ? 'domain' : idColumn;
  let n = 0;
  for await (const batch of catalog.scanBatches(record.id, { columns: [...new Set([idColumn, domainColumn, spec.textColumn, spec.labelColumn])] })) {
    const ids = batch.getChild(idColumn);
    const domains = batch.getChild(domainColumn);
    const texts = batch.getChild(spec.textColumn);
    const labels = batch.getChild(spec.labelColumn);
    for (let i = 0; i < batch.numRows; i++, n++) {
      const label = labels?.get(i);
      const text = texts?.get(i);
      // Rows without a label or text cannot train or score; they belong to no shard.
      if (label === null || label === undefined || text === null || text === undefined) continue;
      yield { id: String(ids?.get(i) ?? n), text: String(text), label: String(label), domain: String(domains?.get(i) ?? '') };
    }
  }
}

/** Checks the dataset and columns exist; throws FederatedError naming what is missing. */
export async function checkJobDataset(catalog: Catalog, spec: TrainingJobSpec): Promise<string> {
  let record;
  try {
    record = await catalog.getDataset(spec.dataset);
  } catch (err) {
    if (err instanceof CatalogError && err.code === 'DATASET_NOT_FOUND') throw new FederatedError(`dataset ${spec.dataset.slice(0, 200)} not found`, { code: 'NOT_FOUND' });
    throw err;
  }
  const names = record.columns.map((c) => c.name);
  for (const [field, col] of [['labelColumn', spec.labelColumn], ['textColumn', spec.textColumn]] as const) {
    if (!names.includes(col)) throw new FederatedError(`${field}: dataset ${record.id} has no column "${col.slice(0, 100)}" (columns: ${names.join(', ')})`, { code: 'INVALID_ARGUMENT' });
  }
  return record.id;
}

export async function loadJobData(catalog: Catalog, spec: TrainingJobSpec): Promise<JobData> {
  const train: Array<{ id: string; label: string; domain: string }> = [];
  const validationRows: Array<{ text: string; label: string }> = [];
  const trainTexts: string[] | null = spec.tfidf ? [] : null;
  for await (const r of readRows(catalog, spec)) {
    if (isValidationRow(r.id)) validationRows.push({ text: r.text, label: r.label });
    else {
      train.push({ id: r.id, label: r.label, domain: r.domain });
      trainTexts?.push(r.text);
    }
  }
  const labels = [...new Set([...train.map((r) => r.label), ...validationRows.map((r) => r.label)])].sort();
  if (labels.length < 2) throw new FederatedError(`labelColumn: "${spec.labelColumn}" has ${labels.length} distinct value(s) in ${spec.dataset}; classification needs at least 2`, { code: 'INVALID_ARGUMENT' });
  if (train.length < spec.clients) throw new FederatedError(`clients: ${spec.dataset} has ${train.length} training rows, fewer than the ${spec.clients} clients asked for`, { code: 'INVALID_ARGUMENT' });
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const owner = partitionRows(spec, train.map((r) => ({ id: r.id, domain: r.domain, label: labelIndex.get(r.label) as number })), spec.clients, seededRng(spec.seed));
  const shardOf = new Map<string, number>();
  const shardSizes = new Array<number>(spec.clients).fill(0);
  train.forEach((r, i) => {
    const k = owner[i] as number;
    shardOf.set(r.id, k);
    shardSizes[k] = (shardSizes[k] as number) + 1;
  });
  const idf = trainTexts ? inverseDocumentFrequency(trainTexts, spec.dimension) : null;
  // A dataset too small to hash any row into validation is scored on nothing: accuracy stays null.
  const validation = validationRows.map((r) => ({ x: hashText(r.text, spec.dimension, idf ?? undefined), label: labelIndex.get(r.label) as number }));
  return { labels, shardOf, shardSizes, validation, idf, trainRows: train.length };
}

/** One shard's rows (id, text, label as strings), batch by batch as the catalog yields them. */
export async function* shardBatches(catalog: Catalog, spec: TrainingJobSpec, data: JobData, shard: number): AsyncGenerator<RecordBatch> {
  let ids: string[] = [];
  let texts: string[] = [];
  let labels: string[] = [];
  const flush = (): RecordBatch[] => {
    const table = new Table({ id: vectorFromArray(ids, new Utf8()), text: vectorFromArray(texts, new Utf8()), label: vectorFromArray(labels, new Utf8()) });
    ids = [];
    texts = [];
    labels = [];
    return table.batches;
  };
  for await (const r of readRows(catalog, spec)) {
    if (data.shardOf.get(r.id) !== shard) continue;
    ids.push(r.id);
    texts.push(r.text);
    labels.push(r.label);
    if (ids.length >= 1024) yield* flush();
  }
  // Always at least one batch, so an empty shard is still a stream with a schema.
  yield* flush();
}
