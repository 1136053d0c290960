/**
 * @module C4 rules (Raffel et al. 2020, §2.2), with the defaults of datatrove's C4QualityFilter.
 * Line rules pick the lines C4 would keep (terminal punctuation, at least 3 words, no
 * "javascript", no policy boilerplate); doc rules then look at what is left (at least 5 sentences)
 * and at the whole text (lorem ipsum, a curly bracket, which C4 used to drop code).
 */
import type { TextView } from './text-view.js';

export const MIN_WORDS_PER_LINE = 3; // C4
export const MIN_SENTENCES = 5; // C4 (datatrove's min_num_sentences)
export const MAX_WORD_LENGTH = 1000; // C4
const TERMINAL_PUNCT = /[.!?"”’)]$/;
const POLICY = ['terms of use', 'privacy policy', 'cookie policy', 'uses cookies', 'use of cookies', 'use cookies'];
const CITATION = /\[\d+\]|\[edit\]|\[citation needed\]/gi;

export interface C4Result {
  failed: string[];
  /** The text with only the lines C4 keeps. */
  keptText: string;
}

export function c4Quality(v: TextView): C4Result {
  const failed: string[] = [];
  const lower = v.text.toLowerCase();
  if (lower.includes('lorem ipsum')) failed.push('c4_lorem_ipsum');
  if (v.text.includes('{')) failed.push('c4_curly_bracket');
  const kept: string[] = [];
  for (const raw of v.lines) {
    const line = raw.replace(CITATION, '').trim();
    const l = line.toLowerCase();
    const words = line.split(/\s+/);
    if (v.spaceDelimited && words.length < MIN_WORDS_PER_LINE) continue;
    if (!TERMINAL_PUNCT.test(line) && !(v.spaceDelimited ? false : /[。！？]$/.test(line))) continue;
    if (words.some((w) => w.length > MAX_WORD_LENGTH)) continue;
    if (l.includes('javascript')) continue;
    if (POLICY.some((p) => l.includes(p))) continue;
    kept.push(line);
  }
  const keptText = kept.join('\n');
  const sentences = keptText.split(/[.!?。！？]+(?:\s|$)/).filter((s) => s.trim().length > 0).length;
  if (sentences < MIN_SENTENCES) failed.push('c4_too_few_sentences');
  return { failed, keptText };
}
