import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../common/index.js';
import { fedAvg } from '../strategies/fed-avg.js';
import { fedMedian } from '../strategies/robust-aggregation.js';
import type { ClientUpdate } from '../strategies/strategy.js';
import { meanTrainingLoss, RoundEngine, roundConflict } from './round-engine.js';

const base = { epochs: 1, batchSize: 10, learningRate: 0.5, proximalMu: 0 };

describe('roundConflict', () => {
  it.each([
    [{ strategy: 'fedavg', dp: true, secureAggregation: false }, null],
    [{ strategy: 'fedprox', dp: false, secureAggregation: true }, null],
    [
      { strategy: 'krum', dp: true, secureAggregation: false },
      { option: 'dp', reason: 'DP-FedAvg clips and averages updates; it needs a mean-based strategy (fedavg, fedprox), not krum' },
    ],
    [
      { strategy: 'fedavg', dp: true, secureAggregation: true },
      { option: 'secureAggregation', reason: 'secure aggregation and DP clipping cannot be combined here: clipping needs each update in the clear' },
    ],
    [
      { strategy: 'median', dp: false, secureAggregation: true },
      { option: 'secureAggregation', reason: 'secure aggregation needs a mean-based strategy (fedavg, fedprox); median must see individual updates' },
    ],
  ])('judges %j', (opts, expected) => {
    expect(roundConflict(opts)).toEqual(expected);
  });

  it('is what the engine refuses', () => {
    expect(() => new RoundEngine({ strategy: fedMedian(), rng: Math.random, clientsPerRound: 3, dp: { noiseMultiplier: 1, clipNorm: 1 } })).toThrow(
      'it needs a mean-based strategy (fedavg, fedprox), not median',
    );
  });
});

describe('RoundEngine', () => {
  it('samples by shuffling the pool in place with its generator, keeping the first count', () => {
    const pool = [0, 1, 2, 3, 4];
    const engine = new RoundEngine({ strategy: fedAvg(), rng: mulberry32(3), clientsPerRound: 2 });
    const sampled = engine.sample(pool, 2);
    expect(sampled).toEqual(pool.slice(0, 2));
    expect([...pool].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('averages the updates that pass the check, weighted by examples, and reports them', () => {
    const engine = new RoundEngine({ strategy: fedAvg(), rng: mulberry32(1), clientsPerRound: 3, maxUpdateNorm: 10 });
    const sent: Record<string, ClientUpdate> = {
      a: { clientId: 'a', weights: Float32Array.from([1, 0]), numExamples: 1, loss: 1 },
      b: { clientId: 'b', weights: Float32Array.from([0, 4]), numExamples: 3, loss: 3 },
      // Moves the model by 100 > maxUpdateNorm: left out.
      c: { clientId: 'c', weights: Float32Array.from([100, 0]), numExamples: 5, loss: 0 },
    };
    const { weights, updates } = engine.runRound({
      round: 1,
      global: new Float32Array(2),
      clients: ['a', 'b', 'c'],
      base,
      train: (k) => sent[k] as ClientUpdate,
    });
    expect(updates.map((u) => u.clientId)).toEqual(['a', 'b']);
    expect([...weights]).toEqual([0.25, 3]);
    expect(meanTrainingLoss(updates)).toBe(2.5);
  });

  it('keeps the global model when no update passes', () => {
    const engine = new RoundEngine({ strategy: fedAvg(), rng: mulberry32(1), clientsPerRound: 1, maxUpdateNorm: Number.POSITIVE_INFINITY });
    const global = Float32Array.from([1, 2]);
    const { weights, updates } = engine.runRound({
      round: 1,
      global,
      clients: ['a'],
      base,
      train: () => ({ clientId: 'a', weights: Float32Array.from([Number.NaN, 0]), numExamples: 1, loss: 0 }),
    });
    expect(updates).toEqual([]);
    expect(weights).toBe(global);
  });

  it('reaches the plain mean through secure aggregation, within quantisation error', () => {
    const updates = [1, 3].map((k) => ({ clientId: `c${k}`, weights: Float32Array.from([0.1 * k, -0.2 * k]), numExamples: k, loss: 0 }));
    const global = new Float32Array(2);
    const plain = new RoundEngine({ strategy: fedAvg(), rng: mulberry32(1), clientsPerRound: 2 }).aggregate(1, global, updates);
    const secure = new RoundEngine({ strategy: fedAvg(), rng: mulberry32(1), clientsPerRound: 2, secureAggregation: {} }).aggregate(1, global, updates);
    secure.forEach((v, i) => expect(v).toBeCloseTo(plain[i] as number, 5));
  });

  it('wraps the strategy for DP and, when adaptive, reports the next clip norm', () => {
    const fixed = new RoundEngine({ strategy: fedAvg(), rng: mulberry32(1), clientsPerRound: 2, dp: { noiseMultiplier: 1, clipNorm: 1 } });
    expect(fixed.strategy.name).toBe('dp-fedavg');
    expect(fixed.clipNorm).toBeUndefined();
    const adaptive = new RoundEngine({ strategy: fedAvg(), rng: mulberry32(1), clientsPerRound: 2, dp: { noiseMultiplier: 1, clipNorm: 0.5, adaptive: {} } });
    expect(adaptive.strategy.name).toBe('dp-adaptive-fedavg');
    expect(adaptive.clipNorm).toBe(0.5);
  });
});
