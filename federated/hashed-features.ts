/**
 * @module Text as hashed features (the "hashing trick", Weinberger et al. 2009): lower-cased
 * words and word bigrams hashed (FNV-1a, 32-bit) into `dimension` buckets, a second hash bit
 * choosing the sign so collisions cancel on average, then L2-normalised. No vocabulary is
 * shared between clients, so nothing about one client's words reaches another.
 */

/** A sparse row: feature indices and their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export const DEFAULT_DIMENSION = 1 << 18;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Hashed word and bigram features of `text`. */
export function hashText(text: string, dimension = DEFAULT_DIMENSION): SparseVector {
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
  let norm = 0;
  for (const v of values) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < values.length; k++) values[k] = (values[k] as number) / norm;
  return { indices, values };
}
