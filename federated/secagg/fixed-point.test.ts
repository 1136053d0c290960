import { describe, expect, it } from 'vitest';
import { FederatedError } from '../errors.js';
import { createFixedPointCodec } from './fixed-point.js';

const clamp = (x: number, c: number) => Math.min(c, Math.max(-c, x));

describe('createFixedPointCodec', () => {
  it('picks the largest power-of-two scale that keeps maxClients extreme values inside int32', () => {
    // (2^31 − 1)/100 − 0.5 ≈ 21 474 836 → 2^24 = 16 777 216 for C = 1.
    const codec = createFixedPointCodec({ clipRange: 1, maxClients: 100 });
    expect(codec.scale).toBe(2 ** 24);
    expect(codec.errorBoundPerClient).toBe(2 ** -25);
    expect(codec.sumErrorBound(100)).toBe(100 * 2 ** -25);
  });

  it('encodes every value within 1/(2s) of its clipped value, clipping outside [−C, C]', () => {
    const codec = createFixedPointCodec({ clipRange: 0.3, maxClients: 7 });
    const values = new Float32Array(10_000);
    for (let i = 0; i < values.length; i++) values[i] = Math.sin(i * 1.7) * 0.5; // about 40% outside ±0.3
    const decoded = codec.decode(codec.encode(values));
    for (let i = 0; i < values.length; i++) {
      expect(Math.abs((decoded[i] as number) - clamp(values[i] as number, 0.3))).toBeLessThanOrEqual(codec.errorBoundPerClient);
    }
  });

  it('decodes the sum of maxClients values at +C and at −C without wrap-around', () => {
    for (const clipRange of [1, 0.3, 17.5]) {
      const codec = createFixedPointCodec({ clipRange, maxClients: 20 });
      // fround(0.3) > 0.3, so the Float32 inputs are clipped to exactly ±C before scaling.
      const one = codec.encode(Float32Array.from([clipRange, -clipRange, 0]));
      const sum = new Uint32Array(3);
      for (let k = 0; k < 20; k++) for (let i = 0; i < 3; i++) sum[i] = ((sum[i] as number) + (one[i] as number)) >>> 0;
      const decoded = codec.decodeSum(sum, 20);
      expect(Math.abs((decoded[0] as number) - 20 * clipRange)).toBeLessThanOrEqual(codec.sumErrorBound(20));
      expect(Math.abs((decoded[1] as number) + 20 * clipRange)).toBeLessThanOrEqual(codec.sumErrorBound(20));
      expect(decoded[2]).toBe(0);
    }
  });

  it('rejects NaN and infinite values', () => {
    const codec = createFixedPointCodec({ clipRange: 1, maxClients: 2 });
    expect(() => codec.encode(Float32Array.from([0, Number.NaN]))).toThrow(/value 1 is not finite/);
    expect(() => codec.encode(Float32Array.from([Number.POSITIVE_INFINITY]))).toThrow(FederatedError);
  });

  it('refuses to decode a sum of more inputs than it was built for', () => {
    const codec = createFixedPointCodec({ clipRange: 1, maxClients: 3 });
    expect(() => codec.decodeSum(new Uint32Array(1), 4)).toThrow(/sum of 4 inputs with a codec for at most 3/);
  });

  it('rejects a non-positive clip range', () => {
    expect(() => createFixedPointCodec({ clipRange: 0, maxClients: 3 })).toThrow(/clipRange must be a finite number > 0/);
  });
});
