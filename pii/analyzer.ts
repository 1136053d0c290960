/**
 * @module The analyzer: runs the recognizers, applies context words, the allow list and the score
 * threshold, and resolves overlaps.
 *
 * Overlap rule: findings are ranked by score, then by length (longer first), then by position;
 * a finding is kept unless it overlaps one ranked above it. So a strong finding is never lost to
 * a weaker, longer one that contains it, and at equal scores the longer span wins.
 */
import { CONTEXT_BOOST, CONTEXT_LOOKBACK_WORDS, contextIn, contextWords, words, wordsBefore, type ContextWords } from './context.js';
import type { EntityType, Finding } from './finding.js';
import type { AnalysisContext, ContextSpec, Recognizer, Trigger } from './recognizer.js';
import { triggerWindows } from './windows.js';

export interface Analyzer {
  /** Findings in text order, non-overlapping, each at or above the threshold. */
  analyze(text: string, opts?: Partial<AnalysisContext>): Finding[];
}

/**
 * A bare validated match (a Luhn-valid card, a libphonenumber-valid phone) scores at least this;
 * a weak pattern (nine bare digits) needs a context word to reach it. Presidio returns everything
 * above 0 and leaves the cut to the caller; a redaction engine has to choose.
 */
export const DEFAULT_SCORE_THRESHOLD = 0.5;

export interface AnalyzerOptions {
  recognizers: readonly Recognizer[];
  /** Only these types are reported (default: every type the recognizers find). */
  entities?: readonly EntityType[];
  scoreThreshold?: number;
  /** Language of texts when a call does not say (default "en"). */
  language?: string;
  /** Values never reported, whatever finds them (exact match after trimming, case-insensitive). */
  allowList?: readonly string[];
}

interface CompiledRecognizer {
  recognizer: Recognizer;
  /** For a recognizer that needs a context word: a trigger on those words. */
  contextTrigger: Trigger | undefined;
  context: Map<string, ContextWords>;
  negative: Map<string, ContextWords>;
}

/** Characters after a context word that can hold the five words and the value it introduces. */
const CONTEXT_REACH = 120;

/**
 * For a recognizer that cannot reach the threshold without a context word, a trigger on those
 * words (whole, case-insensitive; a phrase by its first word): the value must follow one of them
 * within five words. Undefined when the recognizer can reach the threshold alone, or its context
 * is given per language.
 */
function contextTrigger(r: Recognizer, threshold: number): Trigger | undefined {
  if (r.maxScore === undefined || r.maxScore >= threshold || !Array.isArray(r.context)) return undefined;
  const first = [...new Set((r.context as readonly string[]).map((w) => words(w)[0]).filter((w): w is string => w !== undefined))];
  if (first.length === 0) return undefined;
  const alternatives = first.map((w) => w.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&').replace(/'/g, "['’]"));
  // \b rather than Unicode look-arounds: context lists are English words, and V8 runs \p classes slowly.
  return { pattern: new RegExp(`\\b(?:${alternatives.join('|')})\\b`, 'gi'), before: 0, after: CONTEXT_REACH };
}

export function createAnalyzer(opts: AnalyzerOptions): Analyzer {
  const threshold = opts.scoreThreshold ?? DEFAULT_SCORE_THRESHOLD;
  const wanted = opts.entities ? new Set(opts.entities) : undefined;
  const allow = new Set((opts.allowList ?? []).map((v) => v.trim().toLowerCase()));
  const defaultLanguage = opts.language ?? 'en';
  const compiled: CompiledRecognizer[] = opts.recognizers
    .filter((r) => !wanted || r.entities.some((e) => wanted.has(e)))
    // One that cannot reach the threshold even with a context word never reports anything.
    .filter((r) => r.maxScore === undefined || r.maxScore + (r.context ? CONTEXT_BOOST : 0) >= threshold)
    .map((recognizer) => ({ recognizer, contextTrigger: contextTrigger(recognizer, threshold), context: new Map(), negative: new Map() }));

  return {
    analyze(text, call = {}) {
      const ctx: AnalysisContext = { language: call.language ?? defaultLanguage };
      const all: Finding[] = [];
      // The windows of a trigger are computed once and shared by its recognizers.
      const windows = new Map<Trigger, Window[]>();
      const windowsOf = (trigger: Trigger) => {
        let w = windows.get(trigger);
        if (!w) windows.set(trigger, (w = slices(text, triggerWindows(text, trigger))));
        return w;
      };
      // Several recognizers often find the same number: the words before it are read once.
      const before = new Map<number, string[]>();
      const wordsAt = (start: number) => {
        let w = before.get(start);
        if (!w) before.set(start, (w = wordsBefore(text, start, CONTEXT_LOOKBACK_WORDS)));
        return w;
      };
      for (const c of compiled) {
        const r = c.recognizer;
        if (r.languages && !r.languages.includes(ctx.language)) continue;
        let trigger = r.trigger;
        // Where its own trigger would show it the whole text (a page full of numbers), a recognizer
        // that needs a context word reads only what follows those words.
        if (c.contextTrigger && (!trigger || windowsOf(trigger)[0]?.text === text)) trigger = c.contextTrigger;
        const found = trigger ? analyzeWindows(r, windowsOf(trigger), ctx) : r.analyze(text, ctx);
        if (found.length === 0) continue;
        const positive = contextFor(c.context, r.context, ctx.language);
        const negative = contextFor(c.negative, r.negativeContext, ctx.language);
        for (const f of found) {
          if (wanted && !wanted.has(f.type)) continue;
          // Below the threshold even with a context word: no need to look for one.
          if (f.score + (positive ? CONTEXT_BOOST : 0) < threshold) continue;
          let score = f.score;
          if (positive && score < 1 && contextIn(wordsAt(f.start), positive)) score = Math.min(1, score + CONTEXT_BOOST);
          if (negative && contextIn(wordsAt(f.start), negative)) score = Math.max(0, score - CONTEXT_BOOST);
          // Rounded so that 0.3 + 0.35 reads 0.65 in reports, not 0.6499999999999999.
          score = Math.round(score * 1000) / 1000;
          if (score < threshold) continue;
          if (allow.size > 0 && allow.has(text.slice(f.start, f.end).trim().toLowerCase())) continue;
          all.push(score === f.score ? f : { ...f, score });
        }
      }
      return resolveOverlaps(all);
    },
  };
}

/** A stretch of the text a triggered recognizer reads, and where it starts. */
interface Window {
  start: number;
  text: string;
}

function slices(text: string, windows: Array<[number, number]>): Window[] {
  return windows.map(([start, end]) => ({ start, text: start === 0 && end === text.length ? text : text.slice(start, end) }));
}

/** Runs a recognizer on each window and shifts its findings back to text offsets. */
function analyzeWindows(r: Recognizer, windows: Window[], ctx: AnalysisContext): Finding[] {
  const out: Finding[] = [];
  for (const { start, text } of windows) {
    for (const f of r.analyze(text, ctx)) {
      // Findings are fresh objects from the recognizer: shifting them in place spares a copy.
      f.start += start;
      f.end += start;
      out.push(f);
    }
  }
  return out;
}

/** The compiled context words of a recognizer for a language, cached per language. */
function contextFor(cache: Map<string, ContextWords>, spec: ContextSpec | undefined, language: string): ContextWords | undefined {
  if (!spec) return undefined;
  let c = cache.get(language);
  if (!c) {
    // A plain list holds for every language: "SSN" or "IBAN" mark the value in any language's text.
    const list = isList(spec) ? spec : (spec[language] ?? spec['*'] ?? []);
    c = contextWords(list);
    cache.set(language, c);
  }
  return c.words.size > 0 || c.phrases.length > 0 ? c : undefined;
}

function isList(spec: ContextSpec): spec is readonly string[] {
  return Array.isArray(spec);
}

/**
 * Keeps non-overlapping findings by score, then length; returns them in text order. Findings
 * are first grouped into clusters of mutually reachable overlaps (a sweep in text order), and the
 * ranking runs inside each cluster, so a text with thousands of findings stays O(n log n).
 */
export function resolveOverlaps(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  const byStart = [...findings].sort((a, b) => a.start - b.start);
  const kept: Finding[] = [];
  let cluster: Finding[] = [];
  let clusterEnd = -1;
  const settle = () => {
    if (cluster.length === 1) kept.push(cluster[0] as Finding);
    else if (cluster.length > 1) {
      const ranked = cluster.sort((a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start);
      const chosen: Finding[] = [];
      for (const f of ranked) if (!chosen.some((k) => f.start < k.end && k.start < f.end)) chosen.push(f);
      kept.push(...chosen);
    }
    cluster = [];
  };
  for (const f of byStart) {
    if (f.start >= clusterEnd) settle();
    cluster.push(f);
    clusterEnd = Math.max(clusterEnd, f.end);
  }
  settle();
  return kept.sort((a, b) => a.start - b.start);
}
