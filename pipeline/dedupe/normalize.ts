/**
 * @module Text normalisation before hashing, as datatrove's `simplify_text` does with its default
 * TextNormConfig (used for FineWeb's dedup): lowercase, strip accents, digits to 0, punctuation to
 * space, whitespace collapsed. Two pages that differ only in these ways hash the same.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const DIGITS = /\p{Nd}/gu;
// Everything that is not a letter, a digit or whitespace counts as punctuation here (datatrove
// removes string.punctuation plus unicode punctuation; symbols go the same way).
const PUNCTUATION = /[^\p{L}\p{N}\s]+/gu;
const WHITESPACE = /\s+/g;

/** The normalised form used for exact-duplicate hashes and MinHash shingles. */
export function normalizeForDedupe(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(COMBINING_MARKS, '').replace(DIGITS, '0').replace(PUNCTUATION, ' ').replace(WHITESPACE, ' ').trim();
}
