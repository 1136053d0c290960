/**
 * @module Redacting records: the string values of a JSON object (all of them, or named fields,
 * with dotted paths reaching into nested objects and arrays). One record is one document for
 * pseudonym numbering, so the same person is `<PERSON_1>` in every field of it.
 */
import type { Analyzer } from './analyzer.js';
import type { Anonymizer } from './anonymizer.js';
import type { Finding } from './finding.js';

export interface RecordFindings {
  /** Dotted path of the field ("author.name", "comments.2"). */
  field: string;
  findings: Finding[];
}

export interface RedactedRecord {
  record: unknown;
  findings: RecordFindings[];
}

/**
 * Returns a redacted copy of `record`. With `fields`, only those paths (and everything under
 * them) are read; without, every string in the record is.
 */
export function redactRecord(record: unknown, analyzer: Analyzer, anonymizer: Anonymizer, opts: { fields?: readonly string[]; language?: string } = {}): RedactedRecord {
  const scope = anonymizer.scope();
  const findings: RecordFindings[] = [];
  const wanted = opts.fields && opts.fields.length > 0 ? opts.fields : undefined;
  const selected = (path: string) => !wanted || wanted.some((f) => path === f || path.startsWith(f + '.'));
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') {
      if (!selected(path)) return value;
      const found = analyzer.analyze(value, opts.language ? { language: opts.language } : {});
      if (found.length === 0) return value;
      findings.push({ field: path, findings: found });
      return scope.anonymize(value, found).text;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, path ? `${path}.${i}` : String(i)));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v, path ? `${path}.${k}` : k);
      return out;
    }
    return value;
  };
  return { record: walk(record, ''), findings };
}
