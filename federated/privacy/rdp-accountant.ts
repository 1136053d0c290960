/**
 * @module federated/privacy/rdp-accountant
 * Owns privacy accounting for the subsampled Gaussian mechanism (DP-SGD, DP-FedAvg): Rényi
 * DP per order (Mironov 2017; Mironov, Talwar & Zhang 2019) and its conversion to
 * (epsilon, delta)-DP, computed as Opacus does (opacus/accountants/analysis/rdp.py) so budgets
 * agree with the Python tooling our users already trust.
 */
import { FederatedError } from '../errors.js';
import { logErfc } from './log-erfc.js';

/** Orders Opacus searches by default: 1.1..10.9 in steps of 0.1, then 12..63 (RDPAccountant.DEFAULT_ALPHAS). */
export const DEFAULT_RDP_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, k) => 1 + (k + 1) / 10),
  ...Array.from({ length: 52 }, (_, k) => 12 + k),
]);

/** The fractional-order series stops once a term drops below e^-30, as in Opacus. */
const LOG_TERM_CUTOFF = -30;
/** Guard against a series that never reaches the cutoff; Opacus loops forever instead. */
const MAX_SERIES_TERMS = 1_000_000;

function fail(fn: string, message: string): never {
  throw new FederatedError(`${fn}: ${message}`, { code: 'INVALID_ARGUMENT' });
}

function checkSampleRate(fn: string, sampleRate: number): void {
  if (!(sampleRate >= 0 && sampleRate <= 1)) fail(fn, `sampleRate must be in [0, 1], got ${sampleRate}`);
}

function checkNoiseMultiplier(fn: string, noiseMultiplier: number): void {
  if (!(noiseMultiplier >= 0) || noiseMultiplier === Number.POSITIVE_INFINITY) {
    fail(fn, `noiseMultiplier must be a finite number >= 0, got ${noiseMultiplier}`);
  }
}

function checkDelta(fn: string, delta: number): void {
  if (!(delta > 0 && delta < 1)) fail(fn, `delta must be in (0, 1), got ${delta}`);
}

function checkOrders(fn: string, orders: ArrayLike<number>): void {
  if (orders.length === 0) fail(fn, 'orders must not be empty');
  for (let k = 0; k < orders.length; k++) {
    const order = orders[k] as number;
    // alpha = 1 is KL divergence, where the RDP-to-DP conversion divides by zero.
    if (!(order > 1 && Number.isFinite(order))) fail(fn, `orders[${k}] must be a finite number > 1, got ${order}`);
  }
}

/** log(e^x + e^y) without overflow; -Infinity stands for 0. */
function logAdd(x: number, y: number): number {
  const lo = Math.min(x, y);
  const hi = Math.max(x, y);
  return lo === Number.NEGATIVE_INFINITY ? hi : hi + Math.log1p(Math.exp(lo - hi));
}

/** log(e^x - e^y) for x >= y; the alternating tail of the binomial series must never go negative. */
function logSub(x: number, y: number): number {
  if (x < y) throw new FederatedError(`logSub: difference is negative (log terms ${x} < ${y})`);
  if (y === Number.NEGATIVE_INFINITY) return x;
  if (x === y) return Number.NEGATIVE_INFINITY;
  const d = x - y;
  // log(e^d - 1) = d + log(1 - e^-d) avoids expm1 overflowing for d > 709.
  return y + (d > 1 ? d + Math.log1p(-Math.exp(-d)) : Math.log(Math.expm1(d)));
}

/**
 * log A_alpha for integer alpha: A_alpha = sum_i C(alpha,i) q^i (1-q)^(alpha-i) exp((i^2-i)/(2 sigma^2)),
 * Mironov, Talwar & Zhang 2019, Section 3.3 (binomial expansion of the mixture's moment).
 */
function logAInt(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  let logBinom = 0; // log C(alpha, 0), updated by the ratio C(alpha,i)/C(alpha,i-1)
  let logA = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= alpha; i++) {
    if (i > 0) logBinom += Math.log(alpha - i + 1) - Math.log(i);
    const term = logBinom + i * logQ + (alpha - i) * log1mQ + (i * i - i) / (2 * sigma * sigma);
    logA = logAdd(logA, term);
  }
  return logA;
}

/**
 * log A_alpha for fractional alpha: the integral split at z0 where the two Gaussians' mixture
 * ratio crosses 1, each half a generalised binomial series with erfc weights (Mironov, Talwar &
 * Zhang 2019, Section 3.3). Coefficients C(alpha, i) turn negative for i > alpha + 1, so the
 * series alternates and is summed with logAdd / logSub on the sign.
 */
function logAFrac(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  const twoSigmaSq = 2 * sigma * sigma;
  const sqrt2Sigma = Math.SQRT2 * sigma;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  let logA0 = Number.NEGATIVE_INFINITY;
  let logA1 = Number.NEGATIVE_INFINITY;
  let logAbsBinom = 0;
  let positive = true;
  for (let i = 0; i < MAX_SERIES_TERMS; i++) {
    if (i > 0) {
      const ratio = (alpha - i + 1) / i;
      logAbsBinom += Math.log(Math.abs(ratio));
      if (ratio < 0) positive = !positive;
    }
    const j = alpha - i;
    const logT0 = logAbsBinom + i * logQ + j * log1mQ;
    const logT1 = logAbsBinom + j * logQ + i * log1mQ;
    const logE0 = Math.log(0.5) + logErfc((i - z0) / sqrt2Sigma);
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / sqrt2Sigma);
    const logS0 = logT0 + (i * i - i) / twoSigmaSq + logE0;
    const logS1 = logT1 + (j * j - j) / twoSigmaSq + logE1;
    if (positive) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < LOG_TERM_CUTOFF) return logAdd(logA0, logA1);
  }
  throw new FederatedError(`logAFrac: series did not converge in ${MAX_SERIES_TERMS} terms (q=${q}, sigma=${sigma}, alpha=${alpha})`);
}

/** RDP of one step at one order, with Opacus's edge cases. */
function rdpOfStep(q: number, sigma: number, alpha: number): number {
  if (q === 0) return 0;
  if (sigma === 0) return Number.POSITIVE_INFINITY; // no noise, no privacy
  if (q === 1) return alpha / (2 * sigma * sigma); // plain Gaussian mechanism, Mironov 2017 Table II
  const logA = Number.isInteger(alpha) ? logAInt(q, sigma, alpha) : logAFrac(q, sigma, alpha);
  return logA / (alpha - 1);
}

/**
 * RDP of the subsampled Gaussian mechanism run `steps` times, one value per order. RDP
 * composes by addition (Mironov 2017, Prop. 1), so it is the one-step value times `steps`.
 * `steps = 0` gives 0 at every order, also with `noiseMultiplier = 0` (Opacus gives NaN there).
 *
 * @example
 * const rdp = computeRdp({ sampleRate: 0.04, noiseMultiplier: 1.5, steps: 2250 });
 */
export function computeRdp(opts: { sampleRate: number; noiseMultiplier: number; steps: number; orders?: ArrayLike<number> }): Float64Array {
  const { sampleRate, noiseMultiplier, steps, orders = DEFAULT_RDP_ORDERS } = opts;
  checkSampleRate('computeRdp', sampleRate);
  checkNoiseMultiplier('computeRdp', noiseMultiplier);
  if (!(Number.isSafeInteger(steps) && steps >= 0)) fail('computeRdp', `steps must be an integer >= 0, got ${steps}`);
  checkOrders('computeRdp', orders);
  const rdp = new Float64Array(orders.length);
  if (steps === 0) return rdp;
  for (let k = 0; k < orders.length; k++) rdp[k] = rdpOfStep(sampleRate, noiseMultiplier, orders[k] as number) * steps;
  return rdp;
}

/**
 * Converts RDP curves to (epsilon, delta)-DP, minimising over orders with the bound
 * eps = rdp - (log(delta) + log(alpha)) / (alpha - 1) + log((alpha - 1) / alpha)
 * (Balle et al. 2020, Theorem 21), as Opacus's get_privacy_spent. If the returned order is the
 * first or last one given, the optimum may lie outside the range: widen the orders.
 */
export function privacySpent(opts: { orders: ArrayLike<number>; rdp: ArrayLike<number>; delta: number }): { epsilon: number; order: number } {
  const { orders, rdp, delta } = opts;
  checkOrders('privacySpent', orders);
  if (rdp.length !== orders.length) fail('privacySpent', `rdp has ${rdp.length} values but orders has ${orders.length}`);
  checkDelta('privacySpent', delta);
  const logDelta = Math.log(delta);
  let best = { epsilon: Number.POSITIVE_INFINITY, order: Number.NaN };
  for (let k = 0; k < orders.length; k++) {
    const alpha = orders[k] as number;
    const epsilon = (rdp[k] as number) - (logDelta + Math.log(alpha)) / (alpha - 1) + Math.log((alpha - 1) / alpha);
    // Like numpy's nanargmin: strict "<" keeps the first minimum and skips NaN, and the
    // second clause picks the first order when every epsilon is Infinity (sigma = 0).
    if (epsilon < best.epsilon || (Number.isNaN(best.order) && epsilon === best.epsilon)) best = { epsilon, order: alpha };
  }
  return best;
}

/** A run of consecutive steps with identical parameters. */
export interface RdpStepGroup {
  readonly noiseMultiplier: number;
  readonly sampleRate: number;
  readonly steps: number;
}

/**
 * Tracks the privacy spent by a training run, one `step()` per noisy update. Consecutive
 * steps with equal parameters are stored as one group, so a run costs memory per schedule
 * change, not per step (Opacus RDPAccountant).
 *
 * @example
 * const accountant = new RdpAccountant();
 * for (let round = 0; round < 2250; round++) accountant.step({ noiseMultiplier: 1.5, sampleRate: 0.04 });
 * accountant.getEpsilon(1e-5); // ≈ 7.3291
 */
export class RdpAccountant {
  readonly #orders: readonly number[];
  readonly #groups: RdpStepGroup[] = [];

  constructor(opts: { orders?: readonly number[] } = {}) {
    const orders = opts.orders ?? DEFAULT_RDP_ORDERS;
    checkOrders('RdpAccountant', orders);
    this.#orders = Object.freeze([...orders]);
  }

  /** Records one application of the subsampled Gaussian mechanism. */
  step(opts: { noiseMultiplier: number; sampleRate: number }): void {
    const { noiseMultiplier, sampleRate } = opts;
    checkNoiseMultiplier('RdpAccountant.step', noiseMultiplier);
    checkSampleRate('RdpAccountant.step', sampleRate);
    const last = this.#groups.at(-1);
    if (last && last.noiseMultiplier === noiseMultiplier && last.sampleRate === sampleRate) {
      this.#groups[this.#groups.length - 1] = { ...last, steps: last.steps + 1 };
    } else {
      this.#groups.push({ noiseMultiplier, sampleRate, steps: 1 });
    }
  }

  /** The recorded step groups, oldest first. */
  get history(): readonly RdpStepGroup[] {
    return [...this.#groups];
  }

  /** Best (epsilon, order) over this accountant's orders for the given delta. */
  getPrivacySpent(delta: number): { epsilon: number; order: number } {
    checkDelta('RdpAccountant.getPrivacySpent', delta);
    const total = new Float64Array(this.#orders.length);
    for (const group of this.#groups) {
      const rdp = computeRdp({ ...group, orders: this.#orders });
      for (let k = 0; k < total.length; k++) total[k] = (total[k] as number) + (rdp[k] as number);
    }
    return privacySpent({ orders: this.#orders, rdp: total, delta });
  }

  /** Epsilon spent so far at the given delta. */
  getEpsilon(delta: number): number {
    checkDelta('RdpAccountant.getEpsilon', delta);
    return this.getPrivacySpent(delta).epsilon;
  }
}
