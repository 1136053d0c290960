/**
 * @module PHONE_NUMBER: a cheap scan finds digit runs shaped like phone numbers; libphonenumber-js
 * (Google's libphonenumber metadata, "max" set) parses each and keeps those valid for their
 * region, in international and national formats. National numbers are read in the default region.
 */
import { Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Finding } from '../finding.js';
import type { Recognizer } from '../recognizer.js';

// Candidate spans: an optional "+" or "(", then at least seven digits with at most a few separators
// between them (the least any valid number has). libphonenumber reads only these spans, not the
// whole text: its own matcher costs ~0.5 ms per 5 KB of prose, this pre-scan almost nothing.
const CANDIDATE = /(?:\+|\()?\d(?:[ \t().\-/]{0,3}\d){6,}(?:\s*(?:ext\.?|x)\s*\d{1,5})?/g;
/** Written as a phone number: "(555) 123-4567", "555-123-4567", "555.123.4567", "+1 555 123 4567". */
const PHONE_SHAPE = /^(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\d{2,4}([ .-]))\d{3,4}(?:\1|[ .-])\d{4}$/;
/** A North American local number: exchange (2-9xx) and line, joined by a dash or a dot. */
const LOCAL_NANP = /^[2-9]\d{2}[-.]\d{4}$/;
/** Dates and times shaped like digit runs ("2023-10-05 14", "05/10/2023 1430"). */
const DATE_LIKE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})(?:\s|$)/;

/** True when the word ending at `end` is a code ("INV", "A12"), not a word ("call-…"). */
function isCode(text: string, end: number): boolean {
  const word = /[\p{L}\d]+$/u.exec(text.slice(Math.max(0, end - 16), end))?.[0];
  return word !== undefined && (/\d/.test(word) || word === word.toUpperCase());
}

/**
 * Digit counts a national number of the region can have, with a trunk prefix ("0 20 …") or the
 * calling code ("1 415 …") in front. A candidate of another length cannot be valid there, and
 * skipping it spares libphonenumber's parse, the recognizer's main cost.
 */
function nationalLengths(region: CountryCode): Set<number> {
  const md = new Metadata();
  md.selectNumberingPlan(region);
  const plan = md.numberingPlan as unknown as { possibleLengths(): number[]; callingCode(): string };
  const code = plan.callingCode().length;
  return new Set(plan.possibleLengths().flatMap((n) => [n, n + 1, n + code]));
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

export function createPhoneRecognizer(opts: { defaultRegion: string }): Recognizer {
  const region = opts.defaultRegion as CountryCode;
  const lengths = nationalLengths(region);
  const nanp = region === 'US' || region === 'CA';
  return {
    name: 'phone',
    entities: ['PHONE_NUMBER'],
    context: [
      'phone',
      'tel',
      'telephone',
      'call',
      'mobile',
      'cell',
      'fax',
      'contact',
      'whatsapp',
      'sms',
      'text',
      'ring',
      'dial',
      'reach',
      'phone number',
      'mob',
    ],
    negativeContext: [
      'order',
      'invoice',
      'isbn',
      'sku',
      'tracking',
      'serial',
      'ref',
      'reference',
      'account',
      'acct',
      'routing',
      'id',
      'ean',
      'ticket',
      'bank',
      'iban',
      'passport',
      'license',
      'licence',
      'dl',
      'nhs',
    ],
    analyze(text) {
      const out: Finding[] = [];
      CANDIDATE.lastIndex = 0;
      for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
        // Glued to letters or digits ("A1234567", "INV-2023-004512", "v2.3.4567890"): not a phone number.
        const before = text[m.index - 1];
        if (before !== undefined && /[\p{L}\d]/u.test(before)) continue;
        if (before !== undefined && /[-#/._]/.test(before) && isCode(text, m.index - 1)) continue;
        if (DATE_LIKE.test(m[0])) continue;
        const value = m[0].replace(/[\s.(\-/]+$/, '');
        const after = text[m.index + value.length];
        // "14:30:22", "1.5", "12,000" continue the number: it is a time or a quantity.
        if (after !== undefined && /[:,.]/.test(after) && /\d/.test(text[m.index + value.length + 1] ?? '')) continue;
        const digits = digitCount(value);
        // "555-0199": a seven-digit local number, as North American text writes them without the
        // area code; one needs a context word.
        if (nanp && digits === 7 && LOCAL_NANP.test(value)) {
          out.push({ type: 'PHONE_NUMBER', start: m.index, end: m.index + value.length, score: 0.4, recognizer: 'phone' });
          continue;
        }
        // E.164 allows at most 15 digits; a national number must fit the region's plan.
        if (value[0] === '+' ? digits > 15 : !lengths.has(digits)) continue;
        const phone = parsePhoneNumberFromString(value, region);
        if (!phone) continue;
        // A number outside the assigned ranges ("555-123-4567", a placeholder or a number from a
        // test form) is still a phone number when it is written as one and a context word says
        // so; a bare digit run of possible length is not.
        const score = phone.isValid() ? 0.7 : phone.isPossible() && PHONE_SHAPE.test(value) ? 0.4 : 0;
        if (score === 0) continue;
        out.push({ type: 'PHONE_NUMBER', start: m.index, end: m.index + value.length, score, recognizer: 'phone' });
      }
      return out;
    },
  };
}
