import { describe, expect, it } from 'vitest';
import { DenseMlp, denseMlpSize, type DenseDataset } from './dense-mlp.js';
import { mulberry32 } from '../../common/index.js';

const LAYERS = [6, 5, 4, 3];

/** Eight examples with a third of the inputs zero, so the skip-zero paths run too. */
function tinyData(): DenseDataset {
  const rng = mulberry32(7);
  const n = 8;
  const x = new Float32Array(n * 6);
  for (let i = 0; i < x.length; i++) x[i] = rng() < 0.33 ? 0 : rng();
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 3);
  return { x, labels, features: 6 };
}

describe('dense MLP', () => {
  it('counts weights and biases of every layer', () => {
    expect(denseMlpSize([784, 200, 200, 10])).toBe(199_210);
    expect(new DenseMlp({ layers: LAYERS }).size).toBe(6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3);
  });

  it('computes the gradient of the mean cross-entropy that central finite differences measure', () => {
    const mlp = new DenseMlp({ layers: LAYERS });
    const data = tinyData();
    const rows = Array.from({ length: 8 }, (_, i) => i);
    const w = mlp.init(mulberry32(3));
    // Non-zero biases, so their gradients are tested away from the initial point too.
    for (let i = 0; i < w.length; i++) if (w[i] === 0) w[i] = 0.05;
    const { gradient } = mlp.gradient(w, data, rows);
    // Small enough that no ReLU input crosses zero between the two probes (1e-3 does, for four weights here).
    const h = 1e-4;
    let checked = 0;
    for (let i = 0; i < w.length; i++) {
      const plus = Float32Array.from(w);
      const minus = Float32Array.from(w);
      plus[i] = (w[i] as number) + h;
      minus[i] = (w[i] as number) - h;
      // The step actually taken after rounding to float32.
      const step = (plus[i] as number) - (minus[i] as number);
      const numeric = (mlp.gradient(plus, data, rows).loss - mlp.gradient(minus, data, rows).loss) / step;
      expect(Math.abs((gradient[i] as number) - numeric)).toBeLessThan(2e-4 + 1e-3 * Math.abs(numeric));
      if (numeric !== 0) checked++;
    }
    // Most parameters must carry gradient, or the comparison above proves little.
    expect(checked).toBeGreaterThan(w.length * 0.7);
  });

  it('takes one plain SGD step of −lr × gradient with B = ∞ and one epoch', () => {
    const mlp = new DenseMlp({ layers: LAYERS });
    const data = tinyData();
    const rows = Array.from({ length: 8 }, (_, i) => i);
    const w = mlp.init(mulberry32(4));
    const { gradient, loss } = mlp.gradient(w, data, rows);
    const trained = mlp.trainLocal(w, data, rows, { epochs: 1, batchSize: 0, learningRate: 0.3 }, mulberry32(1));
    expect(trained.loss).toBeCloseTo(loss, 10);
    for (let i = 0; i < w.length; i++) expect(trained.weights[i]).toBeCloseTo((w[i] as number) - 0.3 * (gradient[i] as number), 5);
    // The global model is never modified.
    expect(w).toEqual(mlp.init(mulberry32(4)));
  });

  it('lowers the training loss over minibatch epochs', () => {
    const mlp = new DenseMlp({ layers: LAYERS });
    const data = tinyData();
    const rows = Array.from({ length: 8 }, (_, i) => i);
    const w = mlp.init(mulberry32(5));
    const before = mlp.evaluate(w, data).loss;
    const { weights } = mlp.trainLocal(w, data, rows, { epochs: 50, batchSize: 2, learningRate: 0.2 }, mulberry32(2));
    expect(mlp.evaluate(weights, data).loss).toBeLessThan(before * 0.5);
  });

  it('rejects weights of the wrong length, naming both sizes', () => {
    const mlp = new DenseMlp({ layers: LAYERS });
    expect(() => mlp.evaluate(new Float32Array(10), tinyData())).toThrow(/10 values.*has 74/);
  });
});
