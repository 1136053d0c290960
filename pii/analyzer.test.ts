import { describe, expect, it } from 'vitest';
import { contextWords, createAnalyzer, createEngine, hasContext, patternRecognizer, piiConfigSchema, resolveOverlaps, type Finding } from './index.js';

const f = (type: string, start: number, end: number, score: number): Finding => ({ type, start, end, score, recognizer: 't' });

describe('context words', () => {
  const ctx = contextWords(['lic', 'date of birth', "driver's license"]);

  it('match whole words, not substrings (Presidio fires "lic" on "public")', () => {
    expect(hasContext('the public record 123', 18, ctx)).toBe(false);
    expect(hasContext('the lic record 123', 15, ctx)).toBe(true);
  });

  it('match phrases as consecutive words, case-insensitively, with curly apostrophes', () => {
    expect(hasContext('Date of Birth: 1985-03-14', 15, ctx)).toBe(true);
    expect(hasContext('date and birth 1985-03-14', 15, ctx)).toBe(false);
    expect(hasContext('Driver’s License A1234567', 17, ctx)).toBe(true);
  });

  it('look only at the five words before the finding', () => {
    expect(hasContext('lic one two three four five 123', 28, ctx)).toBe(false);
    expect(hasContext('lic one two three four 123', 23, ctx)).toBe(true);
  });
});

describe('overlap rule', () => {
  it('keeps a strong finding inside a weaker, longer one', () => {
    const kept = resolveOverlaps([f('URL', 0, 40, 0.6), f('EMAIL_ADDRESS', 10, 30, 1)]);
    expect(kept.map((k) => k.type)).toEqual(['EMAIL_ADDRESS']);
  });

  it('prefers the longer span at equal scores, and keeps findings that do not overlap', () => {
    const kept = resolveOverlaps([f('A', 0, 5, 0.8), f('B', 0, 9, 0.8), f('C', 20, 25, 0.5)]);
    expect(kept.map((k) => k.type)).toEqual(['B', 'C']);
  });
});

describe('analyzer', () => {
  const digits = patternRecognizer({ name: 'emp', entity: 'EMPLOYEE_ID', patterns: [{ regex: /EMP-\d{4}/g, score: 0.3 }], context: ['employee'] });

  it('raises a score by 0.35 with a context word and applies the threshold', () => {
    const a = createAnalyzer({ recognizers: [digits] });
    expect(a.analyze('code EMP-1234')).toEqual([]);
    expect(a.analyze('employee EMP-1234')).toEqual([{ type: 'EMPLOYEE_ID', start: 9, end: 17, score: 0.65, recognizer: 'emp' }]);
    expect(createAnalyzer({ recognizers: [digits], scoreThreshold: 0.2 }).analyze('code EMP-1234')).toHaveLength(1);
  });

  it('lowers a score with a negative context word', () => {
    const { analyzer } = createEngine(piiConfigSchema.parse({}));
    expect(analyzer.analyze('the host 203.0.113.9 answered')).toHaveLength(1);
    expect(analyzer.analyze('firmware 203.0.113.9 answered')).toHaveLength(0);
  });

  it('never reports allow-listed values and always reports deny-listed ones', () => {
    const { analyzer } = createEngine(piiConfigSchema.parse({ allowList: ['support@lumora.example'], denyList: { PERSON: ['Jo Bloggs'] } }));
    const text = 'Mail support@lumora.example or ana@example.com; ask jo bloggs.';
    expect(analyzer.analyze(text).map((x) => [x.type, text.slice(x.start, x.end)])).toEqual([
      ['EMAIL_ADDRESS', 'ana@example.com'],
      ['PERSON', 'jo bloggs'],
    ]);
  });

  it('runs a custom recognizer from config with a named validator and context', () => {
    const { analyzer } = createEngine(
      piiConfigSchema.parse({
        customRecognizers: [
          { name: 'loyalty', entity: 'LOYALTY_CARD', patterns: [{ regex: '\\bLC\\d{16}\\b', score: 0.4 }], validator: 'luhn', context: ['loyalty'] },
        ],
      }),
    );
    expect(analyzer.analyze('loyalty LC4111111111111111').map((x) => x.type)).toEqual(['LOYALTY_CARD']);
    expect(analyzer.analyze('loyalty LC4111111111111112')).toEqual([]);
  });

  it('rejects a custom regex that does not compile, naming the field', () => {
    const r = piiConfigSchema.safeParse({ customRecognizers: [{ name: 'x', entity: 'X_ID', patterns: [{ regex: '(', score: 0.5 }] }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path.join('.')).toBe('customRecognizers.0.patterns.0.regex');
  });

  it('keeps or redacts non-public IP addresses by policy', () => {
    const text = 'from 10.1.2.3 and 8.8.8.8 and 2001:db8::1';
    const redact = createEngine(piiConfigSchema.parse({})).analyzer.analyze(text);
    const keep = createEngine(piiConfigSchema.parse({ nonPublicIp: 'keep' })).analyzer.analyze(text);
    expect(redact.map((x) => text.slice(x.start, x.end))).toEqual(['10.1.2.3', '8.8.8.8', '2001:db8::1']);
    expect(keep.map((x) => text.slice(x.start, x.end))).toEqual(['8.8.8.8']);
  });

  it('skips a language-bound recognizer for another language but keeps pattern recognizers', () => {
    const { analyzer } = createEngine(piiConfigSchema.parse({}));
    const text = 'Maria Garcia, maria@example.com';
    expect(analyzer.analyze(text, { language: 'en' }).map((x) => x.type)).toEqual(['PERSON', 'EMAIL_ADDRESS']);
    expect(analyzer.analyze(text, { language: 'ja' }).map((x) => x.type)).toEqual(['EMAIL_ADDRESS']);
  });

  it('looks for a context-bound value after its context words, and everywhere when the threshold is low', () => {
    const recognizer = patternRecognizer({ name: 'pp', entity: 'US_PASSPORT', patterns: [{ regex: /\b\d{9}\b/g, score: 0.2 }], context: ['passport'] });
    const filler = 'plain words here. '.repeat(20);
    const text = `ref 340020013. ${filler} Passport: 340020014.`;
    const strict = createAnalyzer({ recognizers: [recognizer] }).analyze(text);
    expect(strict.map((x) => text.slice(x.start, x.end))).toEqual(['340020014']);
    const loose = createAnalyzer({ recognizers: [recognizer], scoreThreshold: 0.1 }).analyze(text);
    expect(loose.map((x) => text.slice(x.start, x.end))).toEqual(['340020013', '340020014']);
    expect(createAnalyzer({ recognizers: [recognizer], scoreThreshold: 0.6 }).analyze(text)).toEqual([]);
  });

  it('finds values the same way whether they sit in a long text or alone (trigger windows)', () => {
    const { analyzer } = createEngine(piiConfigSchema.parse({ names: false }));
    const value = 'Call +44 20 7946 0958 or mail a.b@example.org, card 4111-1111-1111-1111.';
    const filler = 'words without numbers go on here and there. '.repeat(400);
    const alone = analyzer.analyze(value).map((x) => [x.type, x.end - x.start]);
    const inLong = analyzer.analyze(filler + value + filler).map((x) => [x.type, x.end - x.start]);
    expect(inLong).toEqual(alone);
    expect(alone.map(([t]) => t)).toEqual(['PHONE_NUMBER', 'EMAIL_ADDRESS', 'CREDIT_CARD']);
  });
});
