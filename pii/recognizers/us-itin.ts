/**
 * @module US_ITIN: the IRS's Individual Taxpayer Identification Number, 9XX-GG-XXXX with the
 * group in the ranges the IRS assigns (50–65, 70–88, 90–92, 94–99).
 */
import { DIGIT_TRIGGER, patternRecognizer } from '../recognizer.js';
import { itinValid } from '../validators.js';

export const usItinRecognizer = patternRecognizer({
  name: 'us-itin',
  entity: 'US_ITIN',
  trigger: DIGIT_TRIGGER,
  guard: (t) => t.includes('9'),
  patterns: [
    { regex: /(?<![\d-])9\d{2}([- ])\d{2}\1\d{4}(?![\d-])/g, score: 0.5 },
    { regex: /(?<![\d-])9\d{8}(?![\d-])/g, score: 0.2 },
  ],
  context: ['itin', 'taxpayer', 'tax id', 'tax identification', 'individual taxpayer', 'tin'],
  validate: itinValid,
});
