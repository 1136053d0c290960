import { describe, expect, it } from 'vitest';
import { anonymize, createAnalyzer, defaultRecognizers, ibanValid, luhnValid, ssnValid, type EntityType } from './index.js';

const analyzer = createAnalyzer({ recognizers: defaultRecognizers() });

/** The (type, text) spans the analyzer finds. */
function spans(text: string): Array<[EntityType, string]> {
  return analyzer.analyze(text).map((f) => [f.type, text.slice(f.start, f.end)]);
}

// Card numbers: the test numbers payment processors publish (Stripe, PayPal/Braintree docs).
// IBANs: the examples of the SWIFT IBAN Registry. SSN rules: SSA, "Social Security Number Randomization".
// Phones: 555-01xx is reserved for fiction (NANPA); +44 20 7946 0xxx is Ofcom's drama range.
const POSITIVES: Array<[string, Array<[EntityType, string]>]> = [
  ['Write to jane.doe@example.com today.', [['EMAIL_ADDRESS', 'jane.doe@example.com']]],
  ['Call (202) 555-0143 after six.', [['PHONE_NUMBER', '(202) 555-0143']]],
  ['London office: +44 20 7946 0958.', [['LOCATION', 'London'], ['PHONE_NUMBER', '+44 20 7946 0958']]],
  ['Paid with 4111 1111 1111 1111 yesterday.', [['CREDIT_CARD', '4111 1111 1111 1111']]],
  ['Mastercard 2221-0000-0000-0009 works.', [['CREDIT_CARD', '2221-0000-0000-0009']]],
  ['Amex 378282246310005 on file.', [['CREDIT_CARD', '378282246310005']]],
  ['Transfer to GB82 WEST 1234 5698 7654 32 please.', [['IBAN_CODE', 'GB82 WEST 1234 5698 7654 32']]],
  ['IBAN DE89370400440532013000 received.', [['IBAN_CODE', 'DE89370400440532013000']]],
  ['Her SSN is 078-05-1120.', [['US_SSN', '078-05-1120']]],
  ['Server at 192.168.10.25 is down.', [['IP_ADDRESS', '192.168.10.25']]],
  ['Last login from 203.0.113.7.', [['IP_ADDRESS', '203.0.113.7']]],
  ['Use 2001:db8::ff00:42:8329 for v6.', [['IP_ADDRESS', '2001:db8::ff00:42:8329']]],
  ['The report was written by Maria Garcia last year.', [['PERSON', 'Maria Garcia']]],
  ['Please ask Dr. Okafor about it.', [['PERSON', 'Okafor']]],
  ['For corrections, please contact Priya Natarajan today.', [['PERSON', 'Priya Natarajan']]],
];

const NEGATIVES: string[] = [
  'Order number 4111 1111 1111 1112 does not pass Luhn.',
  'Invoice 1234-5678-9012 was paid.',
  'ISBN 978-3-16-148410-0 is a book.',
  'Upgrade to version 1.2.3.4 of the firmware.',
  'The meeting starts at 12:30:45 sharp.',
  'SSN-like 000-12-3456 and 666-45-6789 and 912-34-5678 are never issued.',
  'GB82 WEST 1234 5698 7654 33 has a bad checksum.',
  'On Monday the Apple Pie Festival opened in Springfield.',
  'Will you come to the Jackson Street market in May?',
  'Build 20240501 shipped on 2024-05-01 with 3.14159 accuracy.',
];

describe('recognizers', () => {
  it.each(POSITIVES)('finds the personal data in %j', (text, expected) => {
    expect(spans(text)).toEqual(expected);
  });

  it.each(NEGATIVES)('finds nothing in the hard negative %j', (text) => {
    expect(spans(text)).toEqual([]);
  });

  it('validates checksums as the standards define them', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanValid('GB82WEST12345698765433')).toBe(false);
    expect(ssnValid('078-05-1120')).toBe(true);
    expect(ssnValid('123-00-4567')).toBe(false);
  });
});

describe('analyzer and anonymize', () => {
  it('replaces each finding with its typed placeholder and leaves no value behind', () => {
    const text = 'Contact Maria Garcia at maria@example.org or (202) 555-0143; card 4111-1111-1111-1111.';
    const { text: out, items } = anonymize(text, analyzer.analyze(text));
    expect(out).toBe('Contact <PERSON> at <EMAIL_ADDRESS> or <PHONE_NUMBER>; card <CREDIT_CARD>.');
    expect(items.map((i) => i.type)).toEqual(['PERSON', 'EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD']);
  });

  it('raises a bare nine-digit number to an SSN only when a context word precedes it', () => {
    expect(spans('Reference 123456789 attached.')).toEqual([]);
    expect(spans('Her SSN: 123456789 attached.')).toEqual([['US_SSN', '123456789']]);
  });
});
