/**
 * @module Redacting records: the string values of a JSON object (all of them, or named fields,
 * with dotted paths reaching into nested objects and arrays). One record is one document for
 * pseudonym numbering, so the same person is `<PERSON_1>` in every field of it. Object keys are
 * data too (`{"jane@x.org": …}`): a key holding personal data is transformed like a value, and
 * field paths are reported with the transformed keys, so an audit log never carries a value.
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
export function redactRecord(
  record: unknown,
  analyzer: Analyzer,
  anonymizer: Anonymizer,
  opts: { fields?: readonly string[]; language?: string; seen?: Set<string> } = {},
): RedactedRecord {
  const scope = anonymizer.scope();
  const findings: RecordFindings[] = [];
  const wanted = opts.fields && opts.fields.length > 0 ? opts.fields : undefined;
  const selected = (path: string) => {
    if (!wanted) return true;
    const field = wanted.find((f) => path === f || path.startsWith(f + '.'));
    if (field !== undefined) opts.seen?.add(field);
    return field !== undefined;
  };
  const language = opts.language ? { language: opts.language } : {};
  const redactKey = (key: string) => {
    const found = analyzer.analyze(key, language);
    return found.length === 0 ? key : scope.anonymize(key, found).text;
  };
  // `path` uses the keys as written (what --fields selects by); `shown` the transformed keys
  // (what the report says, so it never carries a value).
  const walk = (value: unknown, path: string, shown: string): unknown => {
    if (typeof value === 'string') {
      if (!selected(path)) return value;
      const found = analyzer.analyze(value, language);
      if (found.length === 0) return value;
      findings.push({ field: shown, findings: found });
      return scope.anonymize(value, found).text;
    }
    const join = (base: string, key: string) => (base ? `${base}.${key}` : key);
    if (Array.isArray(value)) return value.map((v, i) => walk(v, join(path, String(i)), join(shown, String(i))));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const clean = redactKey(k);
        // Two keys that become the same placeholder must not overwrite each other.
        let key = clean;
        for (let n = 2; key !== k && Object.hasOwn(out, key); n++) key = `${clean}#${n}`;
        out[key] = walk(v, join(path, k), join(shown, key));
      }
      return out;
    }
    return value;
  };
  return { record: walk(record, '', ''), findings };
}
