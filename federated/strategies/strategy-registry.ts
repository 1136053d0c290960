/**
 * @module Strategies by name, as the CLI, job specs and the GraphQL API spell them. Krum needs the
 * number of byzantine clients it must tolerate; the others ignore it.
 */
import { fedAvg } from './fed-avg.js';
import { fedAvgM } from './fed-avg-m.js';
import { fedAdagrad, fedAdam, fedYogi } from './fed-opt.js';
import { fedProx } from './fed-prox.js';
import { FederatedError } from '../errors.js';
import { fedKrum, fedMedian, fedTrimmedMean } from './robust-aggregation.js';
import type { Strategy } from './strategy.js';

const STRATEGIES: Record<string, (byzantineClients: number) => Strategy> = {
  fedavg: () => fedAvg(),
  fedavgm: () => fedAvgM(),
  fedprox: () => fedProx(),
  fedadagrad: () => fedAdagrad(),
  fedadam: () => fedAdam(),
  fedyogi: () => fedYogi(),
  median: () => fedMedian(),
  'trimmed-mean': () => fedTrimmedMean(),
  krum: (f) => fedKrum({ byzantine: f }),
  'multi-krum': (f) => fedKrum({ byzantine: f, keep: 5 }),
};

export const STRATEGY_NAMES: readonly string[] = Object.keys(STRATEGIES);

/** Strategies that only need the mean of the updates, so secure aggregation can serve them. */
export const MEAN_BASED_STRATEGIES: readonly string[] = ['fedavg', 'fedprox'];

export function createStrategy(name: string, opts: { byzantineClients?: number } = {}): Strategy {
  const make = STRATEGIES[name];
  if (!make) throw new FederatedError(`strategy "${name}" is not one of ${STRATEGY_NAMES.join(', ')}`, { code: 'INVALID_ARGUMENT' });
  return make(opts.byzantineClients ?? 0);
}
