/**
 * @module A federated training run in one process (`lumora fl simulate`): rows of a catalog
 * dataset are split among N simulated clients (IID or by label), a fifth of the rows (by hash of
 * the id) is held out on the server for validation, and each round the sampled clients train a
 * logistic regression locally and the strategy aggregates. Byzantine clients send sign-flipped
 * ×10 updates; DP clips and noises (with the RDP accountant's epsilon per round).
 */
import { withAdaptiveClipping } from '../privacy/adaptive-clipping.js';
import { withDpClipping } from '../privacy/dp-fedavg.js';
import { FederatedError } from '../errors.js';
import { DEFAULT_DIMENSION, hashText, inverseDocumentFrequency } from '../data/hashed-features.js';
import type { Example, LocalTraining } from '../models/types.js';
import { isValidationRow, partitionRows } from '../data/partition.js';
import { RdpAccountant } from '../privacy/rdp-accountant.js';
import { runSecureAggregation } from '../secagg/protocol.js';
import type { ClientUpdate, Strategy } from '../strategies/strategy.js';
import { checkUpdate } from '../strategies/update-check.js';
import { shuffleInPlace } from '../shuffle.js';
import { textModel, type ModelSpec } from '../models/text-model.js';
import { mulberry32 } from '../../common/index.js';

export interface SimulationRow {
  id: string;
  text: string;
  label: string;
  /** For the by-domain split. */
  domain?: string;
}

export interface SimulationOptions {
  rows: readonly SimulationRow[];
  clients: number;
  rounds: number;
  strategy: Strategy;
  /** iid by row id; noniid = label shards (`labelsPerClient` each); dirichlet(alpha) label skew; by domain. */
  split: 'iid' | 'noniid' | 'dirichlet' | 'domain';
  labelsPerClient?: number;
  alpha?: number;
  /** Share of clients sampled per round (C in the FedAvg paper). */
  fraction?: number;
  local?: Partial<LocalTraining>;
  dimension?: number;
  /** TF-IDF weighting of the hashed features (document frequencies from the training rows). */
  tfidf?: boolean;
  /** Multinomial logistic regression (default) or a one-hidden-layer perceptron. */
  model?: ModelSpec;
  /** Share of each round's sampled clients that send sign-flipped ×10 updates. */
  byzantine?: number;
  /**
   * Client-level DP. With `adaptive`, `clipNorm` is only the starting norm: it then tracks the
   * `targetQuantile` of the update norms (Andrew et al. 2021), and each round reports it.
   */
  dp?: { noiseMultiplier: number; clipNorm: number; delta?: number; adaptive?: { targetQuantile?: number } };
  /**
   * Secure aggregation (Bonawitz et al. 2017): each client sends its example-weighted change,
   * masked; the server only ever learns their sum. Works with mean-based strategies (fedavg,
   * fedprox): robust rules and per-client DP clipping need to see individual updates.
   */
  secureAggregation?: { clipRange?: number };
  seed?: number;
}

export interface RoundResult {
  round: number;
  accuracy: number;
  loss: number;
  /** Clients whose updates were aggregated. */
  clients: number;
  /** (epsilon, delta)-DP spent so far; null without DP. */
  epsilon: number | null;
  /** With adaptive clipping: the clip norm the next round uses. */
  clipNorm?: number;
}

export interface SimulationResult {
  rounds: RoundResult[];
  final: { accuracy: number; loss: number };
  labels: string[];
  trainRows: number;
  validationRows: number;
}

/**
 * FedAvg through secure aggregation: the server announces each sampled client's share of the
 * round's examples (counts are not secret, as in Flower's SecAgg+), each client masks its change
 * times that share, and the unmasked sum is the weighted mean change. Values beyond ±clipRange
 * per coordinate are clamped by the fixed-point codec.
 */
function secureMean(round: number, global: Float32Array, updates: readonly ClientUpdate[], clipRange: number): Float32Array {
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

export function runSimulation(opts: SimulationOptions): SimulationResult {
  const { clients, rounds } = opts;
  if (!Number.isInteger(clients) || clients < 1) throw new FederatedError(`clients must be a positive integer, got ${clients}`, { code: 'INVALID_ARGUMENT' });
  if (!Number.isInteger(rounds) || rounds < 1) throw new FederatedError(`rounds must be a positive integer, got ${rounds}`, { code: 'INVALID_ARGUMENT' });
  const byzantine = opts.byzantine ?? 0;
  if (!(byzantine >= 0 && byzantine < 1)) throw new FederatedError(`byzantine must be a fraction in [0, 1), got ${byzantine}`, { code: 'INVALID_ARGUMENT' });
  const fraction = opts.fraction ?? 1;
  if (!(fraction > 0 && fraction <= 1)) throw new FederatedError(`fraction must be in (0, 1], got ${fraction}`, { code: 'INVALID_ARGUMENT' });
  const rng = mulberry32(opts.seed ?? 1);
  const dimension = opts.dimension ?? DEFAULT_DIMENSION;
  const labels = [...new Set(opts.rows.map((r) => r.label))].sort();
  if (labels.length < 2) throw new FederatedError(`the label column has ${labels.length} distinct value(s); classification needs at least 2`, { code: 'INVALID_ARGUMENT' });
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const train: Array<Example & { id: string; domain: string }> = [];
  const validation: Example[] = [];
  const idf = opts.tfidf ? inverseDocumentFrequency(opts.rows.filter((r) => !isValidationRow(r.id)).map((r) => r.text), dimension) : undefined;
  for (const r of opts.rows) {
    const ex = { id: r.id, domain: r.domain ?? r.id, x: hashText(r.text, dimension, idf), label: labelIndex.get(r.label) as number };
    (isValidationRow(r.id) ? validation : train).push(ex);
  }
  // A tiny dataset may hash no row into validation; then score on the training rows, and say so by count.
  const scoring = validation.length > 0 ? validation : train;
  const owner = partitionRows({ split: opts.split, labelsPerClient: opts.labelsPerClient ?? 2, alpha: opts.alpha ?? 0.5 }, train, clients, rng);
  const shards: Example[][] = Array.from({ length: clients }, () => []);
  train.forEach((e, i) => (shards[owner[i] as number] as Example[]).push(e));
  const classes = labels.length;
  const model = textModel(opts.model ?? { kind: 'logreg' }, dimension, classes);
  let global = model.init(rng);
  const trainClient = (g: Float32Array, ex: Example[], cfg: LocalTraining) => model.train(g, ex, cfg, rng);
  const score = (w: Float32Array, ex: Example[]) => model.evaluate(w, ex);
  const sampledPerRound = Math.max(1, Math.round(fraction * clients));
  const adaptive = opts.dp?.adaptive
    ? withAdaptiveClipping(opts.strategy, {
        initialClipNorm: opts.dp.clipNorm,
        noiseMultiplier: opts.dp.noiseMultiplier,
        // The paper's σ_b = m/20, raised where needed so that 2σ_b > z leaves noise for the updates.
        bitNoiseStd: Math.max(sampledPerRound / 20, opts.dp.noiseMultiplier),
        ...(opts.dp.adaptive.targetQuantile !== undefined ? { targetQuantile: opts.dp.adaptive.targetQuantile } : {}),
        rng,
      })
    : null;
  const strategy = adaptive ?? (opts.dp ? withDpClipping(opts.strategy, { clipNorm: opts.dp.clipNorm, noiseMultiplier: opts.dp.noiseMultiplier, rng }) : opts.strategy);
  const accountant = opts.dp ? new RdpAccountant() : null;
  if (opts.secureAggregation) {
    if (opts.dp) throw new FederatedError('secure aggregation and DP clipping cannot be combined here: clipping needs each update in the clear', { code: 'INVALID_ARGUMENT' });
    if (opts.strategy.name !== 'fedavg' && opts.strategy.name !== 'fedprox') {
      throw new FederatedError(`secure aggregation needs a mean-based strategy (fedavg, fedprox); ${opts.strategy.name} must see individual updates`, { code: 'INVALID_ARGUMENT' });
    }
  }
  const base: LocalTraining = { epochs: 1, batchSize: 10, learningRate: 0.5, proximalMu: 0, ...opts.local };
  const results: RoundResult[] = [];
  for (let round = 1; round <= rounds; round++) {
    const ids = Array.from({ length: clients }, (_, k) => k);
    shuffleInPlace(ids, rng);
    const sampled = ids.slice(0, Math.max(1, Math.round(fraction * clients))).filter((k) => (shards[k] as Example[]).length > 0);
    const bad = new Set(sampled.slice(0, Math.floor(byzantine * sampled.length)));
    const cfg = strategy.configureRound(round, base);
    const updates: ClientUpdate[] = [];
    for (const k of sampled) {
      const { weights, loss } = trainClient(global, shards[k] as Example[], cfg);
      if (bad.has(k)) for (let i = 0; i < weights.length; i++) weights[i] = (global[i] as number) - 10 * ((weights[i] as number) - (global[i] as number));
      const update = { clientId: `client-${k}`, weights, numExamples: (shards[k] as Example[]).length, loss };
      if (checkUpdate(update, global, { maxNorm: Number.POSITIVE_INFINITY }).ok) updates.push(update);
    }
    if (updates.length > 0) global = opts.secureAggregation ? secureMean(round, global, updates, opts.secureAggregation.clipRange ?? 1) : strategy.aggregate(round, global, updates);
    accountant?.step({ noiseMultiplier: opts.dp?.noiseMultiplier ?? 0, sampleRate: sampled.length / clients });
    const scored = score(global, scoring);
    results.push({
      round,
      accuracy: scored.accuracy,
      loss: scored.loss,
      clients: updates.length,
      epsilon: accountant ? accountant.getEpsilon(opts.dp?.delta ?? 1e-5) : null,
      ...(adaptive ? { clipNorm: adaptive.clipNorm } : {}),
    });
  }
  const last = results.at(-1) as RoundResult;
  return { rounds: results, final: { accuracy: last.accuracy, loss: last.loss }, labels, trainRows: train.length, validationRows: validation.length };
}
