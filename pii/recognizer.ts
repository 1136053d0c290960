/**
 * @module The `Recognizer` contract and the helper that turns a data spec (regexes with base
 * scores, context words, an optional validator) into one, as Presidio's PatternRecognizer does.
 */
import type { EntityType, Finding } from './finding.js';

export interface Recognizer {
  readonly name: string;
  readonly entities: readonly EntityType[];
  analyze(text: string): Finding[];
}

export interface PatternSpec {
  name: string;
  entity: EntityType;
  /** Global regexes, each with the score a bare match gets. */
  patterns: Array<{ regex: RegExp; score: number }>;
  /** Words that raise the score when found among the words just before a match. */
  context?: readonly string[];
  /**
   * Checks a match (checksum, ranges). `false` rejects it; a number replaces its score; `true`
   * keeps the pattern's score.
   */
  validate?: (match: string) => boolean | number;
  /** A cheap test that must pass before any regex runs on the text (e.g. it contains '@'). */
  guard?: (text: string) => boolean;
}

/** Presidio's context enhancement: +0.35 when a context word precedes the match. */
export const CONTEXT_BOOST = 0.35;
/** How many words before a match are searched for context words (Presidio's default prefix is 5). */
export const CONTEXT_WINDOW_WORDS = 5;

/** True when one of `words` appears as a whole word among the `window` words before `start`. */
export function hasContext(text: string, start: number, words: ReadonlySet<string>, window = CONTEXT_WINDOW_WORDS): boolean {
  if (words.size === 0) return false;
  const before = text.slice(Math.max(0, start - 80), start).toLowerCase();
  const tokens = before.match(/[\p{L}\p{N}]+/gu) ?? [];
  for (let i = Math.max(0, tokens.length - window); i < tokens.length; i++) if (words.has(tokens[i] as string)) return true;
  return false;
}

/** A recognizer from a data spec. */
export function patternRecognizer(spec: PatternSpec): Recognizer {
  const context = new Set((spec.context ?? []).map((w) => w.toLowerCase()));
  return {
    name: spec.name,
    entities: [spec.entity],
    analyze(text) {
      if (spec.guard && !spec.guard(text)) return [];
      const out: Finding[] = [];
      for (const { regex, score } of spec.patterns) {
        regex.lastIndex = 0;
        for (let m = regex.exec(text); m; m = regex.exec(text)) {
          const value = m[0];
          let s = score;
          if (spec.validate) {
            const v = spec.validate(value);
            if (v === false) continue;
            if (typeof v === 'number') s = v;
          }
          if (hasContext(text, m.index, context)) s = Math.min(1, s + CONTEXT_BOOST);
          out.push({ type: spec.entity, start: m.index, end: m.index + value.length, score: s, recognizer: spec.name });
        }
      }
      return out;
    },
  };
}
