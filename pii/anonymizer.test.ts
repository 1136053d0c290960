import { describe, expect, it } from 'vitest';
import { createAnonymizer, createEngine, decryptText, piiConfigSchema, PiiError, redactRecord } from './index.js';

const KEY = 'a test key of at least sixteen bytes';
const { analyzer } = createEngine(piiConfigSchema.parse({}));
const TEXT = 'Maria Garcia paid with 4111 1111 1111 1111; maria@example.com wrote to Ana Silva, then Maria Garcia called.';

function run(operators: Record<string, object>, opts: { key?: string; scope?: 'document' | 'dataset' } = {}) {
  const anonymizer = createAnonymizer({
    operators: operators as never,
    ...(opts.key ? { key: opts.key } : {}),
    ...(opts.scope ? { pseudonymScope: opts.scope } : {}),
  });
  return { anonymizer, out: (t: string) => anonymizer.anonymize(t, analyzer.analyze(t)) };
}

describe('operators', () => {
  it('replace writes typed placeholders and reports output offsets, never values', () => {
    const r = run({}).out(TEXT);
    expect(r.text).toBe('<PERSON> paid with <CREDIT_CARD>; <EMAIL_ADDRESS> wrote to <PERSON>, then <PERSON> called.');
    const first = r.items[0]!;
    expect(r.text.slice(first.start, first.end)).toBe('<PERSON>');
    expect(JSON.stringify(r.items)).not.toContain('Maria');
  });

  it('redact removes, mask keeps the last N letters and digits and the separators', () => {
    const r = run({ PERSON: { type: 'redact' }, CREDIT_CARD: { type: 'mask', keep: 4 }, EMAIL_ADDRESS: { type: 'mask', keep: 0, char: '#' } }).out(TEXT);
    expect(r.text).toBe(' paid with **** **** **** 1111; #####@#######.### wrote to , then  called.');
  });

  it('pseudonym numbers values by first appearance, per document by default', () => {
    const { anonymizer, out } = run({ PERSON: { type: 'pseudonym' } });
    expect(out(TEXT).text).toContain('<PERSON_1> paid');
    expect(out(TEXT).text).toMatch(/to <PERSON_2>, then <PERSON_1> called/);
    expect(anonymizer.anonymize('Ana Silva', analyzer.analyze('Ana Silva')).text).toBe('<PERSON_1>');
  });

  it('pseudonym in dataset scope keeps one numbering across documents', () => {
    const { out } = run({ PERSON: { type: 'pseudonym' } }, { scope: 'dataset' });
    out(TEXT);
    expect(out('Later, Ana Silva and Omar Haddad met.').text).toBe('Later, <PERSON_2> and <PERSON_3> met.');
  });

  it('hash is keyed: the same value gives the same output, another key another output', () => {
    const a = run({ DEFAULT: { type: 'hash' } }, { key: KEY }).out(TEXT).text;
    const b = run({ DEFAULT: { type: 'hash' } }, { key: KEY }).out('Call Maria Garcia.').text;
    const c = run({ DEFAULT: { type: 'hash' } }, { key: KEY + '!' }).out('Call Maria Garcia.').text;
    const hashOf = (s: string) => /<PERSON_([0-9a-f]{16})>/.exec(s)?.[1];
    expect(hashOf(a)).toBe(hashOf(b));
    expect(hashOf(c)).not.toBe(hashOf(b));
    expect(a).not.toMatch(/Maria|4111|maria@/);
  });

  it('encrypt is reversible with the key, fails with another key, and detects tampering', () => {
    const enc = run({ DEFAULT: { type: 'encrypt' } }, { key: KEY }).out(TEXT).text;
    expect(enc).not.toMatch(/Maria|4111|maria@/);
    expect(decryptText(enc, KEY)).toBe(TEXT);
    expect(() => decryptText(enc, 'another key, sixteen bytes+')).toThrow(/did not decrypt/);
    const token = /<PERSON:enc:([A-Za-z0-9_-]+)>/.exec(enc)![1]!;
    const flipped = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    expect(() => decryptText(enc.replace(token, flipped), KEY)).toThrow(PiiError);
  });

  it('refuses hash or encrypt without a key, and a short key, naming what is missing', () => {
    expect(() => createAnonymizer({ operators: { PERSON: { type: 'hash' } } })).toThrow(/hash operator \(for PERSON\) needs a key/);
    expect(() => createAnonymizer({ operators: { PERSON: { type: 'encrypt' } }, key: 'short' })).toThrow(/at least 16 bytes/);
    expect(() => createAnonymizer({ operators: { PERSON: { type: 'mask', keep: -1 } as never } })).toThrow(/operator for PERSON is invalid: keep/);
  });

  it('redacts records field by field with one pseudonym numbering per record', () => {
    const { anonymizer } = run({ PERSON: { type: 'pseudonym' } });
    const { record, findings } = redactRecord(
      { id: 7, author: { name: 'Ana Silva' }, body: 'Ana Silva met Omar Haddad.', tags: ['call (202) 555-0143'] },
      analyzer,
      anonymizer,
    );
    expect(record).toEqual({ id: 7, author: { name: '<PERSON_1>' }, body: '<PERSON_1> met <PERSON_2>.', tags: ['call <PHONE_NUMBER>'] });
    expect(findings.map((x) => x.field)).toEqual(['author.name', 'body', 'tags.0']);
    // A key that holds personal data is transformed too, and reported by its new name.
    const keyed = redactRecord({ contacts: { 'jane@example.com': 'Jane Doe' } }, analyzer, anonymizer);
    expect(keyed.record).toEqual({ contacts: { '<EMAIL_ADDRESS>': '<PERSON_1>' } });
    expect(keyed.findings.map((x) => x.field)).toEqual(['contacts.<EMAIL_ADDRESS>']);
    const only = redactRecord({ a: 'Ana Silva', b: 'Ana Silva' }, analyzer, anonymizer, { fields: ['b'] }).record;
    expect(only).toEqual({ a: 'Ana Silva', b: '<PERSON_1>' });
  });
});
