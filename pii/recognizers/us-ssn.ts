/**
 * @module US_SSN: AAA-GG-SSSS with the ranges the SSA never issues rejected. Published sample
 * numbers (078-05-1120 …) are still redacted: leaking a well-formed SSN costs more than hiding a
 * known sample. Nine bare digits count only with a context word such as "SSN".
 */
import { DIGIT_TRIGGER, patternRecognizer } from '../recognizer.js';
import { ssnValid } from '../validators.js';

export const usSsnRecognizer = patternRecognizer({
  name: 'us-ssn',
  entity: 'US_SSN',
  trigger: DIGIT_TRIGGER,
  guard: (t) => /\d{3}/.test(t),
  patterns: [
    // The same separator on both sides: "123-45-6789" or "123 45 6789".
    { regex: /(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])/g, score: 0.5 },
    { regex: /(?<![\d-])\d{9}(?![\d-])/g, score: 0.2 },
  ],
  context: ['ssn', 'ssns', 'social security', 'social security number', 'ss#', 'ssa', 'social'],
  negativeContext: ['order', 'invoice', 'tracking', 'itin', 'phone', 'routing'],
  validate: ssnValid,
});
