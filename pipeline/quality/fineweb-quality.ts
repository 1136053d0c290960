/**
 * @module FineWeb's own rules (Penedo et al. 2024, §3.3), with the defaults of datatrove's
 * FineWebQualityFilter: lines ending in punctuation, short lines, characters in duplicated lines,
 * and newlines per word (list-like pages).
 */
import type { RuleCheck } from './text-view.js';

export const MIN_LINE_PUNCT_RATIO = 0.12; // FineWeb: share of lines ending in terminal punctuation
export const MAX_SHORT_LINE_RATIO = 0.67; // FineWeb: share of lines of ≤ 30 characters
export const SHORT_LINE_CHARS = 30; // FineWeb
export const MAX_CHAR_DUP_RATIO = 0.01; // FineWeb: characters in duplicated lines
export const MAX_NEWLINE_WORD_RATIO = 0.3; // FineWeb: "list" pages
const TERMINAL = /[.!?"”…。！？]$/;

export const finewebQuality: RuleCheck = (v) => {
  const failed: string[] = [];
  const n = v.lines.length;
  if (n === 0) return failed;
  if (v.lines.filter((l) => TERMINAL.test(l)).length / n < MIN_LINE_PUNCT_RATIO) failed.push('fineweb_line_punct_ratio');
  if (v.lines.filter((l) => l.length <= SHORT_LINE_CHARS).length / n > MAX_SHORT_LINE_RATIO) failed.push('fineweb_short_line_ratio');
  const chars = v.lines.reduce((a, l) => a + l.length, 0) || 1;
  if (v.duplicateLines.chars / chars > MAX_CHAR_DUP_RATIO) failed.push('fineweb_char_dup_ratio');
  // Our extractor separates paragraphs by a blank line; FineWeb's text has one newline per line.
  if (v.spaceDelimited && v.words.length > 0 && (n - 1) / v.words.length > MAX_NEWLINE_WORD_RATIO) failed.push('fineweb_list_ratio');
  return failed;
};
