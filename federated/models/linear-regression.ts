/**
 * @module Linear regression over the same sparse features, for jobs whose label is a number:
 * weights are `dimension` coefficients then one intercept, trained by minibatch SGD on half the
 * squared error (so the gradient is the residual times the input) through the shared sparse loop.
 * `Example.label` carries the target value.
 */
import { sparseSgd } from './sparse-sgd.js';
import type { Example, LocalTraining } from './types.js';

export function linearModelSize(dimension: number): number {
  return dimension + 1;
}

function predict(w: Float32Array, ex: Example, dimension: number): number {
  let y = w[dimension] as number;
  for (let k = 0; k < ex.x.indices.length; k++) y += (w[ex.x.indices[k] as number] as number) * (ex.x.values[k] as number);
  return y;
}

export function trainLinear(
  global: Float32Array,
  examples: readonly Example[],
  dimension: number,
  cfg: LocalTraining,
  rng: () => number,
): { weights: Float32Array; loss: number } {
  return sparseSgd(global, examples, cfg, rng, (w, ex, addGrad) => {
    const r = predict(w, ex, dimension) - ex.label;
    for (let k = 0; k < ex.x.indices.length; k++) addGrad(ex.x.indices[k] as number, r * (ex.x.values[k] as number));
    addGrad(dimension, r);
    return 0.5 * r * r;
  });
}

/** Mean squared error as `loss`; `accuracy` is R² (1 − SSE/SST), the share of the target's variance explained. */
export function evaluateLinear(w: Float32Array, examples: readonly Example[], dimension: number): { accuracy: number; loss: number } {
  if (examples.length === 0) return { accuracy: 0, loss: 0 };
  const mean = examples.reduce((s, e) => s + e.label, 0) / examples.length;
  let sse = 0;
  let sst = 0;
  for (const ex of examples) {
    const r = predict(w, ex, dimension) - ex.label;
    sse += r * r;
    sst += (ex.label - mean) ** 2;
  }
  return { accuracy: sst > 0 ? 1 - sse / sst : 0, loss: sse / examples.length };
}
