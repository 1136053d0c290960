/**
 * @module DP-FedAvg with an adaptive clip norm (Andrew et al. 2021, "Differentially Private
 * Learning with Adaptive Clipping"), as a strategy wrapper beside `withDpClipping`: instead of a
 * fixed S the server tracks the γ-quantile of the clients' update norms, so nobody has to guess
 * the scale of updates before training.
 *
 * Each round, with the current norm C: every update is clipped to C and averaged with equal
 * weight (as in `withDpClipping`), and every client also reports one bit b_i = 1 when its update
 * norm is ≤ C. The server estimates the unclipped fraction b̃ = (Σ b_i + N(0, σ_b²)) / m, then
 * moves C geometrically: C ← C · exp(−η_C (b̃ − γ)). When most updates exceed C, b̃ < γ and C
 * grows; when most fit, C shrinks. (One popular framework flips this sign, so its clip norm runs
 * away from the norms it tracks; the tests pin the direction.)
 *
 * How the noise multiplier z splits (the paper's Theorem 1). The round releases two Gaussian
 * sums: the clipped updates, sensitivity C, noised with z_Δ·C; and the bits. Centring each bit
 * as b_i − ½ gives that sum sensitivity ½; it changes nothing in b̃, since m is known, so σ_b on
 * it is a noise multiplier of 2σ_b. Two Gaussian mechanisms on the same clients compose like one
 * with z⁻² = z_Δ⁻² + (2σ_b)⁻², so to spend exactly what fixed clipping with multiplier z spends
 * (and keep the RDP accountant's epsilon valid for z), the update noise must be
 *   z_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2),
 * which needs 2σ_b > z. The paper takes σ_b = m/20 for m clients per round, so z_Δ is barely
 * above z (m = 100, z = 1: z_Δ ≈ 1.005): the clip norm is almost free in privacy.
 *
 * As in `withDpClipping`, m is the number of updates this round.
 *
 * @example
 * const strategy = withAdaptiveClipping(fedAvg(), { initialClipNorm: 0.1, noiseMultiplier: 1, bitNoiseStd: 100 / 20, rng });
 * // ... each round: strategy.aggregate(round, global, updates); log strategy.clipNorm
 */
import { clipUpdate, gaussian } from './dp-fedavg.js';
import { FederatedError } from '../errors.js';
import type { Strategy } from '../strategies/strategy.js';
import { deltaNorm } from '../strategies/update-check.js';

/** γ: track the median update norm, the paper's recommended target. */
export const DEFAULT_TARGET_QUANTILE = 0.5;
/** η_C: the geometric step the paper chose for its experiments. */
export const DEFAULT_CLIP_LEARNING_RATE = 0.2;

export interface AdaptiveClippingOptions {
  /** C in round 1; the paper starts small (0.1) and lets the norm grow to the quantile. */
  initialClipNorm: number;
  /** z: the noise multiplier of the whole round, bits included; what the RDP accountant is given. */
  noiseMultiplier: number;
  /** σ_b: standard deviation of the noise on the count of unclipped updates. Needs 2σ_b > z when z > 0; the paper uses m/20. */
  bitNoiseStd?: number;
  /** γ in (0, 1): the quantile of update norms C tracks. */
  targetQuantile?: number;
  /** η_C > 0: the geometric learning rate of C. */
  clipLearningRate?: number;
  /** Uniform [0, 1) numbers; seeded in simulations. */
  rng: () => number;
}

/** A strategy whose clip norm moves between rounds; read it after `aggregate` to report it. */
export interface AdaptiveClippingStrategy extends Strategy {
  /** C for the next round. */
  readonly clipNorm: number;
  /** z_Δ: the update noise in units of C, after the bits took their share of z. */
  readonly updateNoiseMultiplier: number;
  /** b̃ of the last round (noisy, so it may fall outside [0, 1]); null before the first round. */
  readonly unclippedFraction: number | null;
}

/** z_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2): the update noise that leaves the round's privacy at z. */
export function updateNoiseMultiplier(noiseMultiplier: number, bitNoiseStd: number): number {
  if (noiseMultiplier === 0) return 0;
  const rest = noiseMultiplier ** -2 - (2 * bitNoiseStd) ** -2;
  if (!(rest > 0)) {
    throw new FederatedError(
      `adaptive clipping: bitNoiseStd ${bitNoiseStd} leaves no privacy budget for the update noise at noiseMultiplier ${noiseMultiplier} (needs 2·bitNoiseStd > noiseMultiplier)`,
      { code: 'INVALID_ARGUMENT' },
    );
  }
  return rest ** -0.5;
}

export function withAdaptiveClipping(inner: Strategy, opts: AdaptiveClippingOptions): AdaptiveClippingStrategy {
  const gamma = opts.targetQuantile ?? DEFAULT_TARGET_QUANTILE;
  const eta = opts.clipLearningRate ?? DEFAULT_CLIP_LEARNING_RATE;
  const sigmaB = opts.bitNoiseStd ?? 0;
  if (!(opts.initialClipNorm > 0 && Number.isFinite(opts.initialClipNorm)))
    throw new FederatedError(`adaptive clipping: initialClipNorm must be > 0, got ${opts.initialClipNorm}`, { code: 'INVALID_ARGUMENT' });
  if (!(opts.noiseMultiplier >= 0))
    throw new FederatedError(`adaptive clipping: noiseMultiplier must be >= 0, got ${opts.noiseMultiplier}`, { code: 'INVALID_ARGUMENT' });
  if (!(gamma > 0 && gamma < 1)) throw new FederatedError(`adaptive clipping: targetQuantile must be in (0, 1), got ${gamma}`, { code: 'INVALID_ARGUMENT' });
  if (!(eta > 0)) throw new FederatedError(`adaptive clipping: clipLearningRate must be > 0, got ${eta}`, { code: 'INVALID_ARGUMENT' });
  if (opts.noiseMultiplier > 0 && opts.bitNoiseStd === undefined) {
    throw new FederatedError(
      'adaptive clipping: bitNoiseStd is required with noiseMultiplier > 0, or the bits leak (Andrew et al. use m/20 for m clients per round)',
      { code: 'INVALID_ARGUMENT' },
    );
  }
  if (!(sigmaB >= 0)) throw new FederatedError(`adaptive clipping: bitNoiseStd must be >= 0, got ${sigmaB}`, { code: 'INVALID_ARGUMENT' });
  const zDelta = updateNoiseMultiplier(opts.noiseMultiplier, sigmaB);
  let clipNorm = opts.initialClipNorm;
  let unclippedFraction: number | null = null;
  return {
    name: `dp-adaptive-${inner.name}`,
    configureRound: (round, base) => inner.configureRound(round, base),
    aggregate(round, current, updates) {
      const c = clipNorm;
      let unclipped = 0;
      const clipped = updates.map((u) => {
        if (deltaNorm(u.weights, current) <= c) unclipped++;
        return { ...clipUpdate(u, current, c), numExamples: 1 };
      });
      const mean = inner.aggregate(round, current, clipped);
      const m = updates.length;
      const std = (zDelta * c) / m;
      if (std > 0) for (let i = 0; i < mean.length; i++) mean[i] = (mean[i] as number) + std * gaussian(opts.rng);
      const fraction = (unclipped + (sigmaB > 0 ? sigmaB * gaussian(opts.rng) : 0)) / m;
      unclippedFraction = fraction;
      clipNorm = c * Math.exp(-eta * (fraction - gamma));
      return mean;
    },
    get clipNorm() {
      return clipNorm;
    },
    get updateNoiseMultiplier() {
      return zDelta;
    },
    get unclippedFraction() {
      return unclippedFraction;
    },
  };
}
