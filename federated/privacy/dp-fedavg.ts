/**
 * @module Client-level differential privacy as a strategy wrapper (DP-FedAvg, McMahan et al.
 * 2018, "Learning Differentially Private Recurrent Language Models"): every client's change to
 * the global model is clipped to L2 norm S, the clipped updates are averaged with equal weight
 * (a client's example count would otherwise leak into the sensitivity), and Gaussian noise with
 * standard deviation z·S/m is added to the average of m updates. The RDP accountant then turns
 * (z, sampling rate, rounds) into epsilon.
 */
import { deltaNorm } from '../strategies/update-check.js';
import { FederatedError } from '../errors.js';
import type { ClientUpdate, Strategy } from '../strategies/strategy.js';

export interface DpOptions {
  /** S: the L2 bound of one client's change. */
  clipNorm: number;
  /** z: noise standard deviation in units of S. */
  noiseMultiplier: number;
  /** Uniform [0, 1) numbers; seeded in simulations. */
  rng: () => number;
}

/** A standard normal sample (Box–Muller). */
export function gaussian(rng: () => number): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** `update` with its change to `global` scaled down to norm at most `clipNorm`. */
export function clipUpdate(update: ClientUpdate, global: Float32Array, clipNorm: number): ClientUpdate {
  const norm = deltaNorm(update.weights, global);
  if (norm <= clipNorm) return update;
  const f = clipNorm / norm;
  const weights = new Float32Array(global.length);
  for (let i = 0; i < weights.length; i++) weights[i] = (global[i] as number) + f * ((update.weights[i] as number) - (global[i] as number));
  return { ...update, weights };
}

export function withDpClipping(inner: Strategy, opts: DpOptions): Strategy {
  if (!(opts.clipNorm > 0)) throw new FederatedError(`dp: clipNorm must be > 0, got ${opts.clipNorm}`, { code: 'INVALID_ARGUMENT' });
  if (!(opts.noiseMultiplier >= 0)) throw new FederatedError(`dp: noiseMultiplier must be >= 0, got ${opts.noiseMultiplier}`, { code: 'INVALID_ARGUMENT' });
  return {
    name: `dp-${inner.name}`,
    configureRound: (round, base) => inner.configureRound(round, base),
    aggregate(round, current, updates) {
      const clipped = updates.map((u) => ({ ...clipUpdate(u, current, opts.clipNorm), numExamples: 1 }));
      const mean = inner.aggregate(round, current, clipped);
      const std = (opts.noiseMultiplier * opts.clipNorm) / updates.length;
      if (std > 0) for (let i = 0; i < mean.length; i++) mean[i] = (mean[i] as number) + std * gaussian(opts.rng);
      return mean;
    },
  };
}
