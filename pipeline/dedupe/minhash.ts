/**
 * @module MinHash signatures over word n-gram shingles (Broder 1997), in 32-bit integer math with
 * no BigInt in the hot loop. Each of the k hash functions is murmur3's fmix32 finaliser over the
 * shingle hash XOR a per-function seed: a bijection on 32-bit values, so the minimum under each is
 * a min-wise sample as MinHash needs.
 */
import { fmix32, fnv1a } from '../../common/index.js';

/** Per-function seeds derived from one seed, so signatures are reproducible across runs. */
export function hashSeeds(count: number, seed: number): Uint32Array {
  const seeds = new Uint32Array(count);
  let x = seed >>> 0;
  for (let i = 0; i < count; i++) {
    x = fmix32(x + 0x9e3779b9 + i);
    seeds[i] = x;
  }
  return seeds;
}

/** 32-bit hashes of the word n-grams of whitespace-separated `normalized` text. */
export function shingleHashes(normalized: string, ngram: number): Uint32Array {
  const words = normalized.length > 0 ? normalized.split(' ') : [];
  const tokenHashes = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) tokenHashes[i] = fnv1a(words[i] as string);
  // A text shorter than one n-gram is one shingle of all its words, so it still gets a signature.
  const count = words.length === 0 ? 0 : Math.max(1, words.length - ngram + 1);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let h = 0x9747b28c;
    const end = Math.min(words.length, i + ngram);
    for (let j = i; j < end; j++) h = fmix32(Math.imul(h ^ (tokenHashes[j] as number), 0xcc9e2d51) + j - i);
    out[i] = h;
  }
  return out;
}

/** The MinHash signature: for each seed, the minimum of fmix32(shingle ^ seed) over the shingles. */
export function minhashSignature(shingles: Uint32Array, seeds: Uint32Array): Uint32Array {
  const sig = new Uint32Array(seeds.length).fill(0xffffffff);
  for (let s = 0; s < shingles.length; s++) {
    const x = shingles[s] as number;
    for (let k = 0; k < seeds.length; k++) {
      const v = fmix32(x ^ (seeds[k] as number));
      if (v < (sig[k] as number)) sig[k] = v;
    }
  }
  return sig;
}

/** Share of equal positions: an unbiased estimate of the Jaccard similarity of the shingle sets. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return a.length > 0 ? same / a.length : 0;
}

/** Probability that a pair with Jaccard `s` shares at least one band: 1 - (1 - s^rows)^bands. */
export function lshMatchProbability(s: number, bands: number, rows: number): number {
  return 1 - (1 - s ** rows) ** bands;
}
