/**
 * @module The `Recognizer` contract, and `patternRecognizer`, which builds one from data (regexes
 * with base scores, context words, an optional validator) as Presidio's PatternRecognizer does.
 * A recognizer only finds spans and scores them; the analyzer applies context, the threshold and
 * the overlap rule.
 */
import type { EntityType, Finding } from './finding.js';

export interface AnalysisContext {
  /** ISO 639-1 code of the text's language ("en"); picks context words and language-bound recognizers. */
  language: string;
}

/** Context words for every language as a list, or per language code (`*` for the rest). */
export type ContextSpec = readonly string[] | Readonly<Record<string, readonly string[]>>;

export interface Recognizer {
  readonly name: string;
  readonly entities: readonly EntityType[];
  /** Languages this recognizer reads; absent: any (a checksum does not depend on the language). */
  readonly languages?: readonly string[];
  /** Words that raise a finding's score when among the words just before it. */
  readonly context?: ContextSpec;
  /** Words that lower it ("version" before a dotted quad). */
  readonly negativeContext?: ContextSpec;
  /**
   * Characters every value this recognizer finds contains (a digit, an "@"). The analyzer then
   * shows it only the whitespace-delimited stretches of text around them, not the whole text:
   * most prose has no digits, and regexes are the cost of recognition.
   */
  readonly trigger?: Trigger;
  /**
   * The highest score a finding can have before context. When it is under the analyzer's
   * threshold, only a context word can make a finding count, so the analyzer reads just the text
   * after the context words (a passport number is looked for after "passport", not in every
   * nine-digit number).
   */
  readonly maxScore?: number;
  analyze(text: string, ctx: AnalysisContext): Finding[];
}

export interface Trigger {
  /** Global regex for the trigger characters. */
  readonly pattern: RegExp;
  /** Characters of text kept before and after each trigger (then widened to whitespace). */
  readonly before: number;
  readonly after: number;
}

/**
 * Values that contain a digit followed by another or by a separator (numbers, codes, dates, IP
 * addresses): a lone digit in prose ("3 people") starts no window. The margins reach the parts of
 * a value written with spaces ("+44 20 7946 0958", "14 March 1985", a print-form IBAN).
 */
/**
 * Tokens with a digit in them, read whole: keys, tokens and wallet addresses are long random
 * strings, and one of 20+ random characters without a digit is rare enough to accept missing.
 */
export const LONG_TOKEN_TRIGGER: Trigger = { pattern: /\d+/g, before: 0, after: 0 };

export const DIGIT_TRIGGER: Trigger = { pattern: /\d[\d.:/-]/g, before: 24, after: 48 };

/** Checks a match (checksum, ranges): `false` rejects it, a number replaces its score, `true` keeps it. */
export type Validator = (match: string) => boolean | number;

export interface PatternSpec {
  name: string;
  entity: EntityType;
  /** Regexes (the `g` flag is added when missing), each with the score a bare match gets. */
  patterns: ReadonlyArray<{ regex: RegExp; score: number }>;
  context?: ContextSpec;
  negativeContext?: ContextSpec;
  validate?: Validator;
  /** A cheap test that must pass before any regex runs (the text contains '@'). */
  guard?: (text: string) => boolean;
  languages?: readonly string[];
  trigger?: Trigger;
  /** Needed only when `validate` returns scores above every pattern's (see `Recognizer.maxScore`). */
  maxScore?: number;
}

/** A recognizer from a data spec. */
export function patternRecognizer(spec: PatternSpec): Recognizer {
  const patterns = spec.patterns.map(({ regex, score }) => ({
    regex: regex.global ? regex : new RegExp(regex.source, regex.flags + 'g'),
    score,
  }));
  return {
    name: spec.name,
    entities: [spec.entity],
    ...(spec.languages ? { languages: spec.languages } : {}),
    ...(spec.context ? { context: spec.context } : {}),
    ...(spec.negativeContext ? { negativeContext: spec.negativeContext } : {}),
    ...(spec.trigger ? { trigger: spec.trigger } : {}),
    maxScore: spec.maxScore ?? Math.max(0, ...spec.patterns.map((p) => p.score)),
    analyze(text) {
      if (spec.guard && !spec.guard(text)) return [];
      const out: Finding[] = [];
      for (const { regex, score } of patterns) {
        regex.lastIndex = 0;
        for (let m = regex.exec(text); m; m = regex.exec(text)) {
          if (m[0].length === 0) {
            regex.lastIndex++;
            continue;
          }
          let s = score;
          if (spec.validate) {
            const v = spec.validate(m[0]);
            if (v === false) continue;
            if (typeof v === 'number') s = v;
          }
          out.push({ type: spec.entity, start: m.index, end: m.index + m[0].length, score: s, recognizer: spec.name });
        }
      }
      return out;
    },
  };
}

/** A regex source that matches `s` literally. */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Presidio's deny list: these exact values (case-insensitive, as whole words) are always reported
 * as `entity`, with score 1.
 */
export function denyListRecognizer(entity: EntityType, values: readonly string[]): Recognizer {
  const sorted = [...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0))].sort((a, b) => b.length - a.length);
  return patternRecognizer({
    name: `deny-list:${entity}`,
    entity,
    patterns:
      sorted.length === 0 ? [] : [{ regex: new RegExp(`(?<![\\p{L}\\p{N}])(?:${sorted.map(escapeRegex).join('|')})(?![\\p{L}\\p{N}])`, 'giu'), score: 1 }],
  });
}
