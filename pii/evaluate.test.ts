import { describe, expect, it } from 'vitest';
import { createRedactPiiEngine, evaluate, parseExample, type DetectionEngine } from './index.js';

const gold = [
  parseExample(
    JSON.stringify({
      text: 'mail ann@x.org or bob@y.org',
      entities: [
        { type: 'EMAIL_ADDRESS', start: 5, end: 14 },
        { type: 'EMAIL', start: 18, end: 27 },
      ],
    }),
    1,
    'g',
  ),
  parseExample(JSON.stringify({ text: 'Ana called', entities: [{ type: 'PER', start: 0, end: 3 }] }), 2, 'g'),
];

describe('evaluate', () => {
  it('counts overlapping spans of the same type, per type and overall, on the types the gold file labels', () => {
    const engine: DetectionEngine = {
      name: 'fake',
      types: new Set(['EMAIL_ADDRESS', 'PERSON', 'URL']),
      // The first email found in part, the second missed, a wrong PERSON span, and a URL (not scored).
      find: (t) =>
        t.startsWith('mail')
          ? [
              { type: 'EMAIL_ADDRESS', start: 8, end: 12 },
              { type: 'URL', start: 0, end: 4 },
            ]
          : [{ type: 'PERSON', start: 4, end: 10 }],
    };
    const r = evaluate(gold, engine);
    expect(Object.keys(r.byType)).toEqual(['EMAIL_ADDRESS', 'PERSON']);
    expect(r.byType.EMAIL_ADDRESS).toMatchObject({ precision: 1, recall: 0.5, support: 2, predicted: 1 });
    expect(r.byType.PERSON).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(r.overall).toMatchObject({ precision: 0.5, recall: 0.3333, support: 3, predicted: 2 });
  });

  it('names the line and the problem in a bad gold file, without its text', () => {
    expect(() => parseExample('{"text": "secret jane@x.org", "entities": [{"type": "EMAIL_ADDRESS", "start": 7, "end": 99}]}', 3, 'gold.jsonl')).toThrow(
      'gold.jsonl:3: entities.0: span 7-99 is empty or outside the text (length 17)',
    );
    expect(() => parseExample('not json', 4, 'gold.jsonl')).toThrow('gold.jsonl:4: not a JSON object');
    expect(() => parseExample('{"entities": []}', 5, 'gold.jsonl')).toThrow(/gold.jsonl:5: text:/);
  });

  it('recovers redact-pii spans from its redacted output', () => {
    const engine = createRedactPiiEngine();
    const text = 'Email jane@example.com or call (415) 555-2671 today.';
    expect(engine.find(text)).toEqual([
      { type: 'EMAIL_ADDRESS', start: 6, end: 22 },
      { type: 'PHONE_NUMBER', start: 31, end: 45 },
    ]);
  });
});
