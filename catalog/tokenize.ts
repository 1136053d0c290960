/**
 * @module Text to search tokens: Unicode-normalised, diacritics folded, lowercased, split on
 * anything that is not a letter or digit. Listing text and queries go through the same function,
 * so "Café" finds "cafe".
 */

const TOKEN = /[\p{L}\p{N}]+/gu;
const COMBINING_MARKS = /\p{M}+/gu;

/** The tokens of `text`, in order, repeats kept (term frequency needs them). */
export function tokenize(text: string): string[] {
  if (!text) return [];
  // ASCII text has no diacritics to fold: skip the costly normalisation.
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase().match(TOKEN) ?? [];
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().match(TOKEN) ?? [];
}
