/**
 * @module The non-cryptographic 32-bit hashes several folders use to turn words and ids into
 * numbers: FNV-1a to hash a string, murmur3's finaliser to spread its bits. One copy, so a
 * dedupe signature, a quality n-gram and a federated feature bucket never drift apart.
 */

export const FNV_OFFSET_BASIS = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over a string's UTF-16 code units, unsigned. `seed` continues a hash already started. */
export function fnv1a(s: string, seed = FNV_OFFSET_BASIS): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: full avalanche, cheap, and a bijection on 32-bit values. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
