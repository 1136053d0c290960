/**
 * @module DATE_TIME: calendar dates (numeric, ISO, and with month names, English first). A date is
 * personal data when it is someone's date of birth, so a bare date scores below the threshold and
 * a context word ("DOB", "born", "date of birth") lifts it; a lower threshold reports every date.
 */
import type { Finding } from '../finding.js';
import { DIGIT_TRIGGER, type Recognizer } from '../recognizer.js';

const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DAY = '(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?';
const YEAR = '(?:1[89]\\d\\d|20\\d\\d)';
const PATTERNS: RegExp[] = [
  // 03/14/1985, 14/03/1985, 14.03.1985, 3-14-85
  new RegExp(`(?<![\\w./-])(?:0?[1-9]|[12]\\d|3[01])([/.-])(?:0?[1-9]|[12]\\d|3[01])\\1(?:${YEAR}|\\d\\d)(?![\\w/-]|\\.\\d)`, 'g'),
  // 1985-03-14, 1985/03/14
  new RegExp(`(?<![\\w./-])${YEAR}([/.-])(?:0?[1-9]|1[0-2])\\1(?:0?[1-9]|[12]\\d|3[01])(?![\\w/-]|\\.\\d|:)`, 'g'),
  // 14 March 1985, 14th of March, 1985
  new RegExp(`(?<![\\w])${DAY}(?: of)? (?:${MONTHS})\\.?,? ${YEAR}(?!\\w)`, 'gi'),
  // March 14, 1985 · July 4th 1979
  new RegExp(`(?<![\\w])(?:${MONTHS})\\.? ${DAY},? ${YEAR}(?!\\w)`, 'gi'),
];

export const dateTimeRecognizer: Recognizer = {
  name: 'date-time',
  entities: ['DATE_TIME'],
  trigger: DIGIT_TRIGGER,
  maxScore: 0.25,
  context: ['dob', 'd.o.b', 'born', 'born on', 'birth', 'date of birth', 'birthday', 'birthdate', 'birth date', 'b'],
  analyze(text) {
    if (!/\d/.test(text)) return [];
    const out: Finding[] = [];
    for (const re of PATTERNS) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        out.push({ type: 'DATE_TIME', start: m.index, end: m.index + m[0].length, score: 0.25, recognizer: 'date-time' });
      }
    }
    return out;
  },
};
