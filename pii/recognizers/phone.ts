/**
 * @module PHONE_NUMBER: libphonenumber-js (Google's libphonenumber metadata, "max" set) finds numbers
 * in international and national formats and keeps only those valid for their region. National
 * numbers are read in the default region (US unless configured).
 */
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import { hasContext, type Recognizer } from '../recognizer.js';
import type { Finding } from '../finding.js';

const CONTEXT = new Set(['phone', 'tel', 'telephone', 'call', 'mobile', 'cell', 'fax', 'contact', 'whatsapp']);
/** A valid number without context words; context raises it as for other recognizers. */
const SCORE = 0.7;
// Seven digits with at most separators between them: the least any valid number has.
const DIGIT_RUN = /\d(?:[\s().\-/]{0,3}\d){6,}/;

export function createPhoneRecognizer(opts: { defaultRegion: string }): Recognizer {
  const region = opts.defaultRegion as CountryCode;
  return {
    name: 'phone',
    entities: ['PHONE_NUMBER'],
    analyze(text) {
      if (!DIGIT_RUN.test(text)) return [];
      const out: Finding[] = [];
      for (const found of findPhoneNumbersInText(text, { defaultCountry: region })) {
        const start = found.startsAt;
        const score = hasContext(text, start, CONTEXT) ? Math.min(1, SCORE + 0.35) : SCORE;
        out.push({ type: 'PHONE_NUMBER', start, end: found.endsAt, score, recognizer: 'phone' });
      }
      return out;
    },
  };
}
