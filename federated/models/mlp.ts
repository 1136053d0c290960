/**
 * @module A one-hidden-layer perceptron over sparse hashed features, written over typed arrays:
 * h = ReLU(W1ᵀx + b1), p = softmax(W2ᵀh + b2). The weights sit in one Float32Array in the order
 * W1 (dimension × hidden, row per feature), b1, W2 (hidden × classes), b2 — the vector clients
 * upload. The forward and backward passes touch only the W1 rows of a text's features, so a step
 * costs (features in the text) × hidden, not dimension × hidden. Initialisation is a scaled He et al.
 * 2015 for the ReLU layer and Glorot for the output, from a seeded generator shared by every
 * client (FedAvg starts all clients from the same model).
 */
import { sparseSgd } from './sparse-sgd.js';
import type { Example, LocalTraining, SparseVector } from './types.js';

export interface MlpShape {
  dimension: number;
  hidden: number;
  classes: number;
}

export function mlpSize(s: MlpShape): number {
  return s.dimension * s.hidden + s.hidden + s.hidden * s.classes + s.classes;
}

/** Initial weights from `rng`: every client must start from these same values, so they are sent, not re-drawn. */
export function initMlp(s: MlpShape, rng: () => number): Float32Array {
  const w = new Float32Array(mlpSize(s));
  // Inputs are L2-normalised sparse rows, so a hidden unit's input has norm ≤ max |W1 row|; small
  // uniform values keep early activations in ReLU's linear range (a scaled He initialisation).
  const a1 = 0.1 * Math.sqrt(6 / (s.hidden + 1));
  for (let i = 0; i < s.dimension * s.hidden; i++) w[i] = (rng() * 2 - 1) * a1;
  const w2 = s.dimension * s.hidden + s.hidden;
  const a2 = Math.sqrt(6 / (s.hidden + s.classes));
  for (let i = 0; i < s.hidden * s.classes; i++) w[w2 + i] = (rng() * 2 - 1) * a2;
  return w;
}

function forward(w: Float32Array, s: MlpShape, x: SparseVector, h: Float64Array, p: Float64Array): void {
  const { dimension, hidden, classes } = s;
  const b1 = dimension * hidden;
  for (let j = 0; j < hidden; j++) h[j] = w[b1 + j] as number;
  for (let k = 0; k < x.indices.length; k++) {
    const row = (x.indices[k] as number) * hidden;
    const v = x.values[k] as number;
    for (let j = 0; j < hidden; j++) h[j] = (h[j] as number) + v * (w[row + j] as number);
  }
  for (let j = 0; j < hidden; j++) if ((h[j] as number) < 0) h[j] = 0;
  const w2 = b1 + hidden;
  const b2 = w2 + hidden * classes;
  let max = -Infinity;
  for (let c = 0; c < classes; c++) {
    let z = w[b2 + c] as number;
    for (let j = 0; j < hidden; j++) z += (h[j] as number) * (w[w2 + j * classes + c] as number);
    p[c] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c < classes; c++) sum += p[c] = Math.exp((p[c] as number) - max);
  for (let c = 0; c < classes; c++) p[c] = (p[c] as number) / sum;
}

/** Minibatch SGD on the cross-entropy (plus FedProx's proximal term on touched coordinates). */
export function trainMlp(
  global: Float32Array,
  examples: readonly Example[],
  s: MlpShape,
  cfg: LocalTraining,
  rng: () => number,
): { weights: Float32Array; loss: number } {
  const { dimension, hidden, classes } = s;
  const h = new Float64Array(hidden);
  const p = new Float64Array(classes);
  const dh = new Float64Array(hidden);
  const b1 = dimension * hidden;
  const w2 = b1 + hidden;
  const b2 = w2 + hidden * classes;
  return sparseSgd(global, examples, cfg, rng, (w, ex, addGrad) => {
    forward(w, s, ex.x, h, p);
    dh.fill(0);
    for (let c = 0; c < classes; c++) {
      const g = (p[c] as number) - (c === ex.label ? 1 : 0);
      addGrad(b2 + c, g);
      for (let j = 0; j < hidden; j++) {
        if ((h[j] as number) === 0) continue;
        addGrad(w2 + j * classes + c, g * (h[j] as number));
        dh[j] = (dh[j] as number) + g * (w[w2 + j * classes + c] as number);
      }
    }
    for (let j = 0; j < hidden; j++) {
      if ((h[j] as number) === 0) continue;
      const g = dh[j] as number;
      addGrad(b1 + j, g);
      for (let f = 0; f < ex.x.indices.length; f++) addGrad((ex.x.indices[f] as number) * hidden + j, g * (ex.x.values[f] as number));
    }
    return -Math.log(Math.max(p[ex.label] as number, 1e-12));
  });
}

export function evaluateMlp(w: Float32Array, examples: readonly Example[], s: MlpShape): { accuracy: number; loss: number } {
  const h = new Float64Array(s.hidden);
  const p = new Float64Array(s.classes);
  let correct = 0;
  let loss = 0;
  for (const ex of examples) {
    forward(w, s, ex.x, h, p);
    let best = 0;
    for (let c = 1; c < s.classes; c++) if ((p[c] as number) > (p[best] as number)) best = c;
    if (best === ex.label) correct++;
    loss -= Math.log(Math.max(p[ex.label] as number, 1e-12));
  }
  return { accuracy: examples.length ? correct / examples.length : 0, loss: examples.length ? loss / examples.length : 0 };
}
