/**
 * @module Adaptive server optimizers (Reddi et al. 2021, "Adaptive Federated Optimization",
 * Algorithm 2): the FedAvg average minus the current model is a pseudo-gradient Δ; the server
 * keeps a first moment m = β1·m + (1 − β1)·Δ and a second moment v updated per optimizer, and
 * steps x ← x + η·m / (√v + τ).
 *   FedAdagrad: v ← v + Δ²
 *   FedAdam:    v ← β2·v + (1 − β2)·Δ²
 *   FedYogi:    v ← v − (1 − β2)·Δ²·sign(v − Δ²)
 * Defaults are Flower's (η = 0.1, β1 = 0.9, β2 = 0.99, τ = 1e-9; FedAdagrad β1 = 0), with v
 * starting at zero as Flower's does.
 */
import { weightedAverage } from './fed-avg.js';
import { assertUpdates, sameConfig, type Strategy } from './strategy.js';

export type ServerOptimizer = 'adagrad' | 'adam' | 'yogi';

export interface FedOptOptions {
  /** Server learning rate η. */
  serverLearningRate?: number;
  beta1?: number;
  beta2?: number;
  /** Adaptivity τ: larger is closer to plain momentum. */
  tau?: number;
}

export function fedOpt(optimizer: ServerOptimizer, opts: FedOptOptions = {}): Strategy {
  const eta = opts.serverLearningRate ?? 0.1;
  const beta1 = opts.beta1 ?? (optimizer === 'adagrad' ? 0 : 0.9);
  const beta2 = opts.beta2 ?? 0.99;
  const tau = opts.tau ?? 1e-9;
  let m: Float64Array | undefined;
  let v: Float64Array | undefined;
  const name = `fed${optimizer}`;
  return {
    name,
    configureRound: sameConfig,
    aggregate(_round, current, updates) {
      assertUpdates(name, current, updates);
      const avg = weightedAverage(updates, current.length);
      m ??= new Float64Array(current.length);
      v ??= new Float64Array(current.length);
      const next = new Float32Array(current.length);
      for (let i = 0; i < current.length; i++) {
        const delta = (avg[i] as number) - (current[i] as number);
        const mi = beta1 * (m[i] as number) + (1 - beta1) * delta;
        const d2 = delta * delta;
        let vi = v[i] as number;
        if (optimizer === 'adagrad') vi += d2;
        else if (optimizer === 'adam') vi = beta2 * vi + (1 - beta2) * d2;
        else vi -= (1 - beta2) * d2 * Math.sign(vi - d2);
        m[i] = mi;
        v[i] = vi;
        next[i] = (current[i] as number) + (eta * mi) / (Math.sqrt(vi) + tau);
      }
      return next;
    },
  };
}

export const fedAdagrad = (opts?: FedOptOptions) => fedOpt('adagrad', opts);
export const fedAdam = (opts?: FedOptOptions) => fedOpt('adam', opts);
export const fedYogi = (opts?: FedOptOptions) => fedOpt('yogi', opts);
