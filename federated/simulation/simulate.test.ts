import { describe, expect, it } from 'vitest';
import { fedAvg } from '../strategies/fed-avg.js';
import { fedMedian } from '../strategies/robust-aggregation.js';
import { mulberry32 } from '../../common/index.js';
import { runSimulation, type SimulationRow } from './simulate.js';

// A task a linear model can learn: the label is which of three topic vocabularies a text uses.
const TOPICS: Record<string, string[]> = {
  sport: ['match', 'goal', 'team', 'coach', 'league', 'score', 'season', 'player'],
  food: ['recipe', 'oven', 'flour', 'sauce', 'taste', 'kitchen', 'salt', 'bake'],
  law: ['court', 'judge', 'appeal', 'statute', 'ruling', 'counsel', 'verdict', 'clause'],
};
function rows(n: number, seed = 3): SimulationRow[] {
  const rng = mulberry32(seed);
  const labels = Object.keys(TOPICS);
  return Array.from({ length: n }, (_, i) => {
    const label = labels[i % labels.length] as string;
    const words = Array.from({ length: 12 }, () => {
      const vocab = rng() < 0.7 ? (TOPICS[label] as string[]) : ['the', 'a', 'of', 'and', 'today', 'new'];
      return vocab[Math.floor(rng() * vocab.length)];
    });
    return { id: `row-${i}`, text: words.join(' '), label };
  });
}

describe('runSimulation', () => {
  it('learns a separable task with FedAvg on IID clients', () => {
    const r = runSimulation({ rows: rows(600), clients: 10, rounds: 5, strategy: fedAvg(), split: 'iid', dimension: 4096 });
    expect(r.rounds).toHaveLength(5);
    expect(r.rounds[0]).toMatchObject({ round: 1, clients: 10, epsilon: null });
    expect(r.final.accuracy).toBeGreaterThan(0.9);
  });

  it('is reproducible for a seed', () => {
    const run = () => runSimulation({ rows: rows(300), clients: 5, rounds: 2, strategy: fedAvg(), split: 'noniid', dimension: 2048, seed: 7 });
    expect(run()).toEqual(run());
  });

  it('stays accurate with the median when a fifth of the clients send sign-flipped ×10 updates, where FedAvg breaks', () => {
    const base = { rows: rows(900), clients: 30, rounds: 4, split: 'iid' as const, dimension: 4096, byzantine: 0.2 };
    const clean = runSimulation({ ...base, byzantine: 0, strategy: fedAvg() }).final.accuracy;
    const median = runSimulation({ ...base, strategy: fedMedian() }).final.accuracy;
    const avg = runSimulation({ ...base, strategy: fedAvg() }).final.accuracy;
    expect(median).toBeGreaterThan(clean - 0.05);
    expect(avg).toBeLessThan(median);
  });

  it('reports epsilon per round under DP, growing with the rounds', () => {
    const r = runSimulation({
      rows: rows(300),
      clients: 10,
      rounds: 3,
      fraction: 0.5,
      strategy: fedAvg(),
      split: 'iid',
      dimension: 2048,
      dp: { noiseMultiplier: 1, clipNorm: 1 },
    });
    const eps = r.rounds.map((x) => x.epsilon as number);
    expect(eps[0]).toBeGreaterThan(0);
    expect(eps[2]).toBeGreaterThan(eps[1] as number);
  });

  it('names a bad argument', () => {
    expect(() => runSimulation({ rows: rows(30), clients: 0, rounds: 1, strategy: fedAvg(), split: 'iid' })).toThrow(
      'clients must be a positive integer, got 0',
    );
    expect(() => runSimulation({ rows: rows(30).map((r) => ({ ...r, label: 'x' })), clients: 2, rounds: 1, strategy: fedAvg(), split: 'iid' })).toThrow(
      'the label column has 1 distinct value(s)',
    );
  });
});

describe('the one-hidden-layer perceptron', () => {
  it('learns the same task federated, from one shared initialisation', () => {
    const r = runSimulation({
      rows: rows(600),
      clients: 5,
      rounds: 4,
      strategy: fedAvg(),
      split: 'iid',
      dimension: 2048,
      model: { kind: 'mlp', hidden: 16 },
      local: { learningRate: 0.3 },
    });
    expect(r.final.accuracy).toBeGreaterThan(0.9);
  });
});

describe('skewed splits', () => {
  it('runs a simulation on each split', () => {
    for (const split of ['noniid', 'dirichlet', 'domain'] as const) {
      const r = runSimulation({
        rows: rows(300).map((x, i) => ({ ...x, domain: `d${i % 9}` })),
        clients: 5,
        rounds: 2,
        strategy: fedAvg(),
        split,
        dimension: 1024,
        alpha: 0.3,
        labelsPerClient: 1,
      });
      expect(r.rounds).toHaveLength(2);
    }
  });
});

describe('simulation with secure aggregation', () => {
  it('reaches the same model as plain FedAvg, within quantization error', () => {
    const base = { rows: rows(300), clients: 5, rounds: 2, split: 'iid' as const, dimension: 1024, seed: 11 };
    const plain = runSimulation({ ...base, strategy: fedAvg() });
    const secure = runSimulation({ ...base, strategy: fedAvg(), secureAggregation: {} });
    secure.rounds.forEach((r, i) => expect(r.loss).toBeCloseTo(plain.rounds[i]?.loss as number, 3));
    expect(secure.final.accuracy).toBeCloseTo(plain.final.accuracy, 2);
  });

  it('refuses DP with a strategy that does not average, as a job spec does', () => {
    expect(() =>
      runSimulation({ rows: rows(60), clients: 3, rounds: 1, split: 'iid', dimension: 256, strategy: fedMedian(), dp: { noiseMultiplier: 1, clipNorm: 1 } }),
    ).toThrow('DP-FedAvg clips and averages updates; it needs a mean-based strategy (fedavg, fedprox), not median');
  });

  it('refuses strategies that need to see individual updates', () => {
    expect(() => runSimulation({ rows: rows(60), clients: 3, rounds: 1, split: 'iid', dimension: 256, strategy: fedMedian(), secureAggregation: {} })).toThrow(
      'secure aggregation needs a mean-based strategy (fedavg, fedprox); median must see individual updates',
    );
  });
});

describe('simulation with adaptive clipping', () => {
  it('raises a clip norm set far below the update norms, round after round, and reports it', () => {
    const r = runSimulation({
      rows: rows(300),
      clients: 10,
      rounds: 6,
      strategy: fedAvg(),
      split: 'iid',
      dimension: 1024,
      dp: { noiseMultiplier: 0.5, clipNorm: 1e-3, adaptive: {} },
      seed: 4,
    });
    const norms = r.rounds.map((x) => x.clipNorm as number);
    expect(norms).toHaveLength(6);
    for (let i = 1; i < norms.length; i++) expect(norms[i]).toBeGreaterThan(norms[i - 1] as number);
    expect(norms[0]).toBeGreaterThan(1e-3);
    expect(r.rounds.at(-1)?.epsilon).toBeGreaterThan(0);
  });
});
