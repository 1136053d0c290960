/**
 * @module A training job's specification: which dataset and columns, the features and model, how
 * rows are split among clients, the round rules (sampling fraction, minimum clients, deadline,
 * tolerated failures, retries), the local training settings, the strategy and the privacy
 * settings. `resolveJobSpec` fills defaults and rejects a bad field with a message naming it.
 */
import { FederatedError } from '../errors.js';
import { DEFAULT_DIMENSION } from '../data/hashed-features.js';
import type { LocalTraining } from '../models/types.js';
import { RdpAccountant } from '../privacy/rdp-accountant.js';
import { roundConflict } from '../rounds/round-engine.js';
import { STRATEGY_NAMES } from '../strategies/strategy-registry.js';
import type { ModelSpec } from '../models/text-model.js';

export type SplitKind = 'iid' | 'noniid' | 'dirichlet' | 'domain';

export interface DpSpec {
  /** z: noise standard deviation in units of the clip norm. */
  noiseMultiplier: number;
  /** S: the L2 bound of one client's change. */
  clipNorm: number;
  delta: number;
  /** The job stops before a round that would spend more than this epsilon; null = report only. */
  epsilonBudget: number | null;
  /** Adaptive clipping (Andrew et al. 2021): `clipNorm` is the starting norm, which then tracks the median update norm. */
  adaptive: boolean;
}

export interface TrainingJobSpec {
  /** The dataset version, `slug@vN`. */
  dataset: string;
  /** Classification of the label's values, or regression on a numeric label. */
  task: 'classification' | 'regression';
  /** The text column hashed into features; null for numeric features only. */
  textColumn: string | null;
  /** Numeric columns appended as z-scored features. */
  numericColumns: string[];
  labelColumn: string;
  /** Hashed word and bigram buckets. */
  dimension: number;
  /** Scale each hashed feature by its inverse document frequency (computed by the server over the training rows and sent to every client). */
  tfidf: boolean;
  model: ModelSpec;
  split: SplitKind;
  labelsPerClient: number;
  alpha: number;
  /** How many shards the training rows are split into: one per client. */
  clients: number;
  rounds: number;
  /** Share of the active clients sampled per round (C). */
  fraction: number;
  /** A round starts only with this many active clients, and samples at least this many. */
  minClients: number;
  roundTimeoutMs: number;
  /** Share of a round's sampled clients that may drop out or be rejected before the round is retried. */
  maxFailureFraction: number;
  /** Attempts of one round after the first before the job fails. */
  maxRetries: number;
  local: LocalTraining;
  strategy: string;
  /** Updates that move the model further (L2) are rejected. */
  maxUpdateNorm: number;
  /** Active clients one wallet may have in the job; more than 1 only if the dataset's owner allows it. */
  maxClientsPerWallet: number;
  dp: DpSpec | null;
  seed: number;
}

export type TrainingJobInput = Partial<Omit<TrainingJobSpec, 'local' | 'dp' | 'model' | 'textColumn'>> & {
  textColumn?: string | null;
  dataset: string;
  labelColumn: string;
  clients: number;
  rounds: number;
  model?: ModelSpec;
  local?: Partial<LocalTraining>;
  dp?: (Partial<DpSpec> & { noiseMultiplier: number; clipNorm: number }) | null;
};

function invalid(field: string, why: string): FederatedError {
  return new FederatedError(`${field}: ${why}`, { code: 'INVALID_ARGUMENT' });
}

function int(field: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw invalid(field, `must be a whole number from ${min} to ${max}, got ${v}`);
  return v;
}

function num(field: string, v: number, min: number, max: number, openMin = false): number {
  if (!Number.isFinite(v) || v < min || v > max || (openMin && v === min)) throw invalid(field, `must be a number ${openMin ? '>' : '≥'} ${min} and ≤ ${max}, got ${v}`);
  return v;
}

/** In (0, 1): (ε, δ)-DP with δ = 1 says nothing, and the accountant refuses it. */
function probability(field: string, v: number): number {
  if (!(v > 0 && v < 1)) throw invalid(field, `must be a number > 0 and < 1, got ${v}`);
  return v;
}

export function resolveJobSpec(input: TrainingJobInput): TrainingJobSpec {
  const clients = int('clients', input.clients, 1, 10_000);
  const split = input.split ?? 'iid';
  if (!['iid', 'noniid', 'dirichlet', 'domain'].includes(split)) throw invalid('split', `"${split}" must be iid, noniid, dirichlet or domain`);
  const strategy = input.strategy ?? 'fedavg';
  if (!STRATEGY_NAMES.includes(strategy)) throw invalid('strategy', `"${strategy}" is not one of ${STRATEGY_NAMES.join(', ')}`);
  const task = input.task ?? 'classification';
  if (task !== 'classification' && task !== 'regression') throw invalid('task', `"${task}" must be classification or regression`);
  const model: ModelSpec = input.model ?? (task === 'regression' ? { kind: 'linreg' } : { kind: 'logreg' });
  if (task === 'classification' && model.kind !== 'logreg' && model.kind !== 'mlp') throw invalid('model', 'a classification job trains logreg or mlp');
  if (task === 'regression' && model.kind !== 'linreg') throw invalid('model', 'a regression job trains linreg (linear regression)');
  if (task === 'regression' && (split === 'noniid' || split === 'dirichlet')) throw invalid('split', `${split} splits by class label; a regression job splits iid or by domain`);
  const numericColumns = input.numericColumns ?? [];
  const textColumn = input.textColumn === undefined ? 'text' : input.textColumn;
  if (textColumn === null && numericColumns.length === 0) throw invalid('numericColumns', 'give a text column, numeric columns, or both');
  if (model.kind === 'mlp') int('hidden', model.hidden, 1, 4096);
  const dimension = int('dimension', input.dimension ?? DEFAULT_DIMENSION, 16, 1 << 24);
  const minClients = int('minClients', input.minClients ?? Math.min(clients, 2), 1, clients);
  const local: LocalTraining = {
    epochs: int('epochs', input.local?.epochs ?? 1, 1, 1000),
    batchSize: int('batchSize', input.local?.batchSize ?? 10, 0, 1_000_000),
    learningRate: num('learningRate', input.local?.learningRate ?? 0.5, 0, 1000, true),
    proximalMu: num('proximalMu', input.local?.proximalMu ?? 0, 0, 1000),
  };
  let dp: DpSpec | null = null;
  if (input.dp) {
    const conflict = roundConflict({ strategy, dp: true, secureAggregation: false });
    if (conflict) throw invalid(conflict.option, conflict.reason);
    dp = {
      noiseMultiplier: num('dp.noiseMultiplier', input.dp.noiseMultiplier, 0, 1000, true),
      clipNorm: num('dp.clipNorm', input.dp.clipNorm, 0, 1e6, true),
      delta: probability('dp.delta', input.dp.delta ?? 1e-5),
      epsilonBudget: input.dp.epsilonBudget == null ? null : num('dp.epsilonBudget', input.dp.epsilonBudget, 0, 1e6, true),
      adaptive: input.dp.adaptive ?? false,
    };
  }
  const spec: TrainingJobSpec = {
    dataset: input.dataset,
    task,
    textColumn,
    numericColumns,
    labelColumn: input.labelColumn,
    dimension,
    tfidf: input.tfidf ?? false,
    model,
    split,
    labelsPerClient: int('labelsPerClient', input.labelsPerClient ?? 2, 1, 10_000),
    alpha: num('alpha', input.alpha ?? 0.5, 0, 1e6, true),
    clients,
    rounds: int('rounds', input.rounds, 1, 100_000),
    fraction: num('fraction', input.fraction ?? 1, 0, 1, true),
    minClients,
    roundTimeoutMs: int('roundTimeoutMs', input.roundTimeoutMs ?? 60_000, 100, 86_400_000),
    maxFailureFraction: num('maxFailureFraction', input.maxFailureFraction ?? 0.3, 0, 1),
    maxRetries: int('maxRetries', input.maxRetries ?? 3, 0, 100),
    local,
    strategy,
    maxUpdateNorm: num('maxUpdateNorm', input.maxUpdateNorm ?? 1000, 0, Number.MAX_VALUE, true),
    maxClientsPerWallet: int('maxClientsPerWallet', input.maxClientsPerWallet ?? 1, 1, clients),
    dp,
    seed: int('seed', input.seed ?? 1, 0, 2 ** 31),
  };
  if (dp) checkEpsilonBudget(spec, dp);
  return spec;
}

/** Clients a round samples when `active` clients are active: a fraction C of them, at least `minClients`. */
export function sampleSize(spec: Pick<TrainingJobSpec, 'fraction' | 'minClients'>, active: number): number {
  return Math.min(active, Math.max(spec.minClients, Math.ceil(spec.fraction * active)));
}

/**
 * A budget that one round already exceeds would stop the job before its first round: refused
 * here, with that round's epsilon (RDP accountant, at the sampling rate of a round with every
 * shard's client active).
 */
function checkEpsilonBudget(spec: TrainingJobSpec, dp: DpSpec): void {
  if (dp.epsilonBudget === null) return;
  const sampled = sampleSize(spec, spec.clients);
  const accountant = new RdpAccountant();
  accountant.step({ noiseMultiplier: dp.noiseMultiplier, sampleRate: sampled / spec.clients });
  const epsilon = accountant.getEpsilon(dp.delta);
  if (epsilon > dp.epsilonBudget) {
    throw invalid(
      'dp.epsilonBudget',
      `one round spends epsilon ${epsilon.toPrecision(4)} (noise multiplier ${dp.noiseMultiplier}, ${sampled} of ${spec.clients} clients sampled, delta ${dp.delta}), more than the budget ${dp.epsilonBudget}; raise the budget or the noise multiplier, or sample fewer clients`,
    );
  }
}

/** A spec read back from a saved job: fields added since it was saved take their defaults. */
export function savedJobSpec(saved: TrainingJobSpec): TrainingJobSpec {
  return { ...saved, maxClientsPerWallet: saved.maxClientsPerWallet ?? 1 };
}
