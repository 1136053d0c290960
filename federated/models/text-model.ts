/**
 * @module The models a text-classification job trains, behind one interface: the simulator, the
 * coordinator (validation accuracy) and the HTTP client all build the same model from the job's
 * spec, so the weight vector one side sends is the one the other side expects.
 */
import { FederatedError } from '../errors.js';
import { evaluate, modelSize, trainLocal } from './logistic-regression.js';
import { evaluateLinear, linearModelSize, trainLinear } from './linear-regression.js';
import { evaluateMlp, initMlp, mlpSize, trainMlp } from './mlp.js';
import type { Example, LocalTraining } from './types.js';

/** Multinomial logistic regression, a perceptron with one hidden ReLU layer, or linear regression (numeric labels). */
export type ModelSpec = { kind: 'logreg' } | { kind: 'mlp'; hidden: number } | { kind: 'linreg' };

export interface TextModel {
  readonly spec: ModelSpec;
  /** Number of weights (the length of every weight vector exchanged). */
  readonly size: number;
  /** The starting weights: drawn once by the server and sent, never re-drawn by clients. */
  init(rng: () => number): Float32Array;
  train(global: Float32Array, examples: readonly Example[], cfg: LocalTraining, rng: () => number): { weights: Float32Array; loss: number };
  /** Classifiers: accuracy and mean cross-entropy. Linear regression: R² as `accuracy`, mean squared error as `loss`. */
  evaluate(weights: Float32Array, examples: readonly Example[]): { accuracy: number; loss: number };
}

/** `classes` is ignored by linear regression (pass 0). */
export function textModel(spec: ModelSpec, dimension: number, classes: number): TextModel {
  if (!Number.isInteger(dimension) || dimension < 1)
    throw new FederatedError(`model: dimension must be a positive integer, got ${dimension}`, { code: 'INVALID_ARGUMENT' });
  if (spec.kind === 'linreg') {
    return {
      spec,
      size: linearModelSize(dimension),
      init: () => new Float32Array(linearModelSize(dimension)),
      train: (g, ex, cfg, rng) => trainLinear(g, ex, dimension, cfg, rng),
      evaluate: (w, ex) => evaluateLinear(w, ex, dimension),
    };
  }
  if (!Number.isInteger(classes) || classes < 2)
    throw new FederatedError(`model: classification needs at least 2 classes, got ${classes}`, { code: 'INVALID_ARGUMENT' });
  if (spec.kind === 'mlp') {
    if (!Number.isInteger(spec.hidden) || spec.hidden < 1)
      throw new FederatedError(`model: hidden units must be a positive integer, got ${spec.hidden}`, { code: 'INVALID_ARGUMENT' });
    const shape = { dimension, classes, hidden: spec.hidden };
    return {
      spec,
      size: mlpSize(shape),
      init: (rng) => initMlp(shape, rng),
      train: (g, ex, cfg, rng) => trainMlp(g, ex, shape, cfg, rng),
      evaluate: (w, ex) => evaluateMlp(w, ex, shape),
    };
  }
  return {
    spec,
    size: modelSize(classes, dimension),
    // Zero is the usual start for a convex model; no randomness is needed.
    init: () => new Float32Array(modelSize(classes, dimension)),
    train: (g, ex, cfg, rng) => trainLocal(g, ex, classes, dimension, cfg, rng),
    evaluate: (w, ex) => evaluate(w, ex, classes, dimension),
  };
}
