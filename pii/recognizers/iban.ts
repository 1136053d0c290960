/**
 * @module IBAN_CODE: country code, check digits and BBAN, in print form (groups of four) or
 * compact, checked against the country's registered length and ISO 13616's mod-97 rule.
 */
import type { Finding } from '../finding.js';
import { DIGIT_TRIGGER, type Recognizer } from '../recognizer.js';
import { IBAN_LENGTHS, ibanValid } from '../validators.js';

const CANDIDATE = /\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,30}\b/g;

/**
 * A print-form IBAN can run into the next capitalised word ("… 0130 00 IBAN"); the country's
 * registered length says where it ends, so the span is cut there before the checksum.
 */
export const ibanRecognizer: Recognizer = {
  name: 'iban',
  entities: ['IBAN_CODE'],
  trigger: DIGIT_TRIGGER,
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
      // Resume right after the IBAN, so a swallowed next word is looked at again.
      CANDIDATE.lastIndex = m.index + end;
      // A mod-97 checksum over a registered length is conclusive: no context can add to it.
      out.push({ type: 'IBAN_CODE', start: m.index, end: m.index + end, score: 1, recognizer: 'iban' });
    }
    return out;
  },
};
