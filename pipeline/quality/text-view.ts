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
}

/** Written without spaces between words (ISO 639-1). */
const NO_SPACE_LANGS = new Set(['ja', 'zh', 'th', 'lo', 'km', 'my', 'bo']);

export function viewText(text: string, lang = 'und'): TextView {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 0);
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  return { text, lines, paragraphs, words, spaceDelimited: !NO_SPACE_LANGS.has(lang), lang };
}

/** A rule's verdict: the names of the rules the doc failed. */
export type RuleCheck = (view: TextView) => string[];
