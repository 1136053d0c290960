/**
 * @module A `Finding`: one span of personal data in a text, with the score that decides whether
 * it is redacted. Offsets are UTF-16 code units, as JavaScript strings index them.
 */

/**
 * The entity types the built-in recognizers find, named as Presidio names them. `STREET_ADDRESS`
 * is presidio-research's name (Presidio itself ships no address recognizer); `SECRET` (API keys,
 * tokens, private keys) has no Presidio counterpart.
 */
export const ENTITY_TYPES = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'US_ITIN',
  'US_PASSPORT',
  'US_DRIVER_LICENSE',
  'US_BANK_NUMBER',
  'ABA_ROUTING_NUMBER',
  'UK_NHS',
  'UK_NINO',
  'IP_ADDRESS',
  'MAC_ADDRESS',
  'URL',
  'CRYPTO',
  'DATE_TIME',
  'PERSON',
  'LOCATION',
  'ORGANIZATION',
  'STREET_ADDRESS',
  'SECRET',
] as const;

export type BuiltinEntityType = (typeof ENTITY_TYPES)[number];
/** A built-in type, or one a custom recognizer from config declares (`EMPLOYEE_ID`). */
export type EntityType = BuiltinEntityType | (string & {});

/** Upper snake case, as Presidio's names: the form a custom entity name must take. */
export const ENTITY_NAME = /^[A-Z][A-Z0-9_]{1,63}$/;

export interface Finding {
  type: EntityType;
  start: number;
  end: number;
  /** Confidence in [0, 1] after validation and context. */
  score: number;
  /** Name of the recognizer that found it. */
  recognizer: string;
}

/** A finding as `lumora pii` output and audit logs show it: these fields only, in this order, the score to two decimals. */
export function publicFinding(f: Finding): Finding {
  return { type: f.type, start: f.start, end: f.end, score: Math.round(f.score * 100) / 100, recognizer: f.recognizer };
}
