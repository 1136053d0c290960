import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnonymizer, createEngine, piiConfigSchema, type Finding } from './index.js';

const { analyzer } = createEngine(piiConfigSchema.parse({}));
const KEY = 'property-test key, 16+ bytes';

// Values the engine should find, drawn at random, to mix into arbitrary text.
const luhnDigit = (body: string) => {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
};
const piiValue = fc.oneof(
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.]{2,10}[a-z0-9]$/), fc.constantFrom('example.com', 'mail.example.org', 'test.co.uk')).map(([l, d]) => `${l}@${d}`),
  fc.integer({ min: 0, max: 99 }).map((n) => `(202) 555-01${String(n).padStart(2, '0')}`),
  fc.stringMatching(/^4\d{14}$/).map((b) => b + luhnDigit(b)),
  fc.constantFrom('GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000', '078-05-1120', '203.0.113.7', 'Maria Garcia', 'Dr. Amelia Hart'),
);
const filler = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(' ', ', ', '. ', '\n', ' \u0301 ', ' שלום עולם ', ' 👩‍👩‍👧 ', ' مرحبا ', '\u200f', ' é ', ' the order 123 '),
);
const text = fc
  .array(
    fc.oneof(
      filler,
      piiValue.map((v) => ` ${v} `),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** The input with every finding cut out: where a value may legitimately still occur. */
function outside(input: string, findings: readonly Finding[]): string {
  let rest = '';
  let at = 0;
  for (const f of findings) {
    rest += input.slice(at, f.start) + '\u0000';
    at = f.end;
  }
  return rest + input.slice(at);
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

describe('PII properties', () => {
  it('offsets are in range, ordered, non-overlapping and never split a surrogate pair, on any Unicode', () => {
    fc.assert(
      fc.property(text, (t) => {
        let last = 0;
        for (const f of analyzer.analyze(t)) {
          expect(f.start).toBeGreaterThanOrEqual(last);
          expect(f.end).toBeGreaterThan(f.start);
          expect(f.end).toBeLessThanOrEqual(t.length);
          expect(isLow(t.charCodeAt(f.start)) && isHigh(t.charCodeAt(f.start - 1))).toBe(false);
          expect(isHigh(t.charCodeAt(f.end - 1)) && isLow(t.charCodeAt(f.end))).toBe(false);
          last = f.end;
        }
      }),
      { numRuns: 300 },
    );
  });

  for (const type of ['replace', 'redact', 'hash', 'pseudonym', 'encrypt'] as const) {
    it(`${type}: no detected value is left in the output`, () => {
      const anonymizer = createAnonymizer({ operators: { DEFAULT: { type } }, key: KEY });
      fc.assert(
        fc.property(text, (t) => {
          const findings = analyzer.analyze(t);
          const out = anonymizer.anonymize(t, findings).text;
          const rest = outside(t, findings);
          for (const f of findings) {
            const value = t.slice(f.start, f.end);
            if (value.length >= 4 && !rest.includes(value)) expect(out.includes(value)).toBe(false);
          }
        }),
        { numRuns: 150 },
      );
    });
  }

  it('no input makes recognition super-linear: 200 KB adversarial texts each take well under a second', () => {
    const n = 200_000;
    const adversarial = [
      '1'.repeat(n),
      '1 '.repeat(n / 2),
      '1-'.repeat(n / 2),
      '12.'.repeat(n / 3),
      'a@'.repeat(n / 2),
      'a.'.repeat(n / 2) + '@',
      'Ab '.repeat(n / 3),
      'A'.repeat(n),
      'http://' + 'a'.repeat(n),
      'www.' + 'a.'.repeat(n / 2),
      '0x' + 'a'.repeat(n),
      '-----BEGIN RSA PRIVATE KEY-----' + 'A'.repeat(n),
      'api_key=' + 'x'.repeat(n),
      '1 Main '.repeat(n / 7),
      'ff:'.repeat(n / 3),
      '::'.repeat(n / 2),
      'password: a1!'.repeat(n / 13),
      'Maria '.repeat(n / 6),
      '9'.repeat(n),
      // Tens of thousands of findings: overlap resolution must not compare each with all others.
      'a@b.co '.repeat(100_000),
      '4111 1111 1111 1111 '.repeat(n / 20),
    ];
    for (const t of adversarial) {
      const t0 = performance.now();
      analyzer.analyze(t);
      const ms = performance.now() - t0;
      // Linear work on 200 KB takes ~10-100 ms; a quadratic regex would take minutes.
      expect(ms, `${JSON.stringify(t.slice(0, 20))}… took ${ms.toFixed(0)} ms`).toBeLessThan(1500);
    }
  });
});
