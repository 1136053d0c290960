/**
 * @module The language stage: detects each doc's language with eld (Efficient Language Detector,
 * n-gram based, 60 languages, its medium data set bundled in the package: no download) and keeps
 * all by default, tagging each; an allow-list drops the rest.
 */
import { eld } from 'eld/medium';
import { z } from 'zod';
import { mapStage, type Stage } from '../stage.js';

/** Characters the detector reads by default. */
const DEFAULT_SAMPLE_CHARS = 2000;

export const languageOptionsSchema = z
  .object({
    /** ISO 639-1 codes to keep; empty keeps every language and only tags it. */
    allow: z.array(z.string().regex(/^[a-z]{2,3}$/, 'an ISO 639-1 code such as "en"')).default([]),
    /** With an allow-list, docs scoring below this are dropped as `lang_low_score`. */
    minScore: z.number().min(0).max(1).default(0),
    /** Characters of text the detector reads; accuracy saturates well before this (eld's own tests use sentences). */
    sampleChars: z.number().int().positive().default(DEFAULT_SAMPLE_CHARS),
  })
  .strict();

export type LanguageOptions = z.infer<typeof languageOptionsSchema>;

/** Below this many characters n-gram statistics are thin, so a page's own lang attribute may decide. */
const SHORT_TEXT_CHARS = 60;

export interface LanguageGuess {
  lang: string;
  /** eld's normalised score of the winner, halved when eld itself calls the result unreliable. */
  score: number;
}

/**
 * Detects the language of the first `sampleChars` of `text`; `hints` (from `<html lang>`) settle
 * short or unreliable cases.
 */
export function detectLanguage(text: string, hints: readonly string[] = [], sampleChars = DEFAULT_SAMPLE_CHARS): LanguageGuess {
  const sample = text.slice(0, sampleChars);
  const result = eld.detect(sample);
  const scores = result.getScores();
  const top = result.language ? (scores[result.language] ?? 0) : 0;
  const reliable = result.isReliable();
  if ((!reliable || sample.length < SHORT_TEXT_CHARS) && hints.length > 0) {
    const hint = hints[0] as string;
    // Trust the page's declared language when the detector has no clear winner and does not rule it out.
    if (!result.language || scores[hint] !== undefined || sample.length < SHORT_TEXT_CHARS) {
      return { lang: hint, score: round(Math.max(scores[hint] ?? 0, 0.5) * 0.8) };
    }
  }
  if (!result.language) return { lang: 'und', score: 0 };
  return { lang: result.language, score: round(reliable ? top : top / 2) };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The stage: sets `doc.lang` and `doc.langScore`; with an allow-list, drops other languages. */
export function createLanguageStage(opts: LanguageOptions): Stage {
  const allow = new Set(opts.allow);
  return mapStage('language', (doc, ctx) => {
    const guess = detectLanguage(doc.text, doc.langHints ?? [], opts.sampleChars);
    ctx.stats.count(`lang_${guess.lang}`);
    if (allow.size > 0) {
      if (!allow.has(guess.lang)) return { drop: 'lang_not_allowed' };
      if (guess.score < opts.minScore) return { drop: 'lang_low_score' };
    }
    return { ...doc, lang: guess.lang, langScore: guess.score };
  });
}
