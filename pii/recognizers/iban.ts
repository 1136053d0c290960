/**
 * @module IBAN_CODE: country code, check digits and BBAN, in print form (groups of four) or
 * compact, checked against the country's registered length and ISO 13616's mod-97 rule.
 */
import type { Finding } from '../finding.js';
import type { Recognizer } from '../recognizer.js';

/** IBAN lengths by country (SWIFT IBAN Registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18,
  GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32,
  LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24,
  PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28,
  TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 must be 1. */
export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/[ -]/g, '').toUpperCase();
  if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const v = code >= 65 ? String(code - 55) : ch;
    for (const digit of v) rem = (rem * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

const CANDIDATE = /\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,30}\b/g;
const SCORE = 1;

/**
 * A print-form IBAN can run into the next capitalised word ("… 0130 00 IBAN"); the country's
 * registered length says where it ends, so the span is cut there before the checksum.
 */
export const ibanRecognizer: Recognizer = {
  name: 'iban',
  entities: ['IBAN_CODE'],
  analyze(text) {
    const out: Finding[] = [];
    CANDIDATE.lastIndex = 0;
    for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
      const length = IBAN_LENGTHS[m[0].slice(0, 2)];
      if (!length) continue;
      let kept = 0;
      let end = 0;
      while (end < m[0].length && kept < length) {
        if (m[0][end] !== ' ' && m[0][end] !== '-') kept++;
        end++;
      }
      const value = m[0].slice(0, end);
      if (kept !== length || !ibanValid(value)) continue;
      // Resume scanning right after the IBAN, so a swallowed next word is looked at again.
      CANDIDATE.lastIndex = m.index + end;
      // A valid mod-97 checksum over a registered length is conclusive; context cannot add to it.
      out.push({ type: 'IBAN_CODE', start: m.index, end: m.index + end, score: SCORE, recognizer: 'iban' });
    }
    return out;
  },
};
