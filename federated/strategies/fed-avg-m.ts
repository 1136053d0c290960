/**
 * @module FedAvgM (Hsu, Qi & Brown 2019, "Measuring the Effects of Non-Identical Data
 * Distribution for Federated Visual Classification"): FedAvg's change to the global model is
 * treated as a pseudo-gradient and applied with server momentum, which damps the oscillation
 * non-IID clients cause. Defaults as Flower's FedAvgM with the paper's momentum: η = 1, β = 0.9.
 */
import { weightedAverage } from './fed-avg.js';
import { assertUpdates, sameConfig, type Strategy } from './strategy.js';

export function fedAvgM(opts: { serverLearningRate?: number; momentum?: number } = {}): Strategy {
  const eta = opts.serverLearningRate ?? 1;
  const beta = opts.momentum ?? 0.9;
  let velocity: Float64Array | undefined;
  return {
    name: 'fedavgm',
    configureRound: sameConfig,
    aggregate(_round, current, updates) {
      assertUpdates('fedavgm', current, updates);
      const avg = weightedAverage(updates, current.length);
      velocity ??= new Float64Array(current.length);
      const next = new Float32Array(current.length);
      for (let i = 0; i < current.length; i++) {
        // Pseudo-gradient: how far the average moved the model, as a descent direction.
        const g = (current[i] as number) - (avg[i] as number);
        const v = beta * (velocity[i] as number) + g;
        velocity[i] = v;
        next[i] = (current[i] as number) - eta * v;
      }
      return next;
    },
  };
}
