/**
 * @module Scoring a detector against labelled text, as presidio-research does at the span level:
 * a found span is correct (precision) when it overlaps a gold span of the same type, and a gold
 * span is found (recall) when a found span of its type overlaps it. Only types that occur in the
 * gold file are scored (or those the caller names), so an engine is not charged for finding, say,
 * URLs in a corpus that never labels them. Gold type names are Presidio's; a few common aliases
 * from other corpora (PER, LOC, GPE, ORG, ADDRESS …) are read as their Presidio names.
 */
import { z } from 'zod';
import { PiiError } from './errors.js';

export interface Span {
  type: string;
  start: number;
  end: number;
}

export interface Example {
  text: string;
  entities: Span[];
}

/** Something that finds typed spans in text: our analyzer, or a baseline. */
export interface DetectionEngine {
  readonly name: string;
  /** Types it can report at all; the others score zero recall for it. */
  readonly types: ReadonlySet<string>;
  find(text: string): Span[];
}

export interface Score {
  precision: number;
  recall: number;
  f1: number;
  /** Gold spans of the type. */
  support: number;
  /** Spans the engine reported. */
  predicted: number;
}

export interface Evaluation {
  engine: string;
  examples: number;
  overall: Score;
  byType: Record<string, Score>;
}

export const GOLD_TYPE_ALIASES: Readonly<Record<string, string>> = {
  PER: 'PERSON',
  PERSON_NAME: 'PERSON',
  NAME: 'PERSON',
  LOC: 'LOCATION',
  GPE: 'LOCATION',
  ORG: 'ORGANIZATION',
  ADDRESS: 'STREET_ADDRESS',
  EMAIL: 'EMAIL_ADDRESS',
  PHONE: 'PHONE_NUMBER',
  PHONENUMBER: 'PHONE_NUMBER',
  CREDIT_CARD_NUMBER: 'CREDIT_CARD',
  SSN: 'US_SSN',
  IBAN: 'IBAN_CODE',
  IP: 'IP_ADDRESS',
};

const lineSchema = z.object({
  text: z.string(),
  entities: z.array(z.object({ type: z.string().min(1), start: z.number().int().min(0), end: z.number().int().min(0) })).default([]),
});

/** Parses one line of a gold file; the error names the line and what is wrong, never its text. */
export function parseExample(line: string, lineNo: number, source: string): Example {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new PiiError(`${source}:${lineNo}: not a JSON object`, { code: 'PII_BAD_GOLD' });
  }
  const parsed = lineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PiiError(`${source}:${lineNo}: ${issue?.path.join('.') || 'line'}: ${issue?.message}`, { code: 'PII_BAD_GOLD' });
  }
  const { text, entities } = parsed.data;
  for (const [i, e] of entities.entries()) {
    if (e.end <= e.start || e.end > text.length) {
      throw new PiiError(`${source}:${lineNo}: entities.${i}: span ${e.start}-${e.end} is empty or outside the text (length ${text.length})`, {
        code: 'PII_BAD_GOLD',
      });
    }
  }
  return { text, entities: entities.map((e) => ({ ...e, type: GOLD_TYPE_ALIASES[e.type] ?? e.type })) };
}

const overlaps = (a: Span, b: Span) => a.type === b.type && a.start < b.end && b.start < a.end;

export function evaluate(examples: readonly Example[], engine: DetectionEngine, opts: { types?: readonly string[] } = {}): Evaluation {
  const types = new Set(opts.types ?? examples.flatMap((e) => e.entities.map((s) => s.type)));
  const counts = new Map<string, { tpP: number; pred: number; tpR: number; gold: number }>();
  const c = (t: string) => {
    let v = counts.get(t);
    if (!v) counts.set(t, (v = { tpP: 0, pred: 0, tpR: 0, gold: 0 }));
    return v;
  };
  for (const t of types) c(t);
  for (const ex of examples) {
    const gold = ex.entities.filter((s) => types.has(s.type));
    const found = engine.find(ex.text).filter((s) => types.has(s.type));
    for (const f of found) {
      const k = c(f.type);
      k.pred++;
      if (gold.some((g) => overlaps(f, g))) k.tpP++;
    }
    for (const g of gold) {
      const k = c(g.type);
      k.gold++;
      if (found.some((f) => overlaps(f, g))) k.tpR++;
    }
  }
  const byType: Record<string, Score> = {};
  const total = { tpP: 0, pred: 0, tpR: 0, gold: 0 };
  for (const [t, k] of [...counts.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    byType[t] = score(k);
    total.tpP += k.tpP;
    total.pred += k.pred;
    total.tpR += k.tpR;
    total.gold += k.gold;
  }
  return { engine: engine.name, examples: examples.length, overall: score(total), byType };
}

function score(k: { tpP: number; pred: number; tpR: number; gold: number }): Score {
  // No predictions and nothing to find is perfect; predictions with nothing to find are all wrong.
  const precision = k.pred === 0 ? (k.gold === 0 ? 1 : 0) : k.tpP / k.pred;
  const recall = k.gold === 0 ? 1 : k.tpR / k.gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision: round(precision), recall: round(recall), f1: round(f1), support: k.gold, predicted: k.pred };
}

const round = (x: number) => Math.round(x * 10000) / 10000;
