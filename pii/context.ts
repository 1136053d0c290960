/**
 * @module Context words, as Presidio's context enhancer uses them: a word or phrase among the few
 * words before a finding changes its score. Matching is by whole words (Presidio's default
 * substring match fires `lic` on `public`), case-insensitive, with phrases ("date of birth")
 * matched as consecutive words.
 */

/** How many words before a finding are searched (Presidio's default prefix count is 5). */
export const CONTEXT_WINDOW_WORDS = 5;
/** Presidio's context similarity factor: +0.35 when a context word precedes the finding. */
export const CONTEXT_BOOST = 0.35;

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** The words of `s`, lowercased, with curly apostrophes made straight. */
export function words(s: string): string[] {
  return (s.match(WORD) ?? []).map((w) => w.toLowerCase().replace(/’/g, "'"));
}

/** A compiled list of context words and phrases. */
export interface ContextWords {
  /** Single words. */
  readonly words: ReadonlySet<string>;
  /** Phrases of two or more words, each as its words. */
  readonly phrases: readonly (readonly string[])[];
}

export function contextWords(list: readonly string[]): ContextWords {
  const single = new Set<string>();
  const phrases: string[][] = [];
  for (const entry of list) {
    const w = words(entry);
    if (w.length === 1) single.add(w[0] as string);
    else if (w.length > 1) phrases.push(w);
  }
  return { words: single, phrases };
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function isWordChar(code: number, ch: string): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
  return LETTER_OR_DIGIT.test(ch);
}

/**
 * The last `count` words before `start`, nearest last, read backwards from `start` without
 * tokenizing the text before it (this runs once per finding, so it must be cheap). An apostrophe
 * inside a word ("driver's") is part of it.
 */
export function wordsBefore(text: string, start: number, count = CONTEXT_WINDOW_WORDS): string[] {
  const out: string[] = [];
  let i = start - 1;
  const limit = Math.max(0, start - 200);
  while (i >= limit && out.length < count) {
    while (i >= limit && !isWordChar(text.charCodeAt(i), text[i] as string)) i--;
    if (i < limit) break;
    const end = i + 1;
    for (;;) {
      while (i >= limit && isWordChar(text.charCodeAt(i), text[i] as string)) i--;
      // "driver's": an apostrophe between letters joins them.
      const c = text[i];
      if ((c === "'" || c === '’') && i - 1 >= limit && isWordChar(text.charCodeAt(i - 1), text[i - 1] as string)) i--;
      else break;
    }
    out.push(
      text
        .slice(i + 1, end)
        .toLowerCase()
        .replace(/’/g, "'"),
    );
  }
  return out.reverse();
}

/** Words read before a finding: the window, and three more for a phrase that starts before it. */
export const CONTEXT_LOOKBACK_WORDS = CONTEXT_WINDOW_WORDS + 3;

/** True when a context word, or a whole phrase, is among the `window` words before `start`. */
export function hasContext(text: string, start: number, ctx: ContextWords, window = CONTEXT_WINDOW_WORDS): boolean {
  if (ctx.words.size === 0 && ctx.phrases.length === 0) return false;
  // A phrase may begin before the window and end inside it: read a little further back.
  return contextIn(wordsBefore(text, start, ctx.phrases.length > 0 ? window + 3 : window), ctx, window);
}

/** `hasContext` over words already read (`wordsBefore`), for callers that test several lists at one place. */
export function contextIn(before: readonly string[], ctx: ContextWords, window = CONTEXT_WINDOW_WORDS): boolean {
  const from = Math.max(0, before.length - window);
  for (let i = from; i < before.length; i++) if (ctx.words.has(before[i] as string)) return true;
  for (const phrase of ctx.phrases) {
    for (let end = before.length; end >= Math.max(phrase.length, from + 1); end--) {
      let ok = true;
      for (let k = 0; k < phrase.length && ok; k++) ok = before[end - phrase.length + k] === phrase[k];
      if (ok) return true;
    }
  }
  return false;
}
