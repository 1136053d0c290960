import { describe, expect, it } from 'vitest';
import { computeRdp, DEFAULT_RDP_ORDERS, privacySpent, RdpAccountant } from './rdp-accountant.js';

const relErr = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

const epsilonFor = (sampleRate: number, noiseMultiplier: number, steps: number, delta = 1e-5) =>
  privacySpent({ orders: DEFAULT_RDP_ORDERS, rdp: computeRdp({ sampleRate, noiseMultiplier, steps }), delta }).epsilon;

/** A_alpha by plain summation of the binomial expansion (Mironov, Talwar & Zhang 2019, Sec. 3.3), no log space. */
function directA(q: number, sigma: number, alpha: number): number {
  let sum = 0;
  let binom = 1;
  for (let i = 0; i <= alpha; i++) {
    if (i > 0) binom = (binom * (alpha - i + 1)) / i;
    sum += binom * q ** i * (1 - q) ** (alpha - i) * Math.exp((i * i - i) / (2 * sigma * sigma));
  }
  return sum;
}

/**
 * A_alpha from its definition, E_{z ~ N(0, sigma^2)} [((1 - q) + q exp((2z - 1) / (2 sigma^2)))^alpha]
 * (Mironov, Talwar & Zhang 2019), by composite Simpson's rule; valid for fractional alpha too.
 */
function integratedA(q: number, sigma: number, alpha: number): number {
  const lo = -12 * sigma;
  const hi = alpha + 12 * sigma; // the integrand peaks near z = alpha
  const n = 20_000;
  const h = (hi - lo) / n;
  const f = (z: number) =>
    (Math.exp((-z * z) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI))) * (1 - q + q * Math.exp((2 * z - 1) / (2 * sigma * sigma))) ** alpha;
  let sum = f(lo) + f(hi);
  for (let k = 1; k < n; k++) sum += (k % 2 === 1 ? 4 : 2) * f(lo + k * h);
  return (sum * h) / 3;
}

describe('DEFAULT_RDP_ORDERS', () => {
  it('lists Opacus default alphas: 1.1 to 10.9 by tenths, then 12 to 63', () => {
    expect(DEFAULT_RDP_ORDERS).toHaveLength(151);
    expect(DEFAULT_RDP_ORDERS.slice(0, 3)).toEqual([1.1, 1.2, 1.3]);
    expect(DEFAULT_RDP_ORDERS[98]).toBe(10.9);
    expect(DEFAULT_RDP_ORDERS.slice(99, 101)).toEqual([12, 13]);
    expect(DEFAULT_RDP_ORDERS.at(-1)).toBe(63);
  });
});

describe('computeRdp and privacySpent', () => {
  it('gives epsilon 7.32911 for q=0.04, z=1.5, 2250 steps, delta=1e-5 (Opacus accountants_test)', () => {
    const rdp = computeRdp({ sampleRate: 0.04, noiseMultiplier: 1.5, steps: 2250 });
    const { epsilon, order } = privacySpent({ orders: DEFAULT_RDP_ORDERS, rdp, delta: 1e-5 });
    expect(Math.abs(epsilon - 7.32911117143)).toBeLessThan(0.01);
    expect(epsilon).toBeCloseTo(7.32911117143, 8);
    expect(order).toBe(3.9);
  });

  it('equals the Gaussian closed form alpha/(2 sigma^2) * steps when every record is sampled', () => {
    const orders = [1.5, 2, 3.25, 32];
    const rdp = computeRdp({ sampleRate: 1, noiseMultiplier: 2, steps: 10, orders });
    expect(Array.from(rdp)).toEqual(orders.map((alpha) => (alpha / (2 * 4)) * 10));
  });

  it('matches log A by direct summation at small integer orders', () => {
    for (const [q, sigma] of [
      [0.04, 1.5],
      [0.3, 0.9],
      [0.01, 0.6],
    ] as const) {
      for (const alpha of [2, 3, 5, 8]) {
        const rdp = computeRdp({ sampleRate: q, noiseMultiplier: sigma, steps: 1, orders: [alpha] })[0]!;
        expect(relErr(rdp * (alpha - 1), Math.log(directA(q, sigma, alpha))), `q=${q} sigma=${sigma} alpha=${alpha}`).toBeLessThan(1e-12);
      }
    }
  });

  it('matches alpha = 2 in closed form, log(1 + q^2 (e^(1/sigma^2) - 1)), even for tiny q', () => {
    const [q, sigma] = [1e-4, 4];
    const rdp = computeRdp({ sampleRate: q, noiseMultiplier: sigma, steps: 1, orders: [2] })[0]!;
    expect(relErr(rdp, Math.log1p(q * q * Math.expm1(1 / (sigma * sigma))))).toBeLessThan(1e-10);
  });

  it('matches numerical integration of A_alpha at fractional orders', () => {
    for (const [q, sigma, alpha] of [
      [0.04, 1.5, 3.9],
      [0.04, 1.5, 1.5],
      [0.3, 0.9, 2.5],
      [0.1, 1, 7.3],
    ] as const) {
      const rdp = computeRdp({ sampleRate: q, noiseMultiplier: sigma, steps: 1, orders: [alpha] })[0]!;
      expect(relErr(rdp * (alpha - 1), Math.log(integratedA(q, sigma, alpha))), `q=${q} alpha=${alpha}`).toBeLessThan(1e-8);
    }
  });

  it('grows epsilon with the number of steps', () => {
    const eps = [10, 100, 1000, 2250, 10_000].map((steps) => epsilonFor(0.04, 1.5, steps));
    for (let k = 1; k < eps.length; k++) expect(eps[k]!).toBeGreaterThan(eps[k - 1]!);
  });

  it('lowers epsilon as the noise multiplier rises', () => {
    const eps = [0.7, 1, 1.5, 2, 4].map((z) => epsilonFor(0.04, z, 2250));
    for (let k = 1; k < eps.length; k++) expect(eps[k]!).toBeLessThan(eps[k - 1]!);
  });

  it('spends nothing at q = 0 or zero steps, and everything without noise', () => {
    expect(Array.from(computeRdp({ sampleRate: 0, noiseMultiplier: 1, steps: 100 })).every((r) => r === 0)).toBe(true);
    expect(Array.from(computeRdp({ sampleRate: 0.5, noiseMultiplier: 0, steps: 0 })).every((r) => r === 0)).toBe(true);
    const rdp = computeRdp({ sampleRate: 0.5, noiseMultiplier: 0, steps: 1 });
    expect(Array.from(rdp).every((r) => r === Number.POSITIVE_INFINITY)).toBe(true);
    expect(privacySpent({ orders: DEFAULT_RDP_ORDERS, rdp, delta: 1e-5 })).toEqual({ epsilon: Number.POSITIVE_INFINITY, order: 1.1 });
  });
});

describe('RdpAccountant', () => {
  it('equals the one-shot computation for a fixed schedule', () => {
    const accountant = new RdpAccountant();
    for (let k = 0; k < 2250; k++) accountant.step({ noiseMultiplier: 1.5, sampleRate: 0.04 });
    expect(accountant.history).toEqual([{ noiseMultiplier: 1.5, sampleRate: 0.04, steps: 2250 }]);
    expect(accountant.getEpsilon(1e-5)).toBe(epsilonFor(0.04, 1.5, 2250));
  });

  it('groups only consecutive steps with equal parameters and sums their RDP', () => {
    const accountant = new RdpAccountant();
    const schedule = [
      [100, 1.5, 0.04],
      [50, 2, 0.01],
      [30, 1.5, 0.04],
    ] as const;
    for (const [steps, noiseMultiplier, sampleRate] of schedule) {
      for (let k = 0; k < steps; k++) accountant.step({ noiseMultiplier, sampleRate });
    }
    expect(accountant.history.map((g) => g.steps)).toEqual([100, 50, 30]);
    const total = new Float64Array(DEFAULT_RDP_ORDERS.length);
    for (const [steps, noiseMultiplier, sampleRate] of schedule) {
      computeRdp({ sampleRate, noiseMultiplier, steps }).forEach((r, k) => (total[k] = total[k]! + r));
    }
    expect(accountant.getPrivacySpent(1e-5)).toEqual(privacySpent({ orders: DEFAULT_RDP_ORDERS, rdp: total, delta: 1e-5 }));
  });

  it('starts empty, with only the conversion term of an all-zero RDP curve', () => {
    const accountant = new RdpAccountant({ orders: [2, 4, 8] });
    expect(accountant.history).toEqual([]);
    const zero = privacySpent({ orders: [2, 4, 8], rdp: [0, 0, 0], delta: 1e-5 });
    expect(accountant.getPrivacySpent(1e-5)).toEqual(zero);
    expect(zero.order).toBe(8);
  });
});

describe('argument validation', () => {
  const ok = { sampleRate: 0.1, noiseMultiplier: 1, steps: 10 };

  it('names the bad argument of computeRdp', () => {
    expect(() => computeRdp({ ...ok, sampleRate: 1.5 })).toThrow(/sampleRate/);
    expect(() => computeRdp({ ...ok, sampleRate: Number.NaN })).toThrow(/sampleRate/);
    expect(() => computeRdp({ ...ok, noiseMultiplier: -1 })).toThrow(/noiseMultiplier/);
    expect(() => computeRdp({ ...ok, steps: 2.5 })).toThrow(/steps/);
    expect(() => computeRdp({ ...ok, steps: -1 })).toThrow(/steps/);
    expect(() => computeRdp({ ...ok, orders: [2, 1] })).toThrow(/orders\[1\]/);
  });

  it('names the bad argument of privacySpent', () => {
    const rdp = computeRdp(ok);
    for (const delta of [0, 1, -1e-5, Number.NaN]) {
      expect(() => privacySpent({ orders: DEFAULT_RDP_ORDERS, rdp, delta })).toThrow(/delta/);
    }
    expect(() => privacySpent({ orders: [2, 3], rdp, delta: 1e-5 })).toThrow(/rdp has 151 values/);
  });

  it('names the bad argument of the accountant', () => {
    const accountant = new RdpAccountant();
    expect(() => accountant.step({ noiseMultiplier: -0.5, sampleRate: 0.1 })).toThrow(/noiseMultiplier/);
    expect(() => accountant.step({ noiseMultiplier: 1, sampleRate: 2 })).toThrow(/sampleRate/);
    expect(() => accountant.getEpsilon(0)).toThrow(/delta/);
    expect(() => new RdpAccountant({ orders: [] })).toThrow(/orders/);
  });
});
