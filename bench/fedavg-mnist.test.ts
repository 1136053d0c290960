import { beforeAll, describe, expect, it } from 'vitest';
import { partitionMnist, runFedAvgMnist, type FedAvgMnistOptions } from './fedavg-mnist.js';
import { readMnist, type Mnist } from './mnist.js';
import { mulberry32 } from '../common/index.js';

// The paper's experiment shrunk to run in seconds: 20 clients × 150 real MNIST digits, one hidden
// layer of 32 units, 5 clients a round, scored on the first 1,000 test digits against 85%.
const SMALL = { clients: 20, perClient: 150, fraction: 0.25, hidden: [32], testExamples: 1000, targetAccuracy: 0.85, maxRounds: 40, seed: 1 };

let mnist: Mnist;
beforeAll(async () => {
  mnist = await readMnist();
});

function run(opts: Pick<FedAvgMnistOptions, 'split' | 'batchSize' | 'learningRate'>): number {
  const result = runFedAvgMnist({ train: mnist.train, test: mnist.test, ...SMALL, ...opts });
  expect(result.diverged).toBe(false);
  return result.roundsToTarget ?? Number.POSITIVE_INFINITY;
}

describe('FedAvg on MNIST (small)', () => {
  it('deals each training example to one client: all digits per client IID, mostly two non-IID', () => {
    const labels = mnist.train.labels;
    for (const split of ['iid', 'noniid'] as const) {
      const shards = partitionMnist(labels, { clients: 100, perClient: 600, split, rng: mulberry32(2) });
      const seen = new Set<number>();
      const digits = shards.map((rows) => {
        expect(rows.length).toBe(600);
        for (const r of rows) seen.add(r);
        return new Set(Array.from(rows, (r) => labels[r])).size;
      });
      expect(seen.size).toBe(60_000);
      if (split === 'iid') expect(Math.min(...digits)).toBe(10);
      else {
        // A 300-example shard straddles a digit boundary when a digit's count is not a multiple
        // of 300, so a few clients see three or four digits — as in the paper ("most clients").
        expect(Math.max(...digits)).toBeLessThanOrEqual(4);
        expect(digits.filter((d) => d <= 2).length).toBeGreaterThanOrEqual(80);
      }
    }
  });

  it('reaches the target with IID B = 10 in fewer rounds than non-IID B = 10 and than IID B = ∞', () => {
    const iidB10 = run({ split: 'iid', batchSize: 10, learningRate: 0.1 });
    const noniidB10 = run({ split: 'noniid', batchSize: 10, learningRate: 0.1 });
    const iidBInf = run({ split: 'iid', batchSize: 0, learningRate: 0.5 });
    expect(iidB10).toBeLessThanOrEqual(20);
    // Wide margins: a broken label split or local training would close these gaps.
    expect(noniidB10).toBeGreaterThan(2 * iidB10);
    expect(iidBInf).toBeGreaterThan(2 * iidB10);
  });
});
