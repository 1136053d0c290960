/**
 * @module A job's input vector: the hashed word and bigram features of the text column (buckets
 * 0…dimension−1, optionally TF-IDF weighted), followed by one slot per numeric column, z-scored
 * with the training rows' mean and standard deviation (sent to clients with the job, so every
 * party scales alike). A missing number becomes 0, the mean.
 */
import type { SparseVector } from '../models/types.js';
import { hashText } from './hashed-features.js';

export interface FeatureSpec {
  /** null: numeric columns only. */
  textColumn: string | null;
  numericColumns: string[];
  dimension: number;
}

export interface NumericStats {
  means: number[];
  stds: number[];
}

export function inputDimension(spec: FeatureSpec): number {
  return (spec.textColumn === null ? 0 : spec.dimension) + spec.numericColumns.length;
}

export function featurize(
  spec: FeatureSpec,
  stats: NumericStats,
  text: string | null,
  numbers: ReadonlyArray<number | null>,
  idf?: Float32Array,
): SparseVector {
  const base = spec.textColumn === null ? null : hashText(text ?? '', spec.dimension, idf);
  const offset = spec.textColumn === null ? 0 : spec.dimension;
  const k = spec.numericColumns.length;
  if (k === 0 && base) return base;
  const n = base?.indices.length ?? 0;
  const indices = new Int32Array(n + k);
  const values = new Float32Array(n + k);
  if (base) {
    indices.set(base.indices);
    values.set(base.values);
  }
  for (let j = 0; j < k; j++) {
    const x = numbers[j];
    indices[n + j] = offset + j;
    values[n + j] = x === null || x === undefined || !Number.isFinite(x) ? 0 : (x - (stats.means[j] as number)) / ((stats.stds[j] as number) || 1);
  }
  return { indices, values };
}

/** Mean and (population) standard deviation per column, over the finite values given. */
export function numericStats(columns: number, rows: Iterable<ReadonlyArray<number | null>>): NumericStats {
  const n = new Array<number>(columns).fill(0);
  const mean = new Array<number>(columns).fill(0);
  const m2 = new Array<number>(columns).fill(0);
  for (const row of rows) {
    for (let j = 0; j < columns; j++) {
      const x = row[j];
      if (x === null || x === undefined || !Number.isFinite(x)) continue;
      // Welford's update: stable in one pass.
      n[j] = (n[j] as number) + 1;
      const d = x - (mean[j] as number);
      mean[j] = (mean[j] as number) + d / (n[j] as number);
      m2[j] = (m2[j] as number) + d * (x - (mean[j] as number));
    }
  }
  return { means: mean, stds: m2.map((v, j) => ((n[j] as number) > 0 ? Math.sqrt(v / (n[j] as number)) : 1)) };
}
