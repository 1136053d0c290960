/**
 * @module Text as hashed features (the "hashing trick", Weinberger et al. 2009): lower-cased
 * words and word bigrams hashed (FNV-1a, 32-bit) into `dimension` buckets, a second hash bit
 * choosing the sign so collisions cancel on average, then L2-normalised. No vocabulary is
 * shared between clients, so nothing about one client's words reaches another.
 */
import { fnv1a } from '../../common/index.js';
import type { SparseVector } from '../models/types.js';

export const DEFAULT_DIMENSION = 1 << 18;

/**
 * Hashed word and bigram features of `text`. With `idf` (one weight per bucket, from
 * `inverseDocumentFrequency`) each count is scaled by its bucket's weight before normalising:
 * TF-IDF over hashed features, which keeps common words from dominating a row.
 */
export function hashText(text: string, dimension = DEFAULT_DIMENSION, idf?: Float32Array): SparseVector {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const counts = new Map<number, number>();
  const add = (token: string) => {
    const h = fnv1a(token);
    const index = h % dimension;
    const sign = h & 0x80000000 ? -1 : 1;
    counts.set(index, (counts.get(index) ?? 0) + sign);
  };
  for (let i = 0; i < words.length; i++) {
    add(words[i] as string);
    if (i > 0) add(`${words[i - 1]} ${words[i]}`);
  }
  const indices = Int32Array.from(counts.keys());
  const values = Float32Array.from(counts.values());
  if (idf) for (let k = 0; k < values.length; k++) values[k] = (values[k] as number) * (idf[indices[k] as number] as number);
  let norm = 0;
  for (const v of values) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < values.length; k++) values[k] = (values[k] as number) / norm;
  return { indices, values };
}

/**
 * Smoothed inverse document frequency per hashed bucket, as scikit-learn's TfidfVectorizer
 * computes it: ln((1 + n) / (1 + df)) + 1, so a bucket in every document keeps weight 1 and an
 * unseen one gets the largest weight. `texts` is read once.
 */
export function inverseDocumentFrequency(texts: Iterable<string>, dimension = DEFAULT_DIMENSION): Float32Array {
  const df = new Uint32Array(dimension);
  let n = 0;
  for (const text of texts) {
    n++;
    for (const index of hashText(text, dimension).indices) df[index] = (df[index] as number) + 1;
  }
  const idf = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) idf[i] = Math.log((1 + n) / (1 + (df[i] as number))) + 1;
  return idf;
}
