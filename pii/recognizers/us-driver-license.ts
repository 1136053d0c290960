/**
 * @module US_DRIVER_LICENSE: the shapes state licences take (a letter and 4–14 digits, 7–9 digits,
 * Florida's, Illinois's and Wisconsin's dashed groups, the spaced groups New York, Pennsylvania,
 * New Jersey and Michigan print, Washington's letter-and-asterisk form). Each shape is
 * common elsewhere, so a match counts only after a context word.
 */
import { DIGIT_TRIGGER, patternRecognizer } from '../recognizer.js';

export const usDriverLicenseRecognizer = patternRecognizer({
  name: 'us-driver-license',
  entity: 'US_DRIVER_LICENSE',
  trigger: DIGIT_TRIGGER,
  patterns: [
    { regex: /(?<![\w-])[A-Z]\d{3}-\d{3}-\d{2}-\d{3}-\d(?![\w-])/g, score: 0.4 },
    { regex: /(?<![\w-])[A-Z]\d{3}-\d{4}-\d{4}(?:-\d{2})?(?![\w-])/g, score: 0.4 },
    // Printed in groups: New York's nine digits in threes, Pennsylvania's 2-3-3, New Jersey's
    // letter and 14 digits as 5-5-5, Michigan's letter and 12 digits in threes.
    { regex: /(?<![\w-])(?:\d{3} \d{3} \d{3}|\d{2} \d{3} \d{3}|[A-Z]\d{4} \d{5} \d{5}|[A-Z] \d{3} \d{3} \d{3} \d{3})(?![\w-])/g, score: 0.2 },
    { regex: /(?<![\w-])(?:[A-Z]{1,2}\d{4,14}|\d{7,9}|[A-Z]{5}[A-Z*]{2}\d{3}[A-Z0-9]{2})(?![\w-])/g, score: 0.2 },
  ],
  negativeContext: ['order', 'invoice', 'tracking', 'ticket', 'ref', 'reference', 'sku', 'isbn', 'case', 'confirmation', 'receipt'],
  context: [
    "driver's license",
    'drivers license',
    'driver license',
    "driver's licence",
    'driving licence',
    'dl',
    'dl#',
    'license number',
    'licence number',
    'license no',
    'dmv',
    'driving license',
    'operator license',
  ],
});
