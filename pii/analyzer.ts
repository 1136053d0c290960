/**
 * @module The analyzer: runs the recognizers, drops findings under the score threshold, and
 * resolves overlaps. Overlap rule: the higher score wins; at equal scores the longer span wins;
 * a finding is dropped only when it overlaps one that won, so a strong finding is never lost to a
 * weaker, longer one that contains it.
 */
import type { EntityType, Finding } from './finding.js';
import type { Recognizer } from './recognizer.js';

export interface Analyzer {
  analyze(text: string): Finding[];
}

/** Presidio's default threshold for returning a finding is 0; we redact at 0.5, where a bare validated match sits. */
export const DEFAULT_SCORE_THRESHOLD = 0.5;

export function createAnalyzer(opts: { recognizers: readonly Recognizer[]; entities?: readonly EntityType[]; scoreThreshold?: number }): Analyzer {
  const threshold = opts.scoreThreshold ?? DEFAULT_SCORE_THRESHOLD;
  const wanted = opts.entities ? new Set(opts.entities) : undefined;
  const recognizers = wanted ? opts.recognizers.filter((r) => r.entities.some((e) => wanted.has(e))) : opts.recognizers;
  return {
    analyze(text) {
      const all: Finding[] = [];
      for (const r of recognizers) {
        for (const f of r.analyze(text)) if (f.score >= threshold && (!wanted || wanted.has(f.type))) all.push(f);
      }
      return resolveOverlaps(all);
    },
  };
}

/** Keeps non-overlapping findings by score, then length; returns them in text order. */
export function resolveOverlaps(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  const ranked = [...findings].sort((a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Finding[] = [];
  for (const f of ranked) if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  return kept.sort((a, b) => a.start - b.start);
}
