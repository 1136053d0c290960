/**
 * @module US_SSN: AAA-GG-SSSS with the ranges the SSA never issues rejected (area 000, 666 and
 * 900–999, group 00, serial 0000; SSA "Social Security Number Randomization", 2011). Published
 * sample numbers (078-05-1120 …) are still redacted: leaking a well-formed SSN costs more than
 * hiding a known sample. Nine bare digits count only with a context word such as "SSN".
 */
import { patternRecognizer } from '../recognizer.js';

/** True when the digits could be an SSN the SSA issued. */
export function ssnValid(match: string): boolean {
  const d = match.replace(/[ -]/g, '');
  if (d.length !== 9) return false;
  const area = d.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return false;
  return !/^(\d)\1{8}$/.test(d);
}

export const usSsnRecognizer = patternRecognizer({
  name: 'us-ssn',
  entity: 'US_SSN',
  guard: (t) => /\d{3}/.test(t),
  patterns: [
    // Same separator on both sides: "123-45-6789" or "123 45 6789".
    { regex: /(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])/g, score: 0.5 },
    { regex: /(?<![\d-])\d{9}(?![\d-])/g, score: 0.2 },
  ],
  context: ['ssn', 'ssns', 'social', 'security', 'ss', 'ssa', 'taxpayer'],
  validate: ssnValid,
});
