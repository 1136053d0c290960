/**
 * @module mulberry32: a tiny seeded generator. Everything that must give the same figures for
 * the same seed (simulations, partitions, benchmark corpora, fixtures) draws from it; nothing
 * secret does (use node:crypto for that).
 */

/** Uniform numbers in [0, 1), the same sequence for the same 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
