/**
 * @module A `Finding`: one span of personal data in a text, with the score that decides whether
 * it is redacted. Offsets are UTF-16 code units, as JavaScript strings index them.
 */

/** Entity type names as Presidio names them. */
export type EntityType = 'EMAIL_ADDRESS' | 'PHONE_NUMBER' | 'CREDIT_CARD' | 'IBAN_CODE' | 'US_SSN' | 'IP_ADDRESS' | 'PERSON';

export const ENTITY_TYPES: readonly EntityType[] = ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IBAN_CODE', 'US_SSN', 'IP_ADDRESS', 'PERSON'];

export interface Finding {
  type: EntityType;
  start: number;
  end: number;
  /** Confidence in [0, 1] after validation and context. */
  score: number;
  /** Name of the recognizer that found it. */
  recognizer: string;
}
