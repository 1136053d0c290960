import { describe, expect, it } from 'vitest';
import { fedAvg } from './fed-avg.js';
import { fedAvgM } from './fed-avg-m.js';
import { fedAdagrad, fedAdam, fedYogi } from './fed-opt.js';
import { fedProx } from './fed-prox.js';
import { fedKrum, fedMedian, fedTrimmedMean } from './robust-aggregation.js';
import type { ClientUpdate } from './strategy.js';

// Expected weights are computed by hand from each paper's update rule (Flower's style of strategy test).
const u = (clientId: string, weights: number[], numExamples = 1): ClientUpdate => ({ clientId, weights: Float32Array.from(weights), numExamples, loss: 0 });
const zero = Float32Array.from([0, 0]);
const two = [u('a', [1, 2], 1), u('b', [3, 6], 3)];
const close = (actual: Float32Array, expected: number[]) => expected.forEach((x, i) => expect(actual[i]).toBeCloseTo(x, 5));

describe('FedAvg', () => {
  it('weights each client by its number of examples', () => {
    // (1·1 + 3·3) / 4 = 2.5, (1·2 + 3·6) / 4 = 5
    close(fedAvg().aggregate(1, zero, two), [2.5, 5]);
  });

  it('refuses an update of the wrong length, and an empty round', () => {
    expect(() => fedAvg().aggregate(1, zero, [u('x', [1, 2, 3])])).toThrow('fedavg: client x sent 3 weights, the model has 2');
    expect(() => fedAvg().aggregate(1, zero, [])).toThrow('fedavg: no updates to aggregate');
  });
});

describe('FedAvgM', () => {
  it('applies server momentum to the averaged change', () => {
    const s = fedAvgM({ serverLearningRate: 1, momentum: 0.9 });
    // Round 1: v = current − avg = (−2.5, −5); x = current − v = (2.5, 5).
    const r1 = s.aggregate(1, zero, two);
    close(r1, [2.5, 5]);
    // Round 2, the same updates: gradient 0, v = 0.9·(−2.5, −5); x = (2.5, 5) − v = (4.75, 9.5).
    close(s.aggregate(2, r1, two), [4.75, 9.5]);
  });
});

describe('FedProx', () => {
  it('asks clients for the proximal term and aggregates as FedAvg', () => {
    const s = fedProx({ proximalMu: 0.1 });
    expect(s.configureRound(1, { epochs: 1, batchSize: 10, learningRate: 0.1, proximalMu: 0 }).proximalMu).toBe(0.1);
    close(s.aggregate(1, zero, two), [2.5, 5]);
  });
});

describe('adaptive server optimizers', () => {
  it('take a first step of η in the direction of the average, for each optimizer', () => {
    // Δ = (2.5, 5). Adagrad (β1 = 0): m = Δ, v = Δ², step η·Δ/|Δ| = 0.1. Adam: m = 0.1Δ, v = 0.01Δ², step 0.1·0.1Δ/(0.1|Δ|) = 0.1.
    // Yogi from v = 0: v = 0 − 0.01·Δ²·sign(0 − Δ²) = 0.01Δ², the same first step.
    for (const s of [fedAdagrad(), fedAdam(), fedYogi()]) close(s.aggregate(1, zero, two), [0.1, 0.1]);
  });

  it('tell Adam from Yogi by the second moment in round 2', () => {
    const adam = fedAdam();
    const yogi = fedYogi();
    const x1 = adam.aggregate(1, zero, two);
    yogi.aggregate(1, zero, two);
    // Δ2 = (2.5, 5) − (0.1, 0.1) = (2.4, 4.9); m = 0.9·(0.25, 0.5) + 0.1·Δ2 = (0.465, 0.94).
    // Adam: v = 0.99·(0.0625, 0.25) + 0.01·(5.76, 24.01) = (0.119475, 0.4876).
    // Yogi: v = (0.0625, 0.25) + 0.01·(5.76, 24.01) = (0.1201, 0.4901)  (sign(v − Δ²) = −1).
    const step = (m: number, v: number) => 0.1 + (0.1 * m) / Math.sqrt(v);
    close(adam.aggregate(2, x1, two), [step(0.465, 0.119475), step(0.94, 0.4876)]);
    close(yogi.aggregate(2, x1, two), [step(0.465, 0.1201), step(0.94, 0.4901)]);
  });
});

describe('robust rules', () => {
  const scalars = (xs: number[]) => xs.map((x, k) => u(`c${k}`, [x, -x], 1000 * (k + 1)));

  it('take the coordinate-wise median, ignoring example counts', () => {
    close(fedMedian().aggregate(1, zero, scalars([1, 2, 100])), [2, -2]);
    close(fedMedian().aggregate(1, zero, scalars([1, 2, 3, 100])), [2.5, -2.5]);
  });

  it('trim β of the clients from each end of every coordinate', () => {
    // n = 5, β = 0.2: drop 1 per side; mean(2, 3, 4) = 3.
    close(fedTrimmedMean({ beta: 0.2 }).aggregate(1, zero, scalars([100, 1, 2, 3, 4])), [3, -3]);
  });

  it('keep the update Krum scores best, and average the best m for Multi-Krum', () => {
    // f = 1, n = 5: each score sums the n − f − 2 = 2 nearest squared distances.
    // x = 0: 1 + 4 = 5; x = 1: 1 + 1 = 2; x = 2: 1 + 1 = 2; x = 3: 1 + 4 = 5; x = 100: 97² + 98².
    const five = scalars([0, 1, 2, 3, 100]);
    close(fedKrum({ byzantine: 1 }).aggregate(1, zero, five), [1, -1]);
    // The three best: x = 1, 2 (score 2) and x = 0 (score 5, before x = 3 by position): mean 1.
    close(fedKrum({ byzantine: 1, keep: 3 }).aggregate(1, zero, five), [1, -1]);
  });

  it('refuse Krum when there are too few clients for the byzantine count', () => {
    expect(() => fedKrum({ byzantine: 2 }).aggregate(1, zero, scalars([1, 2, 3, 4, 5, 6]))).toThrow(
      'krum: 6 updates cannot withstand 2 byzantine clients (needs more than 6)',
    );
  });

  it('withstand sign-flipped ×10 updates that drag FedAvg away', () => {
    // 30 honest clients near (1, −1), 6 attackers sending −10 × that.
    const honest = Array.from({ length: 30 }, (_, k) => u(`h${k}`, [1 + (k % 5) * 0.01, -1 - (k % 5) * 0.01], 100));
    const attackers = Array.from({ length: 6 }, (_, k) => u(`b${k}`, [-10, 10], 100));
    const all = [...honest, ...attackers];
    expect(fedAvg().aggregate(1, zero, all)[0]).toBeLessThan(0);
    for (const s of [fedMedian(), fedTrimmedMean({ beta: 0.2 }), fedKrum({ byzantine: 6 }), fedKrum({ byzantine: 6, keep: 10 })]) {
      expect(s.aggregate(1, zero, all)[0], s.name).toBeCloseTo(1.02, 1);
    }
  });
});
