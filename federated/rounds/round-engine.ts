/**
 * @module One federated round, written once for every runner: the server's training jobs,
 * `lumora fl simulate` and the MNIST replication in bench/. A round samples its clients,
 * configures their local training, checks each update, clips and noises them (client-level DP)
 * and aggregates — through the strategy or through secure aggregation — into the next global
 * model. A job's round spans HTTP requests, so the engine offers those steps one by one
 * (`sample`, `configure`, `check`, `aggregate`); an in-process run calls `runRound`, which takes
 * them in order. Which options go together is decided here too (`roundConflict`), for the job
 * spec and the simulator alike.
 */
import { FederatedError } from '../errors.js';
import { withAdaptiveClipping, type AdaptiveClippingStrategy } from '../privacy/adaptive-clipping.js';
import { withDpClipping } from '../privacy/dp-fedavg.js';
import { shuffleInPlace } from '../shuffle.js';
import type { ClientTrainConfig, ClientUpdate, Strategy } from '../strategies/strategy.js';
import { MEAN_BASED_STRATEGIES } from '../strategies/strategy-registry.js';
import { checkUpdate, type UpdateCheck } from '../strategies/update-check.js';
import { secureMean } from './secure-mean.js';

/** Client-level DP for a round (DP-FedAvg): clip each change to `clipNorm`, add Gaussian noise z·S/m. */
export interface RoundDp {
  noiseMultiplier: number;
  /** S; with `adaptive`, only the starting norm, which then tracks the `targetQuantile` of the update norms (Andrew et al. 2021). */
  clipNorm: number;
  adaptive?: { targetQuantile?: number };
}

export interface RoundEngineOptions {
  /** The aggregation rule, before any DP wrapper. */
  strategy: Strategy;
  /** Draws client samples (and whatever else the runner shares it with). */
  rng: () => number;
  dp?: RoundDp | null;
  /** Draws the DP noise; `rng` by default. A server takes OS entropy: noise anyone can replay protects nothing. */
  noise?: () => number;
  /** Clients a round samples, m: adaptive clipping's bit noise is σ_b = m/20. */
  clientsPerRound: number;
  /** Aggregate the example-weighted mean under secure aggregation instead of the strategy (mean-based strategies only). */
  secureAggregation?: { clipRange?: number } | null;
  /**
   * Updates that move the model further (L2) are refused, as are malformed ones; `Infinity` checks
   * only shape and values. Absent: updates are not checked (an in-process run of trusted code).
   */
  maxUpdateNorm?: number;
}

/** An option that cannot go with the others, and why. */
export interface RoundConflict {
  option: 'dp' | 'secureAggregation';
  reason: string;
}

/**
 * Whether a round with this strategy can clip and noise (DP-FedAvg) or run under secure
 * aggregation: both need the mean of the updates, and clipping needs each update in the clear.
 * Null when the combination works.
 */
export function roundConflict(opts: { strategy: string; dp: boolean; secureAggregation: boolean }): RoundConflict | null {
  const meanBased = MEAN_BASED_STRATEGIES.includes(opts.strategy);
  if (opts.dp && !meanBased)
    return {
      option: 'dp',
      reason: `DP-FedAvg clips and averages updates; it needs a mean-based strategy (${MEAN_BASED_STRATEGIES.join(', ')}), not ${opts.strategy}`,
    };
  if (opts.secureAggregation && opts.dp)
    return { option: 'secureAggregation', reason: 'secure aggregation and DP clipping cannot be combined here: clipping needs each update in the clear' };
  if (opts.secureAggregation && !meanBased)
    return {
      option: 'secureAggregation',
      reason: `secure aggregation needs a mean-based strategy (${MEAN_BASED_STRATEGIES.join(', ')}); ${opts.strategy} must see individual updates`,
    };
  return null;
}

/** One round run in this process: the clients `sample` drew, each trained by `train`. */
export interface LocalRound<C> {
  round: number;
  /** The global model the clients start from; never modified. */
  global: Float32Array;
  clients: readonly C[];
  /** The training settings before the strategy adjusts them for the round. */
  base: ClientTrainConfig;
  train(client: C, config: ClientTrainConfig): ClientUpdate;
}

/** Example-weighted mean of the training losses the clients reported. */
export function meanTrainingLoss(updates: readonly ClientUpdate[]): number {
  const examples = updates.reduce((s, u) => s + u.numExamples, 0);
  return updates.reduce((s, u) => s + u.loss * u.numExamples, 0) / examples;
}

/**
 * The steps of a round for one training run: its strategy (wrapped for DP when asked), sampling
 * generator, update checks and aggregation path.
 *
 * @example
 * const engine = new RoundEngine({ strategy: fedAvg(), rng, clientsPerRound: 10 });
 * const clients = engine.sample(ids, 10);
 * const { weights } = engine.runRound({ round, global, clients, base, train: (k, cfg) => trainClient(k, global, cfg) });
 */
export class RoundEngine {
  /** The strategy rounds aggregate with: the given one, wrapped for DP when asked. */
  readonly strategy: Strategy;
  readonly #adaptive: AdaptiveClippingStrategy | null;
  readonly #rng: () => number;
  readonly #secure: { clipRange: number } | null;
  readonly #maxUpdateNorm: number | undefined;

  constructor(opts: RoundEngineOptions) {
    const { dp } = opts;
    const conflict = roundConflict({ strategy: opts.strategy.name, dp: Boolean(dp), secureAggregation: Boolean(opts.secureAggregation) });
    if (conflict) throw new FederatedError(conflict.reason, { code: 'INVALID_ARGUMENT' });
    const noise = opts.noise ?? opts.rng;
    this.#adaptive = dp?.adaptive
      ? withAdaptiveClipping(opts.strategy, {
          initialClipNorm: dp.clipNorm,
          noiseMultiplier: dp.noiseMultiplier,
          // The paper's σ_b = m/20, raised where needed so that 2σ_b > z leaves noise for the updates.
          bitNoiseStd: Math.max(opts.clientsPerRound / 20, dp.noiseMultiplier),
          ...(dp.adaptive.targetQuantile !== undefined ? { targetQuantile: dp.adaptive.targetQuantile } : {}),
          rng: noise,
        })
      : null;
    this.strategy =
      this.#adaptive ?? (dp ? withDpClipping(opts.strategy, { clipNorm: dp.clipNorm, noiseMultiplier: dp.noiseMultiplier, rng: noise }) : opts.strategy);
    this.#rng = opts.rng;
    this.#secure = opts.secureAggregation ? { clipRange: opts.secureAggregation.clipRange ?? 1 } : null;
    this.#maxUpdateNorm = opts.maxUpdateNorm;
  }

  /** With adaptive clipping, the clip norm the next round uses; undefined otherwise. */
  get clipNorm(): number | undefined {
    return this.#adaptive?.clipNorm;
  }

  /** The round's clients: `pool` shuffled in place, its first `count`. */
  sample<C>(pool: C[], count: number): C[] {
    return shuffleInPlace(pool, this.#rng).slice(0, count);
  }

  /** What the round's clients train with. */
  configure(round: number, base: ClientTrainConfig): ClientTrainConfig {
    return this.strategy.configureRound(round, base);
  }

  /** Whether `update` may count: its shape, finite values, example count and `maxUpdateNorm` (if any). */
  check(update: ClientUpdate, global: Float32Array): UpdateCheck {
    return checkUpdate(update, global, { maxNorm: this.#maxUpdateNorm ?? Number.POSITIVE_INFINITY });
  }

  /** The next global weights from the round's accepted updates (at least one). */
  aggregate(round: number, global: Float32Array, updates: readonly ClientUpdate[]): Float32Array {
    return this.#secure ? secureMean(round, global, updates, this.#secure.clipRange) : this.strategy.aggregate(round, global, updates);
  }

  /**
   * Configures, trains every client in turn, keeps the updates that pass the check and aggregates
   * them. `weights` is `global` itself when no update passed.
   */
  runRound<C>(r: LocalRound<C>): { weights: Float32Array; updates: ClientUpdate[] } {
    const config = this.configure(r.round, r.base);
    const updates: ClientUpdate[] = [];
    for (const client of r.clients) {
      const update = r.train(client, config);
      if (this.#maxUpdateNorm === undefined || this.check(update, r.global).ok) updates.push(update);
    }
    return { weights: updates.length > 0 ? this.aggregate(r.round, r.global, updates) : r.global, updates };
  }
}
