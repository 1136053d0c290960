/**
 * @module Gopher repetition rules (Rae et al. 2021, table A1), with the thresholds of datatrove's
 * GopherRepetitionFilter defaults: duplicated lines and paragraphs, the most frequent 2–4-grams,
 * and characters covered by repeated 5–10-grams.
 */
import type { RuleCheck, TextView } from './text-view.js';

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

/** Duplicate elements (beyond the first of each) and their characters. */
function duplicates(items: string[]): { count: number; chars: number } {
  const seen = new Set<string>();
  let count = 0;
  let chars = 0;
  for (const x of items) {
    if (seen.has(x)) {
      count++;
      chars += x.length;
    } else seen.add(x);
  }
  return { count, chars };
}

function topNgramCharFrac(words: string[], n: number, totalChars: number): number {
  const counts = new Map<string, number>();
  let best = 0;
  let bestKey = '';
  for (let i = 0; i + n <= words.length; i++) {
    const key = words.slice(i, i + n).join(' ');
    const c = (counts.get(key) ?? 0) + 1;
    counts.set(key, c);
    if (c > best) {
      best = c;
      bestKey = key;
    }
  }
  // Gopher counts the characters of the top n-gram's words times its frequency.
  return best > 1 ? (bestKey.replace(/ /g, '').length * best) / totalChars : 0;
}

function dupNgramCharFrac(words: string[], n: number, totalChars: number): number {
  const seen = new Set<string>();
  const covered = new Uint8Array(words.length);
  for (let i = 0; i + n <= words.length; i++) {
    const key = words.slice(i, i + n).join(' ');
    if (seen.has(key)) covered.fill(1, i, i + n);
    else seen.add(key);
  }
  let chars = 0;
  for (let i = 0; i < words.length; i++) if (covered[i]) chars += (words[i] as string).length;
  return chars / totalChars;
}

export const gopherRepetition: RuleCheck = (v: TextView) => {
  const failed: string[] = [];
  const textChars = v.text.length || 1;
  const lines = duplicates(v.lines);
  if (v.lines.length > 0 && lines.count / v.lines.length > MAX_DUP_LINE_FRAC) failed.push('gopher_dup_line_frac');
  if (lines.chars / textChars > MAX_DUP_LINE_CHAR_FRAC) failed.push('gopher_dup_line_char_frac');
  const paras = duplicates(v.paragraphs);
  if (v.paragraphs.length > 0 && paras.count / v.paragraphs.length > MAX_DUP_PARA_FRAC) failed.push('gopher_dup_para_frac');
  if (paras.chars / textChars > MAX_DUP_PARA_CHAR_FRAC) failed.push('gopher_dup_para_char_frac');
  if (!v.spaceDelimited) return failed;
  const words = v.words.map((w) => w.toLowerCase());
  const wordChars = words.reduce((a, w) => a + w.length, 0) || 1;
  for (const [n, max] of TOP_NGRAM_MAX_CHAR_FRAC) {
    if (topNgramCharFrac(words, n, wordChars) > max) {
      failed.push(`gopher_top_${n}gram`);
      break;
    }
  }
  for (const [n, max] of DUP_NGRAM_MAX_CHAR_FRAC) {
    if (dupNgramCharFrac(words, n, wordChars) > max) {
      failed.push(`gopher_dup_${n}gram`);
      break;
    }
  }
  return failed;
};
