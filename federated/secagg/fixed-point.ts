/**
 * @module Fixed-point encoding of Float32 updates into Z_{2^32} for secure aggregation. Masking
 * (Bonawitz et al. 2017, "Practical Secure Aggregation for Privacy-Preserving Machine Learning",
 * CCS, Sec. 3) needs every input in a finite ring Z_R; this module owns the choice of R = 2^32,
 * the scale and the clipping range, and the rule that makes a sum of up to `maxClients` encoded
 * vectors decode without wrap-around ambiguity.
 *
 * Encoding: q = round(clamp(x, −C, C) · s), stored as q mod 2^32, where s = 2^k is the largest
 * power of two with maxClients · (C·s + ½) ≤ 2^31 − 1. Then any sum of m ≤ maxClients encodings
 * satisfies |Σq| ≤ 2^31 − 1, so reading the Uint32 sum as a two's-complement int32 recovers Σq
 * exactly. Error bound: for |x| ≤ C, |q/s − x| ≤ 1/(2s) per coordinate and client, so a decoded
 * sum of m inputs is within m/(2s) of the exact sum of the (clipped) inputs. A power-of-two s makes
 * q/s exact in floating point, so decoding adds no error of its own.
 */
import { FederatedError } from '../errors.js';

const INT32_MAX = 2 ** 31 - 1;

/** What a round's codec is built from; every party must use the same values. */
export interface FixedPointOptions {
  /** C: inputs are clamped to [−C, C] before encoding; clip (e.g. to an L2 norm) upstream. */
  clipRange: number;
  /** The most encoded vectors that will ever be summed (the number of clients in the round). */
  maxClients: number;
}

/** The encoding every party in a round shares; build it with {@link createFixedPointCodec}. */
export interface FixedPointCodec {
  readonly clipRange: number;
  readonly maxClients: number;
  /** s = 2^fractionBits (fractionBits may be negative for very large C · maxClients). */
  readonly scale: number;
  readonly fractionBits: number;
  /** 1/(2s): the largest per-coordinate error one encoded client value carries. */
  readonly errorBoundPerClient: number;
  /** q mod 2^32 of each value; throws on NaN or ±Infinity. */
  encode(values: Float32Array): Uint32Array;
  /** q/s of one encoded vector (for tests and diagnostics). */
  decode(encoded: Uint32Array): Float64Array;
  /** Σq/s of a Uint32 sum of `count` encoded vectors; throws if count exceeds maxClients. */
  decodeSum(sum: Uint32Array, count: number): Float64Array;
  /** The decoded sum's worst-case error against the exact sum of `count` clipped inputs. */
  sumErrorBound(count: number): number;
}

/**
 * The codec for a round.
 *
 * @example
 * const codec = createFixedPointCodec({ clipRange: 1, maxClients: 100 }); // s = 2^24
 * const sum = codec.decodeSum(quantizedSum, 100); // within 100 / 2^25 of the true sum
 */
export function createFixedPointCodec(opts: FixedPointOptions): FixedPointCodec {
  const { clipRange, maxClients } = opts;
  if (!(Number.isFinite(clipRange) && clipRange > 0))
    throw new FederatedError(`secagg: clipRange must be a finite number > 0, got ${clipRange}`, { code: 'INVALID_ARGUMENT' });
  if (!(Number.isInteger(maxClients) && maxClients >= 1))
    throw new FederatedError(`secagg: maxClients must be an integer >= 1, got ${maxClients}`, { code: 'INVALID_ARGUMENT' });
  const maxScale = (INT32_MAX / maxClients - 0.5) / clipRange;
  if (!(maxScale > 0)) throw new FederatedError(`secagg: ${maxClients} clients cannot share a 32-bit ring`, { code: 'INVALID_ARGUMENT' });
  const fractionBits = Math.floor(Math.log2(maxScale));
  const scale = 2 ** fractionBits;
  const lo = -clipRange;
  const hi = clipRange;

  return {
    clipRange,
    maxClients,
    scale,
    fractionBits,
    errorBoundPerClient: 1 / (2 * scale),
    encode(values) {
      const out = new Uint32Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const x = values[i] as number;
        if (!Number.isFinite(x)) throw new FederatedError(`secagg: value ${i} is not finite`, { code: 'INVALID_UPDATE' });
        out[i] = Math.round((x < lo ? lo : x > hi ? hi : x) * scale) >>> 0;
      }
      return out;
    },
    decode(encoded) {
      const out = new Float64Array(encoded.length);
      for (let i = 0; i < encoded.length; i++) out[i] = ((encoded[i] as number) | 0) / scale;
      return out;
    },
    decodeSum(sum, count) {
      if (!(Number.isInteger(count) && count >= 0 && count <= maxClients))
        throw new FederatedError(`secagg: cannot decode a sum of ${count} inputs with a codec for at most ${maxClients}`, { code: 'INVALID_ARGUMENT' });
      const out = new Float64Array(sum.length);
      for (let i = 0; i < sum.length; i++) out[i] = ((sum[i] as number) | 0) / scale;
      return out;
    },
    sumErrorBound: (count) => count / (2 * scale),
  };
}
