import { describe, expect, it } from 'vitest';
import { updateNoiseMultiplier, withAdaptiveClipping } from './adaptive-clipping.js';
import { fedAvg } from '../strategies/fed-avg.js';
import { mulberry32 } from '../../common/index.js';
import type { ClientUpdate } from '../strategies/strategy.js';

const DIM = 4;
const zero = new Float32Array(DIM);
/** A client whose change from the zero model has L2 norm `norm` (spread over two coordinates). */
const withNorm = (k: number, norm: number): ClientUpdate => ({
  clientId: `c${k}`,
  weights: Float32Array.from([0.6 * norm, 0.8 * norm, 0, 0]),
  numExamples: 10 + k,
  loss: 0,
});
const norm = (w: Float32Array) => Math.sqrt(w.reduce((s, x) => s + x * x, 0));

/** C after each of `rounds` rounds with the same updates. */
function clipNorms(updates: ClientUpdate[], rounds: number, opts: Partial<Parameters<typeof withAdaptiveClipping>[1]> = {}): number[] {
  const s = withAdaptiveClipping(fedAvg(), { initialClipNorm: 1, noiseMultiplier: 0, rng: mulberry32(7), ...opts });
  return Array.from({ length: rounds }, (_, r) => {
    s.aggregate(r + 1, zero, updates);
    return s.clipNorm;
  });
}

describe('adaptive clipping (Andrew et al. 2021)', () => {
  it('grows C when every update exceeds it, and settles around the updates’ norm', () => {
    const updates = Array.from({ length: 10 }, (_, k) => withNorm(k, 10));
    const c = clipNorms(updates, 60);
    // b̃ = 0 < γ = 0.5: C ← C·exp(0.2·0.5), so 1.10517 after round 1 and e^(0.1·r) until it passes 10.
    expect(c[0]).toBeCloseTo(Math.exp(0.1), 6);
    const crossing = c.findIndex((x) => x >= 10);
    expect(crossing).toBe(Math.ceil(Math.log(10) / 0.1) - 1);
    for (let r = 1; r <= crossing; r++) expect(c[r] as number).toBeGreaterThan(c[r - 1] as number);
    for (const x of c.slice(crossing)) {
      expect(x).toBeGreaterThan(10 * Math.exp(-0.1) - 1e-9);
      expect(x).toBeLessThan(10 * Math.exp(0.1) + 1e-9);
    }
  });

  it('shrinks C when every update fits under it', () => {
    const updates = Array.from({ length: 10 }, (_, k) => withNorm(k, 0.1));
    const c = clipNorms(updates, 40);
    expect(c[0]).toBeCloseTo(Math.exp(-0.1), 6);
    for (let r = 1; r < 23; r++) expect(c[r] as number).toBeLessThan(c[r - 1] as number);
    expect(c.at(-1) as number).toBeGreaterThan(0.1 * Math.exp(-0.1) - 1e-9);
    expect(c.at(-1) as number).toBeLessThan(0.1 * Math.exp(0.1) + 1e-9);
  });

  it('converges near the median norm with γ = 0.5, and near the 80th percentile with γ = 0.8', () => {
    // Norms 1..21: the median is 11, the 80th percentile about 17.
    const updates = Array.from({ length: 21 }, (_, k) => withNorm(k, k + 1));
    const median = clipNorms(updates, 150).slice(100);
    for (const x of median) expect(Math.abs(x - 11)).toBeLessThan(1);
    const p80 = clipNorms(updates, 150, { targetQuantile: 0.8 }).slice(100);
    for (const x of p80) expect(Math.abs(x - 17)).toBeLessThan(1.5);
  });

  it('still finds the median through the noise on the bits', () => {
    const updates = Array.from({ length: 100 }, (_, k) => withNorm(k, 0.5 + (k % 20)));
    // σ_b = m/20, as the paper sets it; the median of these norms is 10.
    const c = clipNorms(updates, 300, { noiseMultiplier: 1, bitNoiseStd: 5 }).slice(200);
    const mean = c.reduce((s, x) => s + x, 0) / c.length;
    expect(mean).toBeGreaterThan(9);
    expect(mean).toBeLessThan(11);
  });

  it('clips to this round’s C, weights clients equally, and reports the unclipped fraction', () => {
    const s = withAdaptiveClipping(fedAvg(), { initialClipNorm: 2, noiseMultiplier: 0, rng: mulberry32(1) });
    const next = s.aggregate(1, zero, [withNorm(0, 1), withNorm(1, 4), withNorm(2, 4), withNorm(3, 10)]);
    // Clipped norms 1, 2, 2, 2 along one direction, mean 1.75, whatever the example counts.
    expect(norm(next)).toBeCloseTo(1.75, 5);
    expect(s.unclippedFraction).toBe(0.25);
    expect(s.clipNorm).toBeCloseTo(2 * Math.exp(-0.2 * (0.25 - 0.5)), 6);
  });

  it('splits the noise multiplier: z_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2)', () => {
    // z = 1.5, σ_b = 1.5: (1/2.25 − 1/9)^(−1/2) = (1/3)^(−1/2) = √3.
    expect(updateNoiseMultiplier(1.5, 1.5)).toBeCloseTo(Math.sqrt(3), 9);
    // The paper's setting, m = 100 clients and σ_b = m/20: z_Δ = (1 − 1/100)^(−1/2).
    expect(updateNoiseMultiplier(1, 5)).toBeCloseTo(1 / Math.sqrt(0.99), 9);
    expect(updateNoiseMultiplier(0, 2)).toBe(0);
    expect(() => updateNoiseMultiplier(1, 0.5)).toThrow('needs 2·bitNoiseStd > noiseMultiplier');
    expect(() => withAdaptiveClipping(fedAvg(), { initialClipNorm: 1, noiseMultiplier: 1, rng: mulberry32(1) })).toThrow('bitNoiseStd is required');
  });

  it('adds noise of z_Δ·C/m to the aggregate', () => {
    const dim = 20_000;
    const global = new Float32Array(dim);
    const updates = [1, 2].map((k) => ({ clientId: `c${k}`, weights: new Float32Array(dim), numExamples: k * 100, loss: 0 }));
    const s = withAdaptiveClipping(fedAvg(), { initialClipNorm: 2, noiseMultiplier: 1.5, bitNoiseStd: 1.5, rng: mulberry32(9) });
    expect(s.updateNoiseMultiplier).toBeCloseTo(Math.sqrt(3), 9);
    const noisy = s.aggregate(1, global, updates);
    const std = Math.sqrt(noisy.reduce((t, x) => t + x * x, 0) / dim);
    // √3 · 2 / 2 ≈ 1.732, with C = 2 the norm of this round (it moves only afterwards).
    expect(std).toBeCloseTo(Math.sqrt(3), 1);
  });
});
