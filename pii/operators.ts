/**
 * @module Operators turn a finding into its replacement text. Each parses its own params (zod)
 * when the anonymizer is built, so a bad config fails before any text is touched:
 *   replace    `<EMAIL_ADDRESS>` (or `with`), the default
 *   redact     removes the value
 *   mask       `****-****-****-1111`: letters and digits masked except the last `keep`; separators stay
 *   hash       `<PERSON_3f2a…>`: keyed HMAC-SHA256, the same value always gives the same output
 *   pseudonym  `<PERSON_1>`, `<PERSON_2>` … numbered by first appearance in a document or dataset
 *   encrypt    `<PERSON:enc:…>`: AES-256-GCM, reversible with the key (`decryptText`)
 */
import { z } from 'zod';
import { encryptValue, keyedHash, type PiiKeys } from './keys.js';
import type { Finding } from './finding.js';

export const operatorConfigSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('replace'), with: z.string().max(200).optional() }).strict(),
  z.object({ type: z.literal('redact') }).strict(),
  z.object({ type: z.literal('mask'), keep: z.number().int().min(0).max(64).default(4), char: z.string().length(1).default('*') }).strict(),
  z.object({ type: z.literal('hash'), chars: z.number().int().min(8).max(64).default(16) }).strict(),
  z.object({ type: z.literal('pseudonym') }).strict(),
  z.object({ type: z.literal('encrypt') }).strict(),
]);

export type OperatorConfig = z.input<typeof operatorConfigSchema>;
export type ParsedOperatorConfig = z.output<typeof operatorConfigSchema>;
export type OperatorName = ParsedOperatorConfig['type'];
export const OPERATOR_NAMES: readonly OperatorName[] = ['replace', 'redact', 'mask', 'hash', 'pseudonym', 'encrypt'];

/** What an operator may need besides the value: the keys, and the pseudonym numbering in force. */
export interface OperatorState {
  keys?: PiiKeys;
  pseudonym(type: string, canonical: string): number;
}

/**
 * The form of a value that two spellings of it share, so that hashes and pseudonyms agree:
 * "Jane@Example.com" and "jane@example.com", "4111 1111 1111 1111" and "4111-1111-1111-1111".
 */
export function canonicalValue(type: string, value: string): string {
  const v = value.normalize('NFKC').trim().replace(/\s+/g, ' ');
  if (/^(?:CREDIT_CARD|US_SSN|US_ITIN|US_BANK_NUMBER|ABA_ROUTING_NUMBER|UK_NHS|PHONE_NUMBER)$/.test(type)) return v.replace(/\D/g, '');
  if (/^(?:IBAN_CODE|UK_NINO)$/.test(type)) return v.replace(/[\s-]/g, '').toUpperCase();
  if (/^(?:EMAIL_ADDRESS|URL|MAC_ADDRESS|IP_ADDRESS|PERSON|LOCATION|ORGANIZATION|STREET_ADDRESS)$/.test(type)) return v.toLowerCase();
  return v;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

export function applyOperator(op: ParsedOperatorConfig, value: string, finding: Finding, state: OperatorState): string {
  switch (op.type) {
    case 'replace':
      return op.with ?? `<${finding.type}>`;
    case 'redact':
      return '';
    case 'mask': {
      // By code point, so a letter outside the BMP is masked whole, not as two half characters.
      const chars = Array.from(value);
      let keep = op.keep;
      for (let i = chars.length - 1; i >= 0; i--) {
        if (!LETTER_OR_DIGIT.test(chars[i] as string)) continue;
        if (keep > 0) keep--;
        else chars[i] = op.char;
      }
      return chars.join('');
    }
    case 'hash':
      return `<${finding.type}_${keyedHash(requireKeys(state), finding.type, canonicalValue(finding.type, value)).slice(0, op.chars)}>`;
    case 'pseudonym':
      return `<${finding.type}_${state.pseudonym(finding.type, canonicalValue(finding.type, value))}>`;
    case 'encrypt':
      return `<${finding.type}:enc:${encryptValue(requireKeys(state), finding.type, value)}>`;
  }
}

function requireKeys(state: OperatorState): PiiKeys {
  // The anonymizer checks for a key when it is built; this guards direct callers.
  if (!state.keys) throw new Error('hash and encrypt need a key');
  return state.keys;
}
