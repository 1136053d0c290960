import { describe, expect, it } from 'vitest';
import { featurize, inputDimension, numericStats } from './features.js';
import { hashText, inverseDocumentFrequency } from './hashed-features.js';
import { evaluateLinear, trainLinear } from '../models/linear-regression.js';

describe('job features', () => {
  it('appends z-scored numeric columns after the hashed text buckets; a missing number is the mean', () => {
    const spec = { textColumn: 'text', numericColumns: ['a', 'b'], dimension: 32 };
    const stats = numericStats(2, [
      [1, 10],
      [3, null],
      [5, 30],
    ]);
    expect(stats.means).toEqual([3, 20]);
    expect(stats.stds[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(stats.stds[1]).toBe(10);
    const x = featurize(spec, stats, 'hello world', [5, null]);
    const text = hashText('hello world', 32);
    expect(inputDimension(spec)).toBe(34);
    expect([...x.indices]).toEqual([...text.indices, 32, 33]);
    expect(x.values[text.indices.length]).toBeCloseTo(2 / Math.sqrt(8 / 3), 6);
    expect(x.values[text.indices.length + 1]).toBe(0);
  });

  it('uses only the numeric slots without a text column, and a constant column scales by 1', () => {
    const spec = { textColumn: null, numericColumns: ['c'], dimension: 1 << 18 };
    const stats = numericStats(1, [[4], [4]]);
    expect(inputDimension(spec)).toBe(1);
    expect(featurize(spec, stats, null, [6])).toEqual({ indices: Int32Array.from([0]), values: Float32Array.from([2]) });
  });
});

describe('linear regression', () => {
  it('recovers y = 2x − 1 by SGD, with R² near 1', () => {
    const examples = Array.from({ length: 200 }, (_, i) => {
      const x = (i / 200) * 2 - 1;
      return { x: { indices: Int32Array.from([0]), values: Float32Array.from([x]) }, label: 2 * x - 1 };
    });
    let w: Float32Array = new Float32Array(2);
    for (let e = 0; e < 30; e++) w = trainLinear(w, examples, 1, { epochs: 1, batchSize: 10, learningRate: 0.3, proximalMu: 0 }, Math.random).weights;
    expect(w[0]).toBeCloseTo(2, 2);
    expect(w[1]).toBeCloseTo(-1, 2);
    const scored = evaluateLinear(w, examples, 1);
    expect(scored.accuracy).toBeGreaterThan(0.999);
    expect(scored.loss).toBeLessThan(1e-4);
  });
});

describe('TF-IDF over hashed buckets', () => {
  it('weighs a bucket by ln((1 + n) / (1 + df)) + 1, as scikit-learn smooths it, and scales the row before normalising', () => {
    const idf = inverseDocumentFrequency(['common rare', 'common'], 1 << 16);
    const [common] = hashText('common', 1 << 16).indices;
    const [rare] = hashText('rare', 1 << 16).indices;
    const [unseen] = hashText('unseen', 1 << 16).indices;
    expect(idf[common as number]).toBeCloseTo(1, 6);
    expect(idf[rare as number]).toBeCloseTo(Math.log(3 / 2) + 1, 6);
    expect(idf[unseen as number]).toBeCloseTo(Math.log(3) + 1, 6);
    const x = hashText('common rare', 1 << 16, idf);
    const at = (i: number) => Math.abs(x.values[[...x.indices].indexOf(i)] as number);
    expect(at(rare as number) / at(common as number)).toBeCloseTo(Math.log(3 / 2) + 1, 5);
  });
});
