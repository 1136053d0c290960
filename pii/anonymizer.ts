/**
 * @module The anonymizer: applies an operator per entity type to the analyzer's findings. Its
 * output lists what was replaced where (output offsets, type, operator), never the values.
 *
 * Pseudonyms are numbered within a scope: `document` (the default) starts again at `<PERSON_1>`
 * for each `scope()`; `dataset` keeps one numbering for the anonymizer's lifetime, so the same
 * person is `<PERSON_7>` in every record it processes.
 */
import { PiiError } from './errors.js';
import type { EntityType, Finding } from './finding.js';
import { decryptValue, deriveKeys, type PiiKeys } from './keys.js';
import { applyOperator, operatorConfigSchema, type OperatorConfig, type OperatorState, type ParsedOperatorConfig } from './operators.js';

export interface AnonymizedText {
  text: string;
  /** What was replaced where, in output offsets; never the original value. */
  items: Array<{ type: EntityType; start: number; end: number; operator: ParsedOperatorConfig['type'] }>;
}

export type PseudonymScope = 'document' | 'dataset';

export interface AnonymizerOptions {
  /** Operator per entity type; `DEFAULT` for the rest (default `replace`). */
  operators?: Readonly<Record<string, OperatorConfig>>;
  /** Secret for `hash` and `encrypt` (at least 16 bytes). */
  key?: string | Uint8Array;
  pseudonymScope?: PseudonymScope;
}

/** A numbering of pseudonyms: one per document, or one shared by a dataset. */
export interface Scope {
  anonymize(text: string, findings: readonly Finding[]): AnonymizedText;
}

export interface Anonymizer extends Scope {
  /** A new numbering for `document` scope; the shared one for `dataset` scope. */
  scope(): Scope;
  /** The operator that applies to a type. */
  operatorFor(type: EntityType): ParsedOperatorConfig;
}

export function createAnonymizer(opts: AnonymizerOptions = {}): Anonymizer {
  const operators = new Map<string, ParsedOperatorConfig>();
  for (const [type, config] of Object.entries(opts.operators ?? {})) {
    const parsed = operatorConfigSchema.safeParse(config);
    if (!parsed.success) {
      throw new PiiError(`operator for ${type} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'type'}: ${i.message}`).join('; ')}`, {
        code: 'PII_BAD_OPERATOR',
      });
    }
    operators.set(type, parsed.data);
  }
  const fallback = operators.get('DEFAULT') ?? { type: 'replace' as const };
  const needsKey = [...operators.entries()].filter(([, op]) => op.type === 'hash' || op.type === 'encrypt');
  if (needsKey.length > 0 && opts.key === undefined) {
    const [type, op] = needsKey[0] as [string, ParsedOperatorConfig];
    throw new PiiError(`the ${op.type} operator (for ${type}) needs a key: set LUMORA_PII_KEY or pass one`, { code: 'PII_KEY_MISSING' });
  }
  const keys = opts.key === undefined ? undefined : deriveKeys(opts.key);
  const operatorFor = (type: EntityType) => operators.get(type) ?? fallback;
  const newScope = (): Scope => {
    const numbers = new Map<string, Map<string, number>>();
    const state: OperatorState = {
      ...(keys ? { keys } : {}),
      pseudonym(type, canonical) {
        let byValue = numbers.get(type);
        if (!byValue) numbers.set(type, (byValue = new Map()));
        let n = byValue.get(canonical);
        if (n === undefined) byValue.set(canonical, (n = byValue.size + 1));
        return n;
      },
    };
    return { anonymize: (text, findings) => applyAll(text, findings, operatorFor, state) };
  };
  const shared = newScope();
  const datasetScope = opts.pseudonymScope === 'dataset';
  return {
    anonymize: (text, findings) => (datasetScope ? shared : newScope()).anonymize(text, findings),
    scope: () => (datasetScope ? shared : newScope()),
    operatorFor,
  };
}

function applyAll(text: string, findings: readonly Finding[], operatorFor: (t: EntityType) => ParsedOperatorConfig, state: OperatorState): AnonymizedText {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let cursor = 0;
  const items: AnonymizedText['items'] = [];
  for (const f of sorted) {
    // Overlapping findings should not reach here (the analyzer resolves them); if they do, the
    // first one wins and the rest of the overlapping text is covered by it.
    if (f.start < cursor) continue;
    const op = operatorFor(f.type);
    const replacement = applyOperator(op, text.slice(f.start, f.end), f, state);
    out += text.slice(cursor, f.start);
    items.push({ type: f.type, start: out.length, end: out.length + replacement.length, operator: op.type });
    out += replacement;
    cursor = f.end;
  }
  return { text: out + text.slice(cursor), items };
}

/** Replaces findings with `<TYPE>` placeholders: the anonymizer's default, as a function. */
export function anonymize(text: string, findings: readonly Finding[]): AnonymizedText {
  return DEFAULT_ANONYMIZER.anonymize(text, findings);
}
const DEFAULT_ANONYMIZER = createAnonymizer();

const ENCRYPTED = /<([A-Z][A-Z0-9_]{0,63}):enc:([A-Za-z0-9_-]{38,})>/g;

/** Restores every value the `encrypt` operator wrote into `text`. */
export function decryptText(text: string, key: string | Uint8Array): string {
  const keys: PiiKeys = deriveKeys(key);
  return text.replace(ENCRYPTED, (_, type: string, token: string) => decryptValue(keys, type, token));
}
