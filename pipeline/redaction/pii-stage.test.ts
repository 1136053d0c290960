import { describe, expect, it } from 'vitest';
import type { Doc } from '../doc.js';
import { silentLogger } from '../../common/index.js';
import { Stats } from '../stats.js';
import { createPiiStage, piiOptionsSchema } from './pii-stage.js';

const VALUES = [
  'maria.garcia@example.org',
  '(202) 555-0143',
  '4111 1111 1111 1111',
  'GB82 WEST 1234 5698 7654 32',
  '078-05-1120',
  '192.0.2.44',
  'Maria Garcia',
];

function doc(): Doc {
  return {
    id: 'x',
    url: 'https://shop.example/order?email=maria.garcia%40example.org&ref=summer#call-202-555-0143',
    domain: 'shop.example',
    fetchedAt: '',
    title: 'Order for Maria Garcia',
    text: `Dear customer, we have your order. Contact Maria Garcia at maria.garcia@example.org or (202) 555-0143. Card 4111 1111 1111 1111 was charged; refunds go to GB82 WEST 1234 5698 7654 32. SSN on file: 078-05-1120. Login from 192.0.2.44.`,
    source: { kind: 'jsonl', input: 'm', offset: 0 },
  };
}

async function run(opts: object = {}) {
  const stats = new Stats();
  const out: Doc[] = [];
  const stage = createPiiStage(piiOptionsSchema.parse(opts));
  for await (const d of stage.process(
    (async function* () {
      yield doc();
    })(),
    { stats: stats.stage('pii'), logger: silentLogger },
  ))
    out.push(d);
  return { out: out[0] as Doc, stats };
}

describe('pii stage', () => {
  it('replaces every value in text, title and URL query with typed placeholders and keeps only counts', async () => {
    const { out, stats } = await run();
    const everything = `${out.title} ${out.text} ${decodeURIComponent(out.url)}`;
    for (const v of VALUES) expect(everything).not.toContain(v);
    expect(out.text).toContain('<EMAIL_ADDRESS>');
    expect(out.url.startsWith('https://shop.example/order?')).toBe(true);
    expect(new URL(out.url).searchParams.get('ref')).toBe('summer');
    expect(out.piiCounts).toMatchObject({ EMAIL_ADDRESS: 2, PHONE_NUMBER: 2, CREDIT_CARD: 1, IBAN_CODE: 1, US_SSN: 1, IP_ADDRESS: 1, PERSON: 2 });
    expect(stats.get('pii', 'found_CREDIT_CARD')).toBe(1);
  });

  it('leaves names alone when names are off', async () => {
    const { out } = await run({ names: false });
    expect(out.text).toContain('Maria Garcia');
    expect(out.text).toContain('<CREDIT_CARD>');
  });
});
