/**
 * @module Federated learning over catalog datasets, the one door other folders use. Inside, a
 * folder per concept: `models/` (what clients train, and their shared types), `data/` (rows to
 * hashed features, and rows to clients), `strategies/` (the `Strategy` contract: FedAvg, FedAvgM,
 * FedProx, FedAdagrad/FedAdam/FedYogi, median, trimmed mean, Krum and Multi-Krum, update checks),
 * `privacy/` (DP-FedAvg with fixed or adaptive clipping, the Rényi DP accountant), `secagg/`
 * (secure aggregation), `rounds/` (one round's steps, shared by jobs, the simulation and bench/'s
 * MNIST run), `jobs/` (the server's training jobs and their wire format), `client/`
 * (the reference HTTP client) and `simulation/` (`lumora fl simulate`).
 */
export { FederatedError, JobQuotaError, JobSpecError } from './errors.js';
export { shuffleInPlace } from './shuffle.js';

export type { Example, LocalTraining, SparseVector } from './models/types.js';
export { trainLocal, evaluate, modelSize } from './models/logistic-regression.js';
export { initMlp, trainMlp, evaluateMlp, mlpSize, type MlpShape } from './models/mlp.js';
export { DenseMlp, denseMlpSize, type DenseDataset, type DenseTraining } from './models/dense-mlp.js';
export { textModel, type ModelSpec, type TextModel } from './models/text-model.js';

export { hashText, inverseDocumentFrequency, DEFAULT_DIMENSION } from './data/hashed-features.js';
export { dirichletPartition, domainPartition, iidPartition, isValidationRow, labelShardPartition, partitionRows } from './data/partition.js';

export type { ClientTrainConfig, ClientUpdate, Strategy } from './strategies/strategy.js';
export { fedAvg, weightedAverage } from './strategies/fed-avg.js';
export { fedAvgM } from './strategies/fed-avg-m.js';
export { fedProx } from './strategies/fed-prox.js';
export { fedAdagrad, fedAdam, fedOpt, fedYogi, type FedOptOptions, type ServerOptimizer } from './strategies/fed-opt.js';
export { fedKrum, fedMedian, fedTrimmedMean, krumScores } from './strategies/robust-aggregation.js';
export { checkUpdate, deltaNorm, type UpdateCheck } from './strategies/update-check.js';
export { createStrategy, STRATEGY_NAMES, MEAN_BASED_STRATEGIES } from './strategies/strategy-registry.js';

export { withDpClipping, clipUpdate, gaussian, type DpOptions } from './privacy/dp-fedavg.js';
export {
  withAdaptiveClipping,
  updateNoiseMultiplier,
  DEFAULT_CLIP_LEARNING_RATE,
  DEFAULT_TARGET_QUANTILE,
  type AdaptiveClippingOptions,
  type AdaptiveClippingStrategy,
} from './privacy/adaptive-clipping.js';
export { computeRdp, privacySpent, RdpAccountant, DEFAULT_RDP_ORDERS } from './privacy/rdp-accountant.js';

export { createFixedPointCodec, type FixedPointCodec, type FixedPointOptions } from './secagg/fixed-point.js';
export { splitSecret, combineShares, SHAMIR_PRIME, type Share } from './secagg/shamir.js';
export { agreeKey, MaskExpander, applyMask, pairSign, type MaskPurpose } from './secagg/masks.js';
export { SecAggClient, type SecAggClientOptions } from './secagg/client.js';
export { SecAggServer, type SecAggResult, type SecAggServerOptions, type ServerView } from './secagg/server.js';
export { runSecureAggregation, type SecAggInput, type SecureAggregationOptions, type SecureAggregationRun } from './secagg/protocol.js';

export {
  RoundEngine,
  roundConflict,
  meanTrainingLoss,
  type LocalRound,
  type RoundConflict,
  type RoundDp,
  type RoundEngineOptions,
} from './rounds/round-engine.js';

export { resolveJobSpec, type TrainingJobSpec, type TrainingJobInput, type DpSpec, type SplitKind } from './jobs/job-spec.js';
export { loadJobData, shardBatches, checkJobDataset, type JobData, type JobDataSummary } from './jobs/job-data.js';
export { TrainingJob, type Assignment, type ClientRecord, type JobSnapshot, type JobStatus, type RoundRecord, type SubmitResult } from './jobs/training-job.js';
export { TrainingJobs, type JobQuotas } from './jobs/training-jobs.js';
export { encodeWeights, decodeWeights, type WeightsMessage } from './jobs/weights-format.js';

export { runFederatedClient, type ClientOptions, type ClientResult } from './client/http-client.js';

export { runSimulation, type RoundResult, type SimulationOptions, type SimulationResult, type SimulationRow } from './simulation/simulate.js';
export { readSimulationRows } from './simulation/simulation-rows.js';
