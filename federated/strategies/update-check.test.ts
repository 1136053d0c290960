import { describe, expect, it } from 'vitest';
import { checkUpdate } from './update-check.js';

const global = Float32Array.from([0, 0, 0]);
const update = (weights: number[], extra: Partial<{ numExamples: number; loss: number }> = {}) => ({
  clientId: 'c',
  weights: Float32Array.from(weights),
  numExamples: 10,
  loss: 0.5,
  ...extra,
});

describe('update checks', () => {
  it('accepts an update within the bound and reports its norm', () => {
    expect(checkUpdate(update([3, 4, 0]), global, { maxNorm: 5 })).toEqual({ ok: true, norm: 5 });
  });

  it.each([
    [[1, 2], {}, 'shape: 2 weights, the model has 3'],
    [[0, Number.NaN, 0], {}, 'weight 1 is not finite'],
    [[0, 0, Number.POSITIVE_INFINITY], {}, 'weight 2 is not finite'],
    [[0, 0, 0], { numExamples: 0 }, 'numExamples must be a positive integer, got 0'],
    [[0, 0, 0], { loss: Number.NaN }, 'the training loss is not a finite number'],
    [[30, 40, 0], {}, 'the update moves the model by 50.00 (L2), above the bound 5'],
  ] as const)('rejects %j %j: %s', (weights, extra, reason) => {
    expect(checkUpdate(update([...weights], extra), global, { maxNorm: 5 })).toEqual({ ok: false, reason });
  });
});
