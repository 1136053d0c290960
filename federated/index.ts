/**
 * @module Federated learning over catalog datasets: the `Strategy` contract and its strategies
 * (FedAvg, FedAvgM, FedProx, FedAdagrad/FedAdam/FedYogi, median, trimmed mean, Krum and
 * Multi-Krum), update checks, and the Rényi DP accountant. The coordinator, client protocol,
 * models, secure aggregation and `lumora fl simulate` build on these.
 */
export type { ClientTrainConfig, ClientUpdate, Strategy } from './strategy.js';
export { fedAvg, weightedAverage } from './fed-avg.js';
export { fedAvgM } from './fed-avg-m.js';
export { fedProx } from './fed-prox.js';
export { fedAdagrad, fedAdam, fedOpt, fedYogi, type FedOptOptions, type ServerOptimizer } from './fed-opt.js';
export { fedKrum, fedMedian, fedTrimmedMean, krumScores } from './robust-aggregation.js';
export { checkUpdate, deltaNorm, type UpdateCheck } from './update-check.js';
export { computeRdp, privacySpent, RdpAccountant, DEFAULT_RDP_ORDERS } from './rdp-accountant.js';
export { FederatedError, JobQuotaError } from './errors.js';
export { withDpClipping, clipUpdate, gaussian, type DpOptions } from './dp-fedavg.js';
export { hashText, DEFAULT_DIMENSION, type SparseVector } from './hashed-features.js';
export { trainLocal, evaluate, modelSize, type Example, type LocalTraining } from './logistic-regression.js';
export { dirichletPartition, domainPartition, iidPartition, labelShardPartition } from './partition.js';
export { runSimulation, type RoundResult, type SimulationOptions, type SimulationResult, type SimulationRow } from './simulate.js';
export { encodeWeights, decodeWeights, type WeightsMessage } from './weights-format.js';
export { initMlp, trainMlp, evaluateMlp, mlpSize, type MlpShape } from './mlp.js';
export { createFixedPointCodec, type FixedPointCodec, type FixedPointOptions } from './secagg-fixed-point.js';
export { splitSecret, combineShares, SHAMIR_PRIME, type Share } from './secagg-shamir.js';
export { agreeKey, MaskExpander, applyMask, pairSign, type MaskPurpose } from './secagg-masks.js';
export { SecAggClient, type SecAggClientOptions } from './secagg-client.js';
export { SecAggServer, type SecAggResult, type SecAggServerOptions, type ServerView } from './secagg-server.js';
export { runSecureAggregation, type SecAggInput, type SecureAggregationOptions, type SecureAggregationRun } from './secagg-protocol.js';
export { withAdaptiveClipping, updateNoiseMultiplier, DEFAULT_CLIP_LEARNING_RATE, DEFAULT_TARGET_QUANTILE, type AdaptiveClippingOptions, type AdaptiveClippingStrategy } from './adaptive-clipping.js';
export { textModel, type ModelSpec, type TextModel } from './text-model.js';
export { createStrategy, STRATEGY_NAMES, MEAN_BASED_STRATEGIES } from './strategy-registry.js';
export { resolveJobSpec, type TrainingJobSpec, type TrainingJobInput, type DpSpec, type SplitKind } from './job-spec.js';
export { loadJobData, shardBatches, checkJobDataset, type JobData, type JobDataSummary } from './job-data.js';
export { TrainingJob, type Assignment, type ClientRecord, type JobSnapshot, type JobStatus, type RoundRecord, type SubmitResult } from './training-job.js';
export { TrainingJobs, type JobQuotas } from './training-jobs.js';
export { inverseDocumentFrequency } from './hashed-features.js';
export { isValidationRow, partitionRows } from './partition.js';
export { runFederatedClient, type ClientOptions, type ClientResult } from './http-client.js';
export { DenseMlp, denseMlpSize, type DenseDataset, type DenseTraining } from './dense-mlp.js';
export { readMnist, readIdxImages, readIdxLabels, mnistDataDir, type Mnist, type MnistSplit } from './mnist.js';
export { runFedAvgMnist, partitionMnist, MNIST_2NN_HIDDEN, type FedAvgMnistOptions, type FedAvgMnistResult, type FedAvgMnistRound } from './fedavg-mnist.js';
export { readSimulationRows } from './simulation-rows.js';
