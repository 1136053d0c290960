/**
 * @module The types every model shares: a sparse input row, a training example and the local
 * training settings. The models import them from here and not from one another, so no model
 * file depends on another's module to name its inputs.
 */

/** A sparse row: feature indices and their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/** One training row: its features and its class index (or, for regression, its target value). */
export interface Example {
  x: SparseVector;
  label: number;
}

/** What a client trains with in one round: the settings a strategy's `configureRound` returns. */
export interface LocalTraining {
  epochs: number;
  /** Local batch size; 0 means the whole local dataset (B = ∞ in the FedAvg paper). */
  batchSize: number;
  learningRate: number;
  /** FedProx's proximal term μ (Li et al. 2020); 0 is plain local SGD. */
  proximalMu: number;
}
