/**
 * @module FedAvg through secure aggregation (Bonawitz et al. 2017): the server announces each
 * sampled client's share of the round's examples (counts are not secret, as in Flower's SecAgg+),
 * each client masks its change times that share, and the unmasked sum is the weighted mean change.
 * The server only ever learns that sum.
 */
import { runSecureAggregation } from '../secagg/protocol.js';
import type { ClientUpdate } from '../strategies/strategy.js';

/**
 * The next global weights: `global` plus the example-weighted mean change of `updates`, summed
 * under masks. Values beyond ±clipRange per coordinate are clamped by the fixed-point codec.
 */
export function secureMean(round: number, global: Float32Array, updates: readonly ClientUpdate[], clipRange: number): Float32Array {
  const total = updates.reduce((s, u) => s + u.numExamples, 0);
  const inputs = updates.map((u) => {
    const share = u.numExamples / total;
    const values = new Float32Array(global.length);
    for (let i = 0; i < values.length; i++) values[i] = share * ((u.weights[i] as number) - (global[i] as number));
    return { clientId: u.clientId, values };
  });
  const n = inputs.length;
  const { result } = runSecureAggregation({ round, updates: inputs, threshold: Math.floor(n / 2) + 1, clipRange });
  const next = new Float32Array(global.length);
  for (let i = 0; i < next.length; i++) next[i] = (global[i] as number) + (result.sum[i] as number);
  return next;
}
