/**
 * @module The FedAvg paper's MNIST experiment (McMahan et al. 2017, §3 and Table 1): K clients of
 * n examples each, split IID (a seeded shuffle dealt out) or pathologically non-IID (sorted by
 * label, cut into 2K shards, two per client); each round a fraction C of the clients trains the
 * dense MLP locally for E epochs with batch B, `fedAvg()` averages their models weighted by
 * example counts, and the global model is scored on the test set — every round, as the paper's
 * "rounds to reach a target accuracy" needs.
 */
import { mulberry32 } from '../common/index.js';
import {
  DenseMlp,
  FederatedError,
  fedAvg,
  labelShardPartition,
  meanTrainingLoss,
  RoundEngine,
  shuffleInPlace,
  type ClientTrainConfig,
  type DenseDataset,
} from '../federated/index.js';

/** The paper's 2NN: two hidden layers of 200 ReLU units (199,210 parameters on 784 inputs). */
export const MNIST_2NN_HIDDEN: readonly number[] = [200, 200];

export interface FedAvgMnistOptions {
  train: DenseDataset;
  test: DenseDataset;
  /** K: 100 in the paper. */
  clients?: number;
  /** Examples per client: 600 in the paper (K × n = all 60,000). A smaller K × n trains on a seeded random subset. */
  perClient?: number;
  split: 'iid' | 'noniid';
  /** C: share of clients sampled per round (0.1 in Table 1's chosen setting). */
  fraction?: number;
  /** E: local epochs per round. */
  epochs?: number;
  /** B: local minibatch size; 0 = the client's whole data (B = ∞). */
  batchSize: number;
  learningRate: number;
  targetAccuracy?: number;
  maxRounds: number;
  /** Keep going after the target is reached (to plot a whole curve). */
  continueAfterTarget?: boolean;
  hidden?: readonly number[];
  /** Score on the first this many test examples (all by default). */
  testExamples?: number;
  seed?: number;
  /** Called after each round, e.g. to log progress. */
  onRound?: (round: FedAvgMnistRound) => void;
}

export interface FedAvgMnistRound {
  round: number;
  /** Test accuracy and mean cross-entropy of the aggregated model. */
  accuracy: number;
  loss: number;
  /** Example-weighted mean of the sampled clients' local training losses. */
  trainLoss: number;
  /** Wall time of the round: local training, aggregation and scoring. */
  elapsedMs: number;
}

export interface FedAvgMnistResult {
  rounds: FedAvgMnistRound[];
  /** The first round whose test accuracy reached the target; null if none within `maxRounds`. */
  roundsToTarget: number | null;
  /** The test loss became NaN or infinite (learning rate too large); the run stopped there. */
  diverged: boolean;
  parameters: number;
  layers: readonly number[];
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new FederatedError(`fedavg-mnist: ${name} must be a positive integer, got ${value}`, { code: 'INVALID_ARGUMENT' });
  return value;
}

/** Each client's rows of `train`: IID by a dealt shuffle, non-IID by label shards. */
export function partitionMnist(labels: Uint8Array, opts: { clients: number; perClient: number; split: 'iid' | 'noniid'; rng: () => number }): Uint32Array[] {
  const { clients, perClient, rng } = opts;
  const total = clients * perClient;
  if (total > labels.length)
    throw new FederatedError(`fedavg-mnist: ${clients} clients × ${perClient} examples needs ${total} training examples, the set has ${labels.length}`, {
      code: 'INVALID_ARGUMENT',
    });
  const chosen = shuffleInPlace(
    Array.from(labels, (_, i) => i),
    rng,
  ).slice(0, total);
  if (opts.split === 'iid') return Array.from({ length: clients }, (_, k) => Uint32Array.from(chosen.slice(k * perClient, (k + 1) * perClient)));
  const owner = labelShardPartition(
    Array.from(chosen, (row) => labels[row] as number),
    clients,
    rng,
    2,
  );
  const rows: number[][] = Array.from({ length: clients }, () => []);
  owner.forEach((k, i) => (rows[k] as number[]).push(chosen[i] as number));
  return rows.map((r) => Uint32Array.from(r));
}

/**
 * Runs FedAvg on MNIST until the test accuracy reaches the target or `maxRounds` pass.
 *
 * @example
 * const { train, test } = await readMnist();
 * const { roundsToTarget } = runFedAvgMnist({ train, test, split: 'iid', batchSize: 10, learningRate: 0.1, maxRounds: 300 });
 */
export function runFedAvgMnist(opts: FedAvgMnistOptions): FedAvgMnistResult {
  const clients = positiveInteger('clients', opts.clients ?? 100);
  const perClient = positiveInteger('perClient', opts.perClient ?? 600);
  const maxRounds = positiveInteger('maxRounds', opts.maxRounds);
  const epochs = positiveInteger('epochs', opts.epochs ?? 1);
  const fraction = opts.fraction ?? 0.1;
  if (!(fraction > 0 && fraction <= 1)) throw new FederatedError(`fedavg-mnist: fraction must be in (0, 1], got ${fraction}`, { code: 'INVALID_ARGUMENT' });
  if (!(opts.learningRate > 0)) throw new FederatedError(`fedavg-mnist: learningRate must be > 0, got ${opts.learningRate}`, { code: 'INVALID_ARGUMENT' });
  if (!(Number.isInteger(opts.batchSize) && opts.batchSize >= 0))
    throw new FederatedError(`fedavg-mnist: batchSize must be an integer ≥ 0 (0 = B = ∞), got ${opts.batchSize}`, { code: 'INVALID_ARGUMENT' });
  const target = opts.targetAccuracy ?? 0.97;
  const classes = 1 + opts.train.labels.reduce((m, l) => Math.max(m, l), 0);
  const layers = [opts.train.features, ...(opts.hidden ?? MNIST_2NN_HIDDEN), classes];
  const mlp = new DenseMlp({ layers });
  const rng = mulberry32(opts.seed ?? 1);
  const shards = partitionMnist(opts.train.labels, { clients, perClient, split: opts.split, rng });
  const perRound = Math.max(1, Math.round(fraction * clients));
  const engine = new RoundEngine({ strategy: fedAvg(), rng, clientsPerRound: perRound });
  const base: ClientTrainConfig = { epochs, batchSize: opts.batchSize, learningRate: opts.learningRate, proximalMu: 0 };
  // One pool, shuffled again each round: the sample of round r depends on every earlier draw.
  const ids = Array.from({ length: clients }, (_, k) => k);
  let global = mlp.init(rng);
  const rounds: FedAvgMnistRound[] = [];
  let roundsToTarget: number | null = null;
  let diverged = false;
  for (let round = 1; round <= maxRounds; round++) {
    const started = performance.now();
    const g = global;
    const { weights, updates } = engine.runRound({
      round,
      global: g,
      clients: engine.sample(ids, perRound),
      base,
      train: (k, cfg) => {
        const rows = shards[k] as Uint32Array;
        const { weights: w, loss } = mlp.trainLocal(g, opts.train, rows, cfg, rng);
        return { clientId: `client-${k}`, weights: w, numExamples: rows.length, loss };
      },
    });
    global = weights;
    const scored = mlp.evaluate(global, opts.test, opts.testExamples);
    const trainLoss = meanTrainingLoss(updates);
    const result = { round, accuracy: scored.accuracy, loss: scored.loss, trainLoss, elapsedMs: performance.now() - started };
    rounds.push(result);
    opts.onRound?.(result);
    if (!Number.isFinite(scored.loss)) {
      diverged = true;
      break;
    }
    if (roundsToTarget === null && scored.accuracy >= target) {
      roundsToTarget = round;
      if (!opts.continueAfterTarget) break;
    }
  }
  return { rounds, roundsToTarget, diverged, parameters: mlp.size, layers };
}
