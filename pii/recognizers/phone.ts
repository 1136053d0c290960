/**
 * @module PHONE_NUMBER: a cheap scan finds digit runs shaped like phone numbers; libphonenumber-js
 * (Google's libphonenumber metadata, "max" set) parses each and keeps those valid for their region,
 * in international and national formats. National numbers are read in the default region (US
 * unless configured).
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { hasContext, type Recognizer } from '../recognizer.js';
import type { Finding } from '../finding.js';

const CONTEXT = new Set(['phone', 'tel', 'telephone', 'call', 'mobile', 'cell', 'fax', 'contact', 'whatsapp']);
/** A valid number without context words; context raises it as for other recognizers. */
const SCORE = 0.7;
// Candidate spans: an optional "+" or "(", then at least seven digits with at most a few separators
// between them (the least any valid number has). libphonenumber then reads only these spans, not
// the whole text: its matcher costs ~0.5 ms per 5 KB of prose, this pre-scan almost nothing.
const CANDIDATE = /(?:\+|\()?\d(?:[ \t().\-/]{0,3}\d){6,}(?:\s*(?:ext\.?|x)\s*\d{1,5})?/g;

export function createPhoneRecognizer(opts: { defaultRegion: string }): Recognizer {
  const region = opts.defaultRegion as CountryCode;
  return {
    name: 'phone',
    entities: ['PHONE_NUMBER'],
    analyze(text) {
      const out: Finding[] = [];
      CANDIDATE.lastIndex = 0;
      for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
        // A digit run glued to letters or other digits ("A1234567", "v2.3.4567890") is not a phone number.
        const before = text[m.index - 1];
        if (before !== undefined && /[\p{L}\d]/u.test(before)) continue;
        // A candidate is one number or none (a card, an SSN, a date): parsing it costs ~15 µs,
        // where libphonenumber's text search costs ~60 µs a candidate. Trailing separators are
        // not part of the number.
        const value = m[0].replace(/[\s.(\-/]+$/, '');
        if (!parsePhoneNumberFromString(value, region)?.isValid()) continue;
        const score = hasContext(text, m.index, CONTEXT) ? Math.min(1, SCORE + 0.35) : SCORE;
        out.push({ type: 'PHONE_NUMBER', start: m.index, end: m.index + value.length, score, recognizer: 'phone' });
      }
      return out;
    },
  };
}
