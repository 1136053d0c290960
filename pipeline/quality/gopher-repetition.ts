/**
 * @module Gopher repetition rules (Rae et al. 2021, table A1), with the thresholds of datatrove's
 * GopherRepetitionFilter defaults: duplicated lines and paragraphs, the most frequent 2–4-grams,
 * and characters covered by repeated 5–10-grams.
 */
import { fmix32, fnv1a, FNV_PRIME } from '../../common/index.js';
import { duplicates, type RuleCheck, type TextView } from './text-view.js';

export const MAX_DUP_LINE_FRAC = 0.3;
export const MAX_DUP_PARA_FRAC = 0.3;
export const MAX_DUP_LINE_CHAR_FRAC = 0.2;
export const MAX_DUP_PARA_CHAR_FRAC = 0.2;
/** Share of characters in the most frequent n-gram, for n = 2, 3, 4. */
export const TOP_NGRAM_MAX_CHAR_FRAC: ReadonlyArray<[number, number]> = [
  [2, 0.2],
  [3, 0.18],
  [4, 0.16],
];
/** Share of characters inside repeated n-grams, for n = 5 … 10. */
export const DUP_NGRAM_MAX_CHAR_FRAC: ReadonlyArray<[number, number]> = [
  [5, 0.15],
  [6, 0.14],
  [7, 0.13],
  [8, 0.12],
  [9, 0.11],
  [10, 0.1],
];

/**
 * Word hashes, word lengths, and for each n the hash of the n-gram starting at each position, built
 * incrementally (n from n-1), so all nine n-gram rules share one pass per n over integers instead
 * of joining strings. A 32-bit collision between two distinct n-grams of one doc is rare enough
 * (~n²/2³³) not to move a heuristic threshold.
 */
function ngramHashes(words: string[], maxN: number): { lengths: Uint32Array; byN: Uint32Array[] } {
  const unigram = new Uint32Array(words.length);
  const lengths = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    // FNV-1a of the word, then mixed: a word id without a string-keyed Map.
    unigram[i] = fmix32(fnv1a(w));
    lengths[i] = w.length;
  }
  const byN: Uint32Array[] = [unigram, unigram];
  for (let n = 2; n <= maxN; n++) {
    const prev = byN[n - 1] as Uint32Array;
    const cur = new Uint32Array(Math.max(0, words.length - n + 1));
    for (let i = 0; i < cur.length; i++) cur[i] = fmix32(Math.imul(prev[i] as number, FNV_PRIME) ^ (unigram[i + n - 1] as number));
    byN.push(cur);
  }
  return { lengths, byN };
}

/**
 * Occurrence counts of 32-bit hashes in an open-addressing table over typed arrays: several times
 * faster than a Map here, where it runs nine times per document.
 */
function countOccurrences(hashes: Uint32Array): (i: number) => number {
  let cap = 16;
  while (cap < hashes.length * 2) cap *= 2;
  const keys = new Uint32Array(cap);
  const counts = new Uint32Array(cap);
  const mask = cap - 1;
  return (i) => {
    const h = hashes[i] as number;
    let slot = h & mask;
    for (;;) {
      const c = counts[slot] as number;
      if (c === 0) {
        keys[slot] = h;
        counts[slot] = 1;
        return 1;
      }
      if (keys[slot] === h) return (counts[slot] = c + 1);
      slot = (slot + 1) & mask;
    }
  };
}

function topNgramCharFrac(hashes: Uint32Array, lengths: Uint32Array, n: number, totalChars: number): number {
  const add = countOccurrences(hashes);
  let best = 0;
  let bestAt = 0;
  for (let i = 0; i < hashes.length; i++) {
    const c = add(i);
    if (c > best) {
      best = c;
      bestAt = i;
    }
  }
  if (best <= 1) return 0;
  // Gopher counts the characters of the top n-gram's words times its frequency.
  let chars = 0;
  for (let j = bestAt; j < bestAt + n; j++) chars += lengths[j] as number;
  return (chars * best) / totalChars;
}

function dupNgramCharFrac(hashes: Uint32Array, lengths: Uint32Array, n: number, totalChars: number): number {
  const add = countOccurrences(hashes);
  const covered = new Uint8Array(lengths.length);
  for (let i = 0; i < hashes.length; i++) if (add(i) > 1) covered.fill(1, i, i + n);
  let chars = 0;
  for (let i = 0; i < lengths.length; i++) if (covered[i]) chars += lengths[i] as number;
  return chars / totalChars;
}

export const gopherRepetition: RuleCheck = (v: TextView) => {
  const failed: string[] = [];
  const textChars = v.text.length || 1;
  const lines = v.duplicateLines;
  if (v.lines.length > 0 && lines.count / v.lines.length > MAX_DUP_LINE_FRAC) failed.push('gopher_dup_line_frac');
  if (lines.chars / textChars > MAX_DUP_LINE_CHAR_FRAC) failed.push('gopher_dup_line_char_frac');
  const paras = duplicates(v.paragraphs);
  if (v.paragraphs.length > 0 && paras.count / v.paragraphs.length > MAX_DUP_PARA_FRAC) failed.push('gopher_dup_para_frac');
  if (paras.chars / textChars > MAX_DUP_PARA_CHAR_FRAC) failed.push('gopher_dup_para_char_frac');
  if (!v.spaceDelimited) return failed;
  const words = v.words.map((w) => w.toLowerCase());
  const wordChars = words.reduce((a, w) => a + w.length, 0) || 1;
  const { lengths, byN } = ngramHashes(words, 10);
  for (const [n, max] of TOP_NGRAM_MAX_CHAR_FRAC) {
    if (topNgramCharFrac(byN[n] as Uint32Array, lengths, n, wordChars) > max) {
      failed.push(`gopher_top_${n}gram`);
      break;
    }
  }
  for (const [n, max] of DUP_NGRAM_MAX_CHAR_FRAC) {
    if (dupNgramCharFrac(byN[n] as Uint32Array, lengths, n, wordChars) > max) {
      failed.push(`gopher_dup_${n}gram`);
      break;
    }
  }
  return failed;
};
