import { describe, expect, it } from 'vitest';
import type { Doc } from '../doc.js';
import { silentLogger } from '../../common/index.js';
import { Stats } from '../stats.js';
import { createQualityStage, qualityOptionsSchema, scoreQuality } from './quality-stage.js';

const GOOD = [
  'The city council approved a new budget for the public library on Tuesday, after a long debate about opening hours and staff.',
  'Residents had asked for the library to stay open later in the evening, and the council agreed to fund two more positions.',
  'The head librarian said that the change would help students who work during the day and want a quiet place to study.',
  'Some members of the council were worried about the cost, but the final vote was seven to two in favour of the plan.',
  'The new hours will start in the spring, and the library will review the numbers of visitors after the first six months.',
  'A local school has already offered to run reading sessions for children on two of the new evenings each week.',
].join('\n\n');

function doc(text: string, lang = 'en'): Doc {
  return { id: 'x', url: 'http://t.test/', domain: 't.test', fetchedAt: '', title: '', text, lang, source: { kind: 'jsonl', input: 'm', offset: 0 } };
}

async function run(text: string, opts: object = {}, lang = 'en') {
  const stats = new Stats();
  const out: Doc[] = [];
  const stage = createQualityStage(qualityOptionsSchema.parse(opts));
  for await (const d of stage.process(
    (async function* () {
      yield doc(text, lang);
    })(),
    { stats: stats.stage('quality'), logger: silentLogger },
  ))
    out.push(d);
  const dropped = Object.keys(stats.toJSON().counters.quality ?? {})
    .find((k) => k.startsWith('dropped_'))
    ?.slice('dropped_'.length);
  return { kept: out[0], dropped };
}

describe('quality stage', () => {
  it('keeps a good article with a score of 1 and no flags', async () => {
    const { kept } = await run(GOOD);
    expect(kept?.quality).toEqual({ score: 1, flags: [] });
  });

  it.each([
    ['a very short page', 'Welcome to our site. Click here.', 'gopher_short_doc'],
    ['lorem ipsum', `${GOOD}\n\nLorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.`, 'c4_lorem_ipsum'],
    ['keyword spam', Array.from({ length: 60 }, () => 'cheap flights cheap hotels cheap deals').join(' '), 'gopher_stop_words'],
    [
      'a link farm',
      ['casino', 'loans', 'pills', 'watches', 'bets', 'crypto', 'tickets', 'replicas']
        .flatMap((a) => ['cheap', 'best', 'free', 'online', 'discount'].map((b) => `${b} ${a} here`))
        .join('\n'),
      'gopher_stop_words',
    ],
    ['mostly code', Array.from({ length: 40 }, (_, i) => `const x${i} = foo(${i}); if (x${i} > 0) { return x${i}; }`).join('\n'), 'gopher_non_alpha_words'],
    ['mostly a table', Array.from({ length: 40 }, (_, i) => `| ${i} | 10${i} | 20${i} | 3.${i} |`).join('\n'), 'gopher_non_alpha_words'],
    [
      'repeated lines',
      Array.from({ length: 20 }, () => 'Subscribe to our newsletter for the best offers and the latest news.').join('\n'),
      'gopher_dup_line_frac',
    ],
  ])('drops %s, naming the rule', async (_name, text, rule) => {
    const { kept, dropped } = await run(text);
    expect(kept).toBeUndefined();
    expect(dropped).toBe(rule);
  });

  it('tags instead of dropping in tag mode, with a lower score', async () => {
    const { kept } = await run('Welcome to our site. Click here.', { mode: 'tag' });
    expect(kept?.quality?.flags).toContain('gopher_short_doc');
    expect(kept?.quality?.score).toBeLessThan(0.5);
  });

  it('drops below the score threshold in threshold mode', async () => {
    const { dropped } = await run(`${GOOD}\n\nLorem ipsum dolor sit amet.`, { mode: 'threshold', minScore: 0.9 });
    expect(dropped).toBe('below_threshold');
  });

  it('does not hold other languages to the English stop-word rule', () => {
    const german = GOOD.replace(/\b(the|and|to|of|that|with|be|have)\b/gi, 'und');
    expect(scoreQuality(german, 'de').flags).not.toContain('gopher_stop_words');
    expect(scoreQuality(german, 'en').flags).toContain('gopher_stop_words');
  });
});
