/**
 * @module FedProx (Li et al. 2020, "Federated Optimization in Heterogeneous Networks"): clients
 * add (μ/2)·‖w − w_global‖² to their local loss, which keeps stragglers and skewed clients close
 * to the global model; the server aggregates as FedAvg. The strategy only sets μ for the round.
 */
import { FederatedError } from '../errors.js';
import { fedAvg } from './fed-avg.js';
import type { Strategy } from './strategy.js';

export function fedProx(opts: { proximalMu?: number } = {}): Strategy {
  const mu = opts.proximalMu ?? 0.01;
  if (!(mu >= 0)) throw new FederatedError(`fedprox: proximalMu must be >= 0, got ${mu}`);
  const avg = fedAvg();
  return {
    name: 'fedprox',
    configureRound: (_round, base) => ({ ...base, proximalMu: mu }),
    aggregate: (round, current, updates) => avg.aggregate(round, current, updates),
  };
}
