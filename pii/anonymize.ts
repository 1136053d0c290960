/**
 * @module Operators turn findings into replacement text: `replace` (a typed placeholder such as
 * `<EMAIL_ADDRESS>`, the default) and `redact` (remove). Each operator is chosen per entity type.
 */
import type { EntityType, Finding } from './finding.js';

export type OperatorName = 'replace' | 'redact';

export interface AnonymizedText {
  text: string;
  /** What was replaced where, in output offsets; never the original value. */
  items: Array<{ type: EntityType; start: number; end: number; operator: OperatorName }>;
}

const OPERATORS: Record<OperatorName, (f: Finding) => string> = {
  replace: (f) => `<${f.type}>`,
  redact: () => '',
};

/** Applies the operators to non-overlapping findings (as the analyzer returns them). */
export function anonymize(text: string, findings: readonly Finding[], operators: Partial<Record<EntityType, OperatorName>> = {}): AnonymizedText {
  const sorted = [...findings].sort((a, b) => a.start - b.start);
  let out = '';
  let cursor = 0;
  const items: AnonymizedText['items'] = [];
  for (const f of sorted) {
    if (f.start < cursor) continue;
    const operator = operators[f.type] ?? 'replace';
    const replacement = OPERATORS[operator](f);
    out += text.slice(cursor, f.start);
    items.push({ type: f.type, start: out.length, end: out.length + replacement.length, operator });
    out += replacement;
    cursor = f.end;
  }
  return { text: out + text.slice(cursor), items };
}
