/**
 * @module The checks an update passes before any strategy sees it: the model's shape, finite
 * values, a positive example count, and a bound on how far it moves the model (the L2 norm of
 * update − global). A failed check is a reason, so the coordinator can reject the update and flag
 * the client instead of averaging a NaN or a ×1000 update into everyone's model.
 */
import type { ClientUpdate } from './strategy.js';

export type UpdateCheck = { ok: true; norm: number } | { ok: false; reason: string };

/** L2 norm of `weights − global`. */
export function deltaNorm(weights: Float32Array, global: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    const d = (weights[i] as number) - (global[i] as number);
    sum += d * d;
  }
  return Math.sqrt(sum);
}

export function checkUpdate(update: ClientUpdate, global: Float32Array, opts: { maxNorm: number }): UpdateCheck {
  if (update.weights.length !== global.length) return { ok: false, reason: `shape: ${update.weights.length} weights, the model has ${global.length}` };
  if (!Number.isInteger(update.numExamples) || update.numExamples <= 0)
    return { ok: false, reason: `numExamples must be a positive integer, got ${update.numExamples}` };
  if (!Number.isFinite(update.loss)) return { ok: false, reason: 'the training loss is not a finite number' };
  for (let i = 0; i < update.weights.length; i++) {
    if (!Number.isFinite(update.weights[i] as number)) return { ok: false, reason: `weight ${i} is not finite` };
  }
  const norm = deltaNorm(update.weights, global);
  if (norm > opts.maxNorm) return { ok: false, reason: `the update moves the model by ${norm.toPrecision(4)} (L2), above the bound ${opts.maxNorm}` };
  return { ok: true, norm };
}
