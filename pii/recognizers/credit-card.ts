/**
 * @module CREDIT_CARD: 12–19 digits (spaces or dashes between groups) that pass the Luhn check and
 * match an issuer's prefix and length (ISO/IEC 7812 IIN ranges as the networks publish them,
 * including Mastercard's 2221–2720 series, which Presidio's pattern misses).
 */
import { patternRecognizer } from '../recognizer.js';

/** Luhn (mod 10) check over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** True when the number's prefix and length belong to a card network. */
export function issuerValid(d: string): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  const p6 = Number(d.slice(0, 6));
  if (d[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return n === 15; // American Express
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) return n >= 16 && n <= 19; // Discover
  if (p2 === 36 || p2 === 38 || p2 === 39 || (p3 >= 300 && p3 <= 305) || p4 === 3095) return n >= 14 && n <= 19; // Diners Club
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19; // JCB
  if (p2 === 62) return n >= 16 && n <= 19; // UnionPay
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 12 && n <= 19; // Maestro
  return false;
}

export const creditCardRecognizer = patternRecognizer({
  name: 'credit-card',
  entity: 'CREDIT_CARD',
  guard: (t) => /\d{4}/.test(t),
  patterns: [{ regex: /(?<![\d-])(?:\d[ -]?){11,18}\d(?![\d-])/g, score: 0.3 }],
  context: ['card', 'credit', 'debit', 'visa', 'mastercard', 'amex', 'cc', 'payment'],
  validate(match) {
    // Groups must be separated consistently: "4111 1111 1111 1111" or "4111-1111-…" or none.
    if (/ /.test(match) && /-/.test(match)) return false;
    const digits = match.replace(/[ -]/g, '');
    return luhnValid(digits) && issuerValid(digits) ? 1 : false;
  },
});
