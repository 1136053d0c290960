/**
 * @module FedAvg (McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks from
 * Decentralized Data", Algorithm 1): the next global model is the average of the clients'
 * models weighted by their number of examples. The loop is the memory-bound floor: one pass over
 * each update, accumulating in float64 so 100 float32 updates lose no precision.
 */
import { FederatedError } from '../errors.js';
import { assertUpdates, sameConfig, type ClientUpdate, type Strategy } from './strategy.js';

/** The example-weighted mean of the updates' weights. */
export function weightedAverage(updates: readonly ClientUpdate[], length: number): Float32Array {
  const total = updates.reduce((s, u) => s + u.numExamples, 0);
  if (!(total > 0)) throw new FederatedError('FedAvg: the updates carry no examples (numExamples must be positive)');
  const acc = new Float64Array(length);
  for (const u of updates) {
    const w = u.numExamples / total;
    const x = u.weights;
    for (let i = 0; i < length; i++) acc[i] = (acc[i] as number) + w * (x[i] as number);
  }
  return Float32Array.from(acc);
}

export function fedAvg(): Strategy {
  return {
    name: 'fedavg',
    configureRound: sameConfig,
    aggregate(_round, current, updates) {
      assertUpdates('fedavg', current, updates);
      return weightedAverage(updates, current.length);
    },
  };
}
