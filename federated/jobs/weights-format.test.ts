import { describe, expect, it } from 'vitest';
import { decodeWeights, encodeWeights } from './weights-format.js';

describe('weights on the wire', () => {
  it('round-trips round, examples and every float32 exactly, little-endian after a 16-byte header', () => {
    const weights = Float32Array.from([0, -1.5, 3.4028234663852886e38, 1e-45, Number.NaN]);
    const bytes = encodeWeights({ round: 7, weights, numExamples: 600 });
    expect(bytes.length).toBe(16 + 4 * 5);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('LMW1');
    expect([...bytes.subarray(4, 8)]).toEqual([7, 0, 0, 0]);
    const back = decodeWeights(bytes, 5);
    expect(back.round).toBe(7);
    expect(back.numExamples).toBe(600);
    expect([...back.weights]).toEqual([...weights]);
  });

  it.each([
    [new Uint8Array(3), 'weights message: 3 bytes is shorter than the 16-byte header'],
    [new Uint8Array(16), 'weights message: it does not start with "LMW1"'],
    [
      encodeWeights({ round: 1, weights: new Float32Array(4), numExamples: 0 }).subarray(0, 20),
      'weights message: the header says 4 weights but 4 bytes follow',
    ],
  ])('refuses a malformed message: %s', (bytes, message) => {
    expect(() => decodeWeights(bytes)).toThrow(message);
  });

  it('refuses weights of another model size', () => {
    expect(() => decodeWeights(encodeWeights({ round: 1, weights: new Float32Array(3), numExamples: 0 }), 4)).toThrow(
      'weights message: 3 weights, the model has 4',
    );
  });
});
