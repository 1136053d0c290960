/**
 * @module The local training loop both models share: per epoch a seeded shuffle, minibatches of
 * `batchSize` (0 = the whole local set), a sparse gradient accumulated by the model, and one step
 * per batch on the coordinates it touched, with FedProx's proximal term μ(w − w_global) on those
 * coordinates (the lazy form sparse SGD uses).
 */
import type { Example, LocalTraining } from './types.js';
import { shuffleInPlace } from '../shuffle.js';

/**
 * Adds one example's gradient to the batch through `addGrad` (index, value) and returns its loss.
 * `w` is the model as it stands in this batch.
 */
export type ExampleGradient = (w: Float32Array, ex: Example, addGrad: (index: number, value: number) => void) => number;

/** Trains a copy of `global`; returns the new weights and the mean loss over every example seen. */
export function sparseSgd(
  global: Float32Array,
  examples: readonly Example[],
  cfg: LocalTraining,
  rng: () => number,
  gradient: ExampleGradient,
): { weights: Float32Array; loss: number } {
  const w = Float32Array.from(global);
  const order = examples.map((_, i) => i);
  const batch = cfg.batchSize > 0 ? cfg.batchSize : Math.max(1, examples.length);
  let lossSum = 0;
  let seen = 0;
  for (let epoch = 0; epoch < cfg.epochs; epoch++) {
    shuffleInPlace(order, rng);
    for (let start = 0; start < order.length; start += batch) {
      const end = Math.min(order.length, start + batch);
      const grad = new Map<number, number>();
      const addGrad = (idx: number, g: number) => grad.set(idx, (grad.get(idx) ?? 0) + g);
      for (let k = start; k < end; k++) {
        lossSum += gradient(w, examples[order[k] as number] as Example, addGrad);
        seen++;
      }
      const scale = cfg.learningRate / (end - start);
      for (const [idx, g] of grad) {
        const prox = cfg.proximalMu * ((w[idx] as number) - (global[idx] as number));
        w[idx] = (w[idx] as number) - scale * g - cfg.learningRate * prox;
      }
    }
  }
  return { weights: w, loss: seen > 0 ? lossSum / seen : 0 };
}
