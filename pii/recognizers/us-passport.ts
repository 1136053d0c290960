/**
 * @module US_PASSPORT: nine digits (book) or a letter and eight digits (next-generation passport
 * since 2021). Nothing in the number itself sets it apart, so it counts only after a context word.
 */
import { DIGIT_TRIGGER, patternRecognizer } from '../recognizer.js';

export const usPassportRecognizer = patternRecognizer({
  name: 'us-passport',
  entity: 'US_PASSPORT',
  trigger: DIGIT_TRIGGER,
  patterns: [{ regex: /(?<![\w-])(?:[A-Z]\d{8}|\d{9})(?![\w-])/g, score: 0.2 }],
  negativeContext: ['order', 'invoice', 'tracking', 'ticket', 'ref', 'reference', 'sku', 'isbn', 'case', 'confirmation', 'receipt'],
  context: ['passport', 'passport number', 'passport no', 'passport#', 'travel document'],
});
