/**
 * @module A federated training run in one process (`lumora fl simulate`): rows of a catalog
 * dataset are split among N simulated clients (IID or by label), a fifth of the rows (by hash of
 * the id) is held out on the server for validation, and each round the sampled clients train a
 * logistic regression locally and the strategy aggregates. Byzantine clients send sign-flipped
 * ×10 updates; DP clips and noises (with the RDP accountant's epsilon per round).
 */
import { FederatedError } from '../errors.js';
import { DEFAULT_DIMENSION, hashText, inverseDocumentFrequency } from '../data/hashed-features.js';
import type { Example, LocalTraining } from '../models/types.js';
import { isValidationRow, partitionRows } from '../data/partition.js';
import { RdpAccountant } from '../privacy/rdp-accountant.js';
import { RoundEngine } from '../rounds/round-engine.js';
import type { Strategy } from '../strategies/strategy.js';
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
  if (labels.length < 2)
    throw new FederatedError(`the label column has ${labels.length} distinct value(s); classification needs at least 2`, { code: 'INVALID_ARGUMENT' });
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const train: Array<Example & { id: string; domain: string }> = [];
  const validation: Example[] = [];
  const idf = opts.tfidf
    ? inverseDocumentFrequency(
        opts.rows.filter((r) => !isValidationRow(r.id)).map((r) => r.text),
        dimension,
      )
    : undefined;
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
  const sampledPerRound = Math.max(1, Math.round(fraction * clients));
  const engine = new RoundEngine({
    strategy: opts.strategy,
    rng,
    dp: opts.dp ?? null,
    clientsPerRound: sampledPerRound,
    secureAggregation: opts.secureAggregation ?? null,
    // In-process clients are ours, but a byzantine one may send anything: check shape and values only.
    maxUpdateNorm: Number.POSITIVE_INFINITY,
  });
  const accountant = opts.dp ? new RdpAccountant() : null;
  const base: LocalTraining = { epochs: 1, batchSize: 10, learningRate: 0.5, proximalMu: 0, ...opts.local };
  const results: RoundResult[] = [];
  for (let round = 1; round <= rounds; round++) {
    const sampled = engine
      .sample(
        Array.from({ length: clients }, (_, k) => k),
        sampledPerRound,
      )
      .filter((k) => (shards[k] as Example[]).length > 0);
    const bad = new Set(sampled.slice(0, Math.floor(byzantine * sampled.length)));
    const g = global;
    const { weights, updates } = engine.runRound({
      round,
      global: g,
      clients: sampled,
      base,
      train: (k, cfg) => {
        const { weights: w, loss } = model.train(g, shards[k] as Example[], cfg, rng);
        if (bad.has(k)) for (let i = 0; i < w.length; i++) w[i] = (g[i] as number) - 10 * ((w[i] as number) - (g[i] as number));
        return { clientId: `client-${k}`, weights: w, numExamples: (shards[k] as Example[]).length, loss };
      },
    });
    global = weights;
    accountant?.step({ noiseMultiplier: opts.dp?.noiseMultiplier ?? 0, sampleRate: sampled.length / clients });
    const scored = model.evaluate(global, scoring);
    results.push({
      round,
      accuracy: scored.accuracy,
      loss: scored.loss,
      clients: updates.length,
      epsilon: accountant ? accountant.getEpsilon(opts.dp?.delta ?? 1e-5) : null,
      ...(engine.clipNorm !== undefined ? { clipNorm: engine.clipNorm } : {}),
    });
  }
  const last = results.at(-1) as RoundResult;
  return { rounds: results, final: { accuracy: last.accuracy, loss: last.loss }, labels, trainRows: train.length, validationRows: validation.length };
}
