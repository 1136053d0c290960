/**
 * @module The rows `lumora fl simulate` trains on: id, text, label and domain of every row of a
 * catalog dataset that has both a text and a label, read column by column from its Parquet files.
 */
import { FederatedError } from '../errors.js';
import type { Catalog } from '../../catalog/index.js';
import type { SimulationRow } from './simulate.js';

export async function readSimulationRows(
  catalog: Catalog,
  dataset: string,
  opts: { textColumn: string; labelColumn: string },
): Promise<{ rows: SimulationRow[]; datasetId: string; columns: string[] }> {
  const record = await catalog.getDataset(dataset);
  const names = record.columns.map((c) => c.name);
  for (const [flag, col] of [
    ['--label', opts.labelColumn],
    ['--text-column', opts.textColumn],
  ] as const) {
    if (!names.includes(col))
      throw new FederatedError(`${flag}: dataset ${record.id} has no column "${col}" (columns: ${names.join(', ')})`, { code: 'INVALID_ARGUMENT' });
  }
  const rows: SimulationRow[] = [];
  const idColumn = names.includes('id') ? 'id' : opts.textColumn;
  const domainColumn = names.includes('domain') ? 'domain' : idColumn;
  for await (const batch of catalog.scanBatches(record.id, { columns: [...new Set([idColumn, domainColumn, opts.textColumn, opts.labelColumn])] })) {
    const ids = batch.getChild(idColumn);
    const domains = batch.getChild(domainColumn);
    const texts = batch.getChild(opts.textColumn);
    const labels = batch.getChild(opts.labelColumn);
    for (let i = 0; i < batch.numRows; i++) {
      const l = labels?.get(i);
      const t = texts?.get(i);
      if (l === null || l === undefined || t === null || t === undefined) continue;
      rows.push({ id: String(ids?.get(i) ?? rows.length), text: String(t), label: String(l), domain: String(domains?.get(i) ?? '') });
    }
  }
  return { rows, datasetId: record.id, columns: names };
}
