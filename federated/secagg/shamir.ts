/**
 * @module Shamir t-out-of-n secret sharing (Shamir 1979, "How to Share a Secret", CACM 22(11))
 * of 32-byte secrets, used by secure aggregation (Bonawitz et al. 2017, Sec. 4) to share each
 * client's X25519 mask key s_u and self-mask seed b_u so the server can recover the one it needs
 * when a client drops out.
 *
 * The field is GF(p) with p = 2^256 + 297, the smallest prime above 2^256 (2^256 + 1 is the
 * composite Fermat number F8), so every 32-byte secret is one field element and no secret needs
 * splitting. A degree-(t − 1) polynomial with uniformly random coefficients hides f(0) from any
 * t − 1 shares: for every candidate secret there is exactly one such polynomial through them.
 */
import { FederatedError } from '../errors.js';

/** p = 2^256 + 297 (prime; checked by Miller–Rabin in the tests). */
export const SHAMIR_PRIME = (1n << 256n) + 297n;
/** Bytes of a share's y value: p needs 257 bits. */
export const SHARE_Y_BYTES = 33;

/** One share: the polynomial's value y = f(x) at a non-zero point x (the holder's index + 1). */
export interface Share {
  x: number;
  y: bigint;
}

/** Returns `n` cryptographically random bytes; injected so tests can be deterministic. */
export type RandomBytes = (n: number) => Uint8Array;

const mod = (a: bigint): bigint => {
  const r = a % SHAMIR_PRIME;
  return r < 0n ? r + SHAMIR_PRIME : r;
};

/** a^-1 mod p by the extended Euclidean algorithm (a ≠ 0 mod p). */
function invert(a: bigint): bigint {
  let [r0, r1] = [mod(a), SHAMIR_PRIME];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new FederatedError('secagg: shamir: value has no inverse', { code: 'SECAGG_SHAMIR' });
  return mod(s0);
}

/** A uniform element of GF(p) by rejection sampling 257-bit strings (acceptance ≈ 1/2). */
function randomFieldElement(randomBytes: RandomBytes): bigint {
  for (;;) {
    const b = randomBytes(SHARE_Y_BYTES);
    b[0] = (b[0] as number) & 1;
    const v = bytesToBigint(b);
    if (v < SHAMIR_PRIME) return v;
  }
}

/** Big-endian bytes as a non-negative integer. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** Big-endian, exactly `length` bytes; throws if `v` does not fit. */
export function bigintToBytes(v: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let rest = v;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (rest !== 0n || v < 0n) throw new FederatedError(`secagg: shamir: value does not fit in ${length} bytes`, { code: 'SECAGG_SHAMIR' });
  return out;
}

/** What {@link splitSecret} shares, among whom, and with which randomness. */
export interface SplitOptions {
  /** The secret, 32 bytes (an X25519 secret key or a mask seed). */
  secret: Uint8Array;
  /** t: any t shares reconstruct, t − 1 reveal nothing. */
  threshold: number;
  /** The share points, distinct integers in [1, 2^31); one per holder. */
  xs: readonly number[];
  randomBytes: RandomBytes;
}

/** Shares of `secret`, one per point in `xs`, in the same order. */
export function splitSecret(opts: SplitOptions): Share[] {
  const { secret, threshold, xs, randomBytes } = opts;
  if (secret.length !== 32) throw new FederatedError(`secagg: shamir: secrets are 32 bytes, got ${secret.length}`, { code: 'INVALID_ARGUMENT' });
  if (!(Number.isInteger(threshold) && threshold >= 1 && threshold <= xs.length))
    throw new FederatedError(`secagg: shamir: threshold ${threshold} must be in [1, ${xs.length}]`, { code: 'INVALID_ARGUMENT' });
  assertPoints(xs);
  const coeffs = [bytesToBigint(secret)];
  for (let i = 1; i < threshold; i++) coeffs.push(randomFieldElement(randomBytes));
  return xs.map((x) => ({ x, y: evaluate(coeffs, BigInt(x)) }));
}

/** f(x) by Horner's rule. */
export function evaluate(coeffs: readonly bigint[], x: bigint): bigint {
  let acc = 0n;
  for (let i = coeffs.length - 1; i >= 0; i--) acc = mod(acc * x + (coeffs[i] as bigint));
  return acc;
}

function assertPoints(xs: readonly number[]): void {
  const seen = new Set<number>();
  for (const x of xs) {
    if (!(Number.isInteger(x) && x >= 1 && x < 2 ** 31))
      throw new FederatedError(`secagg: shamir: share point ${x} must be an integer in [1, 2^31)`, { code: 'INVALID_ARGUMENT' });
    if (seen.has(x)) throw new FederatedError(`secagg: shamir: share point ${x} appears twice`, { code: 'INVALID_ARGUMENT' });
    seen.add(x);
  }
}

/**
 * The Lagrange basis at 0 for points `xs`: f(0) = Σ λ_j · f(x_j) for any f of degree < xs.length.
 * The server computes it once per set of responders and reuses it for every secret.
 */
export function lagrangeAtZero(xs: readonly number[]): bigint[] {
  assertPoints(xs);
  const bx = xs.map(BigInt);
  return bx.map((xj, j) => {
    let num = 1n;
    let den = 1n;
    for (let m = 0; m < bx.length; m++) {
      if (m === j) continue;
      const xm = bx[m] as bigint;
      num = mod(num * xm);
      den = mod(den * (xm - xj));
    }
    return mod(num * invert(den));
  });
}

/** f(0) of the unique polynomial of degree < shares.length through `shares`; no threshold check. */
export function interpolateAtZero(shares: readonly Share[], basis = lagrangeAtZero(shares.map((s) => s.x))): bigint {
  let acc = 0n;
  for (let j = 0; j < shares.length; j++) acc += (basis[j] as bigint) * (shares[j] as Share).y;
  return mod(acc);
}

/**
 * The 32-byte secret from at least `threshold` shares (only the first `threshold` are used).
 * Throws a FederatedError with code SECAGG_TOO_FEW_SHARES when fewer arrive.
 */
export function combineShares(shares: readonly Share[], threshold: number, basis?: bigint[]): Uint8Array {
  if (shares.length < threshold) throw new FederatedError(`secagg: shamir: ${shares.length} shares, ${threshold} needed`, { code: 'SECAGG_TOO_FEW_SHARES' });
  const used = shares.slice(0, threshold);
  const v = interpolateAtZero(used, basis);
  if (v >= 1n << 256n) throw new FederatedError('secagg: shamir: shares are inconsistent (reconstructed value exceeds 256 bits)', { code: 'SECAGG_SHAMIR' });
  return bigintToBytes(v, 32);
}
