/**
 * @module CREDIT_CARD: 12–19 digits (spaces or dashes between groups, used consistently) that pass
 * the Luhn check and match an issuer's prefix and length (ISO/IEC 7812 IIN ranges, including
 * Mastercard's 2221–2720 series, which Presidio's pattern misses).
 */
import { cardIssuerValid, luhnValid } from '../validators.js';
import { DIGIT_TRIGGER, patternRecognizer } from '../recognizer.js';

export const creditCardRecognizer = patternRecognizer({
  name: 'credit-card',
  entity: 'CREDIT_CARD',
  trigger: DIGIT_TRIGGER,
  guard: (t) => /\d{4}/.test(t),
  patterns: [{ regex: /(?<![\w-])(?:\d[ -]?){11,18}\d(?![\w-])/g, score: 0.8 }],
  context: ['card', 'credit', 'debit', 'visa', 'mastercard', 'amex', 'cc', 'payment', 'card number', 'discover'],
  // An EAN barcode passes Luhn one time in ten. Order and invoice words do not count against a
  // valid card: "the invoice was paid with 4111 …" is exactly where card numbers appear.
  negativeContext: ['sku', 'ean', 'isbn', 'barcode', 'upc', 'gtin', 'serial'],
  validate(match) {
    if (/ /.test(match) && /-/.test(match)) return false;
    return luhnValid(match) && cardIssuerValid(match);
  },
});
