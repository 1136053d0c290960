/**
 * @module Gopher quality rules (Rae et al. 2021, "Scaling Language Models", appendix A), with the
 * thresholds of datatrove's GopherQualityFilter defaults.
 */
import type { RuleCheck } from './text-view.js';

export const MIN_DOC_WORDS = 50; // Gopher
export const MAX_DOC_WORDS = 100_000; // Gopher
export const MIN_AVG_WORD_LENGTH = 3; // Gopher
export const MAX_AVG_WORD_LENGTH = 10; // Gopher
export const MAX_SYMBOL_WORD_RATIO = 0.1; // Gopher: '#' and ellipses per word
export const MAX_BULLET_LINES_RATIO = 0.9; // Gopher
export const MAX_ELLIPSIS_LINES_RATIO = 0.3; // Gopher
export const MIN_ALPHA_WORDS_RATIO = 0.8; // Gopher: 80% of words contain a letter
export const MIN_STOP_WORDS = 2; // Gopher: at least two of the stop words below
export const STOP_WORDS = new Set(['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with']);

/** Short docs in languages without spaces are measured in characters instead (our choice, ~2 chars a word). */
const MIN_DOC_CHARS_NO_SPACE = 100;

const BULLET = /^[•●○◦▪▫‣⁃∙·*\-–—]\s?/;
const PUNCT_EDGES = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;

export const gopherQuality: RuleCheck = (v) => {
  const failed: string[] = [];
  if (v.spaceDelimited) {
    const n = v.words.length;
    if (n < MIN_DOC_WORDS) failed.push('gopher_short_doc');
    if (n > MAX_DOC_WORDS) failed.push('gopher_long_doc');
    let letters = 0;
    let alphaWords = 0;
    let stop = 0;
    let symbols = 0;
    let coreWords = 0;
    for (const w of v.words) {
      // Punctuation is trimmed from the word's edges by char codes; the unicode regex runs only on
      // the rare word with a non-ASCII edge.
      let a = 0;
      let b = w.length;
      while (a < b && isEdgePunct(w.charCodeAt(a))) a++;
      while (b > a && isEdgePunct(w.charCodeAt(b - 1))) b--;
      const core = a === 0 && b === w.length ? w : w.slice(a, b);
      const trimmed = core.charCodeAt(0) > 127 || core.charCodeAt(core.length - 1) > 127 ? core.replace(PUNCT_EDGES, '') : core;
      if (trimmed.length > 0) {
        letters += trimmed.length;
        coreWords++;
      }
      if (hasLetter(w)) alphaWords++;
      if (trimmed.length <= 4 && STOP_WORDS.has(trimmed.toLowerCase())) stop++;
      if (w.includes('#')) symbols++;
      if (w.includes('...') || w.includes('…')) symbols++;
    }
    coreWords ||= 1;
    const avg = letters / coreWords;
    if (n > 0 && (avg < MIN_AVG_WORD_LENGTH || avg > MAX_AVG_WORD_LENGTH)) failed.push('gopher_mean_word_length');
    if (n > 0 && symbols / n > MAX_SYMBOL_WORD_RATIO) failed.push('gopher_symbol_ratio');
    if (n > 0 && alphaWords / n < MIN_ALPHA_WORDS_RATIO) failed.push('gopher_non_alpha_words');
    // The stop-word list is English; other languages are not held to it.
    if (v.lang === 'en' && stop < MIN_STOP_WORDS) failed.push('gopher_stop_words');
  } else if (v.text.replace(/\s/g, '').length < MIN_DOC_CHARS_NO_SPACE) {
    failed.push('gopher_short_doc');
  }
  if (v.lines.length > 0) {
    const bullets = v.lines.filter((l) => BULLET.test(l)).length;
    if (bullets / v.lines.length > MAX_BULLET_LINES_RATIO) failed.push('gopher_bullet_lines');
    const ellipsis = v.lines.filter((l) => l.endsWith('...') || l.endsWith('…')).length;
    if (ellipsis / v.lines.length > MAX_ELLIPSIS_LINES_RATIO) failed.push('gopher_ellipsis_lines');
  }
  return failed;
};

/** ASCII punctuation and symbols. */
function isEdgePunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

/** True when the word has a letter: ASCII by char code, anything else by the unicode class. */
function hasLetter(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true;
    if (c > 127) return /\p{L}/u.test(w);
  }
  return false;
}
