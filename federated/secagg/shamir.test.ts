import { randomBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { FederatedError } from '../errors.js';
import { bigintToBytes, bytesToBigint, combineShares, interpolateAtZero, lagrangeAtZero, SHAMIR_PRIME, splitSecret, type Share } from './shamir.js';

function powMod(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  let x = b % m;
  for (let k = e; k > 0n; k >>= 1n) {
    if (k & 1n) r = (r * x) % m;
    x = (x * x) % m;
  }
  return r;
}

/** Miller–Rabin with the first 20 prime bases (error < 4^-20 for a composite). */
function isProbablePrime(n: bigint): boolean {
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  for (const a of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n, 53n, 59n, 61n, 67n, 71n]) {
    let x = powMod(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let witness = true;
    for (let i = 1; i < s && witness; i++) {
      x = (x * x) % n;
      if (x === n - 1n) witness = false;
    }
    if (witness) return false;
  }
  return true;
}

function subsets<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [head, ...rest] = items as [T, ...T[]];
  return [...subsets(rest, k - 1).map((s) => [head, ...s]), ...subsets(rest, k)];
}

const secret = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const xs = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('Shamir secret sharing over GF(2^256 + 297)', () => {
  it('uses a prime modulus above every 32-byte secret', () => {
    expect(isProbablePrime(SHAMIR_PRIME)).toBe(true);
    expect(isProbablePrime((1n << 256n) + 1n)).toBe(false); // F8, the nearer candidate, is composite
    expect(SHAMIR_PRIME > bytesToBigint(new Uint8Array(32).fill(255))).toBe(true);
  });

  it('reconstructs the secret from every 3-of-5 subset of shares', () => {
    const shares = splitSecret({ secret, threshold: 3, xs: xs(5), randomBytes });
    for (const subset of subsets(shares, 3)) expect(combineShares(subset, 3)).toEqual(secret);
  });

  it('reconstructs from any 14 of 20 shares, in any order', () => {
    const shares = splitSecret({ secret, threshold: 14, xs: xs(20), randomBytes });
    for (let trial = 0; trial < 20; trial++) {
      const shuffled = [...shares].sort(() => Math.random() - 0.5);
      expect(combineShares(shuffled.slice(0, 14), 14)).toEqual(secret);
    }
  });

  it('leaves t − 1 shares consistent with any other secret: a second sharing agrees on them', () => {
    const t = 4;
    const shares = splitSecret({ secret, threshold: t, xs: xs(7), randomBytes });
    const known = shares.slice(0, t - 1);
    const other = new Uint8Array(32).fill(7);
    // g(x) = (B − A) · Π(x − x_i) / Π(0 − x_i) has degree t − 1, vanishes on the known points and
    // is B − A at 0, so f + g is a valid sharing of `other` that the t − 1 holders cannot tell apart.
    const diff = bytesToBigint(other) - bytesToBigint(secret);
    const g = (x: number): bigint => {
      let num = 1n;
      let den = 1n;
      for (const k of known) {
        num *= BigInt(x - k.x);
        den *= BigInt(-k.x);
      }
      const mod = (a: bigint) => ((a % SHAMIR_PRIME) + SHAMIR_PRIME) % SHAMIR_PRIME;
      return mod(diff * num * powMod(mod(den), SHAMIR_PRIME - 2n, SHAMIR_PRIME));
    };
    const forged: Share[] = shares.map((s) => ({ x: s.x, y: (s.y + g(s.x)) % SHAMIR_PRIME }));
    for (let i = 0; i < t - 1; i++) expect(forged[i]).toEqual(known[i]);
    expect(combineShares(forged.slice(0, t), t)).toEqual(other);
    expect(combineShares(forged.slice(3, 3 + t), t)).toEqual(other);
    expect(combineShares(shares.slice(0, t), t)).toEqual(secret);
  });

  it('gives a wrong value when interpolating only t − 1 shares', () => {
    const shares = splitSecret({ secret, threshold: 5, xs: xs(8), randomBytes });
    expect(interpolateAtZero(shares.slice(0, 4))).not.toBe(bytesToBigint(secret));
    expect(interpolateAtZero(shares.slice(0, 5))).toBe(bytesToBigint(secret));
  });

  it('refuses to combine fewer than t shares', () => {
    const shares = splitSecret({ secret, threshold: 3, xs: xs(5), randomBytes });
    const attempt = () => combineShares(shares.slice(0, 2), 3);
    expect(attempt).toThrow(FederatedError);
    expect(attempt).toThrow(/2 shares, 3 needed/);
  });

  it('rejects repeated or zero share points', () => {
    expect(() => splitSecret({ secret, threshold: 2, xs: [1, 1, 2], randomBytes })).toThrow(/appears twice/);
    expect(() => lagrangeAtZero([0, 1])).toThrow(/must be an integer in \[1, 2\^31\)/);
  });

  it('round-trips field elements through fixed-width big-endian bytes', () => {
    const v = SHAMIR_PRIME - 1n;
    expect(bytesToBigint(bigintToBytes(v, 33))).toBe(v);
    expect(() => bigintToBytes(v, 32)).toThrow(/does not fit in 32 bytes/);
  });
});
