/**
 * @module Multinomial logistic regression over sparse hashed features, written over typed
 * arrays: weights are `classes × dimension` followed by `classes` biases, in one Float32Array,
 * which is also what clients upload. Local training is minibatch SGD on the cross-entropy, with
 * FedProx's proximal term μ(w − w_global) applied to the coordinates a batch touches (the lazy
 * form sparse SGD uses; applying it to every coordinate each step would cost the full model).
 */
import { sparseSgd } from './sparse-sgd.js';
import type { Example, LocalTraining, SparseVector } from './types.js';

export function modelSize(classes: number, dimension: number): number {
  return classes * dimension + classes;
}

function logits(w: Float32Array, x: SparseVector, classes: number, dimension: number, out: Float64Array): void {
  for (let c = 0; c < classes; c++) {
    let z = w[classes * dimension + c] as number;
    const base = c * dimension;
    for (let k = 0; k < x.indices.length; k++) z += (w[base + (x.indices[k] as number)] as number) * (x.values[k] as number);
    out[c] = z;
  }
}

function softmaxInPlace(z: Float64Array): void {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let c = 0; c < z.length; c++) sum += z[c] = Math.exp((z[c] as number) - max);
  for (let c = 0; c < z.length; c++) z[c] = (z[c] as number) / sum;
}

/** Trains a copy of `global` on `examples`; returns the new weights and the mean loss. */
export function trainLocal(
  global: Float32Array,
  examples: readonly Example[],
  classes: number,
  dimension: number,
  cfg: LocalTraining,
  rng: () => number,
): { weights: Float32Array; loss: number } {
  const p = new Float64Array(classes);
  return sparseSgd(global, examples, cfg, rng, (w, ex, addGrad) => {
    logits(w, ex.x, classes, dimension, p);
    softmaxInPlace(p);
    for (let c = 0; c < classes; c++) {
      const g = (p[c] as number) - (c === ex.label ? 1 : 0);
      const base = c * dimension;
      for (let f = 0; f < ex.x.indices.length; f++) addGrad(base + (ex.x.indices[f] as number), g * (ex.x.values[f] as number));
      addGrad(classes * dimension + c, g);
    }
    return -Math.log(Math.max(p[ex.label] as number, 1e-12));
  });
}

/** Accuracy and mean cross-entropy of `w` on `examples`. */
export function evaluate(w: Float32Array, examples: readonly Example[], classes: number, dimension: number): { accuracy: number; loss: number } {
  const p = new Float64Array(classes);
  let correct = 0;
  let loss = 0;
  for (const ex of examples) {
    logits(w, ex.x, classes, dimension, p);
    softmaxInPlace(p);
    let best = 0;
    for (let c = 1; c < classes; c++) if ((p[c] as number) > (p[best] as number)) best = c;
    if (best === ex.label) correct++;
    loss -= Math.log(Math.max(p[ex.label] as number, 1e-12));
  }
  return { accuracy: examples.length ? correct / examples.length : 0, loss: examples.length ? loss / examples.length : 0 };
}
