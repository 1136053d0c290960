/**
 * @module One tokenisation of a doc's text shared by every quality rule: non-empty lines,
 * paragraphs, whitespace words. Built once per doc so the rules cost one pass each.
 */

export interface TextView {
  text: string;
  lines: string[];
  paragraphs: string[];
  words: string[];
  /** Languages written without spaces make word-based rules meaningless. */
  spaceDelimited: boolean;
  lang: string;
  /** Repeated lines (beyond the first of each) and their characters: Gopher and FineWeb both use them. */
  duplicateLines: { count: number; chars: number };
}

/** Written without spaces between words (ISO 639-1). */
const NO_SPACE_LANGS = new Set(['ja', 'zh', 'th', 'lo', 'km', 'my', 'bo']);

export function viewText(text: string, lang = 'und'): TextView {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  return { text, lines, paragraphs, words, spaceDelimited: !NO_SPACE_LANGS.has(lang), lang, duplicateLines: duplicates(lines) };
}

/** Duplicate elements (beyond the first of each) and their characters. */
export function duplicates(items: string[]): { count: number; chars: number } {
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

/** A rule's verdict: the names of the rules the doc failed. */
export type RuleCheck = (view: TextView) => string[];
