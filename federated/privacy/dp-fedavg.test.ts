import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../common/index.js';
import { fedAvg } from '../strategies/fed-avg.js';
import { clipUpdate, withDpClipping } from './dp-fedavg.js';

describe('client-level DP', () => {
  it('clips a client change to the norm bound', () => {
    const global = Float32Array.from([0, 0]);
    const clipped = clipUpdate({ clientId: 'c', weights: Float32Array.from([3, 4]), numExamples: 1, loss: 0 }, global, 1);
    expect([...clipped.weights].map((x) => Number(x.toFixed(6)))).toEqual([0.6, 0.8]);
  });

  it('averages clipped updates with equal weight and adds noise of z·S/m', () => {
    const global = new Float32Array(20_000);
    const updates = [1, 2].map((k) => ({ clientId: `c${k}`, weights: new Float32Array(20_000), numExamples: k * 100, loss: 0 }));
    const noisy = withDpClipping(fedAvg(), { clipNorm: 2, noiseMultiplier: 1.5, rng: mulberry32(9) }).aggregate(1, global, updates);
    const std = Math.sqrt(noisy.reduce((s, x) => s + x * x, 0) / noisy.length);
    expect(std).toBeCloseTo((1.5 * 2) / 2, 1);
  });
});
