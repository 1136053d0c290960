import { describe, expect, it } from 'vitest';
import { createEngine, piiConfigSchema, type EntityType } from './index.js';

const { analyzer } = createEngine(piiConfigSchema.parse({}));

/** The (type, text) spans the analyzer finds. */
function spans(text: string): Array<[EntityType, string]> {
  return analyzer.analyze(text).map((f) => [f.type, text.slice(f.start, f.end)]);
}

// Published test values: card numbers from payment processors' docs (Stripe, Braintree), IBANs
// from the SWIFT registry, EIP-55 and BIP-173/350 addresses from those specs, the NHS's and the
// Federal Reserve's example numbers; phones from ranges reserved for fiction (NANPA 555-01xx,
// Ofcom's drama numbers).
const POSITIVES: Array<[string, Array<[EntityType, string]>]> = [
  ['Write to jane.doe+news@example.co.uk today.', [['EMAIL_ADDRESS', 'jane.doe+news@example.co.uk']]],
  ['Call (202) 555-0143 after six.', [['PHONE_NUMBER', '(202) 555-0143']]],
  ['Office: +44 20 7946 0958.', [['PHONE_NUMBER', '+44 20 7946 0958']]],
  ['Paid with 4111 1111 1111 1111 yesterday.', [['CREDIT_CARD', '4111 1111 1111 1111']]],
  ['Mastercard 2221-0000-0000-0009 works.', [['CREDIT_CARD', '2221-0000-0000-0009']]],
  ['Amex 378282246310005 on file.', [['CREDIT_CARD', '378282246310005']]],
  ['Transfer to GB82 WEST 1234 5698 7654 32 please.', [['IBAN_CODE', 'GB82 WEST 1234 5698 7654 32']]],
  ['IBAN DE89370400440532013000 received.', [['IBAN_CODE', 'DE89370400440532013000']]],
  ['Her SSN is 078-05-1120.', [['US_SSN', '078-05-1120']]],
  ['ITIN: 912-70-1234 on the W-7.', [['US_ITIN', '912-70-1234']]],
  ['Passport number 340020013 expires soon.', [['US_PASSPORT', '340020013']]],
  ["Driver's license D1234567 was scanned.", [['US_DRIVER_LICENSE', 'D1234567']]],
  ['Account number 000123456789 at the branch.', [['US_BANK_NUMBER', '000123456789']]],
  ['Routing number 011000015 for the transfer.', [['ABA_ROUTING_NUMBER', '011000015']]],
  ['NHS number 943 476 5919 on the referral.', [['UK_NHS', '943 476 5919']]],
  ['National Insurance number AB 12 34 56 C.', [['UK_NINO', 'AB 12 34 56 C']]],
  ['Server at 192.168.10.25 is down.', [['IP_ADDRESS', '192.168.10.25']]],
  ['Use 2001:db8::ff00:42:8329 for v6.', [['IP_ADDRESS', '2001:db8::ff00:42:8329']]],
  ['Device MAC 00:1A:2B:3C:4D:5E joined.', [['MAC_ADDRESS', '00:1A:2B:3C:4D:5E']]],
  ['Docs at https://example.org/a/b?x=1 (see there).', [['URL', 'https://example.org/a/b?x=1']]],
  ['Visit acme-robotics.com for the manual.', [['URL', 'acme-robotics.com']]],
  ['Send to 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed now.', [['CRYPTO', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed']]],
  [
    'BTC: BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4 and 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2.',
    [
      ['CRYPTO', 'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4'],
      ['CRYPTO', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2'],
    ],
  ],
  [
    'Taproot bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0 received.',
    [['CRYPTO', 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0']],
  ],
  ['Solana wallet 7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV for the refund.', [['CRYPTO', '7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV']]],
  ['Date of birth: 14 March 1985.', [['DATE_TIME', '14 March 1985']]],
  ['The report was written by Maria Garcia last year.', [['PERSON', 'Maria Garcia']]],
  ['Please ask Dr. Okafor about it.', [['PERSON', 'Okafor']]],
  ['For corrections, please contact Priya Natarajan today.', [['PERSON', 'Priya Natarajan']]],
  ['Congratulations to Björn Szabó on the award.', [['PERSON', 'Björn Szabó']]],
  ['She moved to Zürich in May.', [['LOCATION', 'Zürich']]],
  ['He joined Acme Robotics Inc. in 2019.', [['ORGANIZATION', 'Acme Robotics Inc.']]],
  ['Ship it to 1600 Pennsylvania Avenue NW, Washington, DC 20500 by Friday.', [['STREET_ADDRESS', '1600 Pennsylvania Avenue NW, Washington, DC 20500']]],
  ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', [['SECRET', 'AKIAIOSFODNN7EXAMPLE']]],
  ['config: api_key="q8Zt3LmX0pWv7RkN2sYc" in prod', [['SECRET', 'q8Zt3LmX0pWv7RkN2sYc']]],
  // A number before a name is not a house number unless a street type follows.
  ['Staff 123456 Maria Garcia card on file.', [['PERSON', 'Maria Garcia']]],
  ["The party's at 60 Abbey Road on Saturday.", [['STREET_ADDRESS', '60 Abbey Road']]],
  [
    'Ana Silva and Omar Haddad met.',
    [
      ['PERSON', 'Ana Silva'],
      ['PERSON', 'Omar Haddad'],
    ],
  ],
  // Outside the assigned ranges, but written as a phone number after "call": still a phone number.
  ['Call me at 555-123-4567 tomorrow.', [['PHONE_NUMBER', '555-123-4567']]],
  ['My phone is 867-5309, ring after six.', [['PHONE_NUMBER', '867-5309']]],
  [
    'Mary Major and Jean-Luc Picard met.',
    [
      ['PERSON', 'Mary Major'],
      ['PERSON', 'Jean-Luc Picard'],
    ],
  ],
  ['login with password: hunter2hunter2 today', [['SECRET', 'hunter2hunter2']]],
  ['Flat 4, 12 High Street, Oxford OX1 4AA is the address.', [['STREET_ADDRESS', 'Flat 4, 12 High Street, Oxford OX1 4AA']]],
  ['The invoice was paid with 4111-1111-1111-1111.', [['CREDIT_CARD', '4111-1111-1111-1111']]],
  [
    'Zoë wrote to zoe@exämple.com today.',
    [
      ['PERSON', 'Zoë'],
      ['EMAIL_ADDRESS', 'zoe@exämple.com'],
    ],
  ],
];

const NEGATIVES: string[] = [
  'Order number 4111 1111 1111 1112 does not pass Luhn.',
  'Invoice INV-2023-004512 was paid.',
  'ISBN 978-3-16-148410-0 is a book.',
  'Upgrade to version 1.2.3.4 of the firmware.',
  'The meeting starts at 12:30:45 sharp, on 2023-10-05 14:30:22.',
  'SSN-like 000-12-3456 and 666-45-6789 are never issued.',
  'GB82 WEST 1234 5698 7654 33 has a bad checksum.',
  'Will you send it? May I ask? Grace period ends. Hope this helps. Mark the box.',
  'Quarterly Report Summary',
  'Send to 0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed (bad EIP-55 case).',
  'The meeting on March 3, 2024 ran late.',
  'Routing 011000016 fails the checksum.',
  'Public records are public; the library is public.',
  'Order 555-123-4567 shipped; the code 555-123-4567 is a placeholder.',
  'Built with node.js; see report.pdf and config.yaml, e.g. in the repo.',
  'Room 555-0199 is booked; part 867-5309 ships Monday.',
  'Kind regards from the team, Head of Sales',
  'Price $1,234.56 for 12 units, lat/long 45.5231, -122.6765.',
];

describe('recognizers', () => {
  for (const [text, expected] of POSITIVES) {
    it(`finds ${expected.map(([t]) => t).join(', ')} in "${text}"`, () => {
      expect(spans(text)).toEqual(expected);
    });
  }
  for (const text of NEGATIVES) {
    it(`finds nothing in "${text}"`, () => {
      expect(spans(text)).toEqual([]);
    });
  }

  it('reads a PEM private key block as one secret', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi\nZ1BjP5CE8Wm2lmrQ\n-----END RSA PRIVATE KEY-----';
    const text = `deploy key:\n${key}\nend`;
    expect(spans(text)).toEqual([['SECRET', key]]);
  });

  it('reads a JWT as a secret', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(spans(`Authorization header carried ${jwt} yesterday`)).toEqual([['SECRET', jwt]]);
  });

  it('leaves a dotted quad after "version" alone but reports one after "from"', () => {
    expect(spans('release version 10.0.0.1 shipped')).toEqual([]);
    expect(spans('login from 10.0.0.1 failed')).toEqual([['IP_ADDRESS', '10.0.0.1']]);
  });
});
