/**
 * @module US_BANK_NUMBER: 8–17 digits, the length US bank account numbers take. Banks publish no
 * checksum for them, so only a context word ("account number", "acct") makes one count.
 */
import { DIGIT_TRIGGER, patternRecognizer } from '../recognizer.js';

export const usBankNumberRecognizer = patternRecognizer({
  name: 'us-bank-number',
  entity: 'US_BANK_NUMBER',
  trigger: DIGIT_TRIGGER,
  guard: (t) => /\d{8}/.test(t),
  patterns: [{ regex: /(?<![\w-])\d{8,17}(?![\w-])/g, score: 0.2 }],
  negativeContext: [
    'order',
    'invoice',
    'tracking',
    'ticket',
    'ref',
    'reference',
    'sku',
    'isbn',
    'case',
    'confirmation',
    'receipt',
    'shipment',
    'parcel',
    'phone',
    'tel',
    'call',
  ],
  context: ['account', 'account number', 'acct', 'acct#', 'bank account', 'checking', 'savings', 'account no', 'deposit to'],
});
