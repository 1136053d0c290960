import { describe, expect, it } from 'vitest';
import type { Doc } from '../doc.js';
import { silentLogger } from '../../common/index.js';
import { Stats } from '../stats.js';
import { createLanguageStage, detectLanguage, languageOptionsSchema } from './language-stage.js';

const SAMPLES: Array<[string, string]> = [
  ['en', 'The council approved the new budget for the public library on Tuesday, after a long debate about opening hours.'],
  ['de', 'Der Gemeinderat hat am Dienstag nach einer langen Debatte über die Öffnungszeiten den neuen Haushalt der Bibliothek beschlossen.'],
  ['fr', 'Le conseil municipal a approuvé mardi le nouveau budget de la bibliothèque après un long débat sur les horaires.'],
  ['es', 'El ayuntamiento aprobó el martes el nuevo presupuesto de la biblioteca tras un largo debate sobre los horarios.'],
  ['ja', '市議会は火曜日、開館時間についての長い議論の末、図書館の新しい予算を承認しました。'],
];

function doc(text: string, langHints: string[] = []): Doc {
  return { id: 'x', url: 'http://t.test/', domain: 't.test', fetchedAt: '', title: '', text, langHints, source: { kind: 'jsonl', input: 'm', offset: 0 } };
}

async function run(texts: Doc[], opts: object) {
  const stats = new Stats();
  const out: Doc[] = [];
  const stage = createLanguageStage(languageOptionsSchema.parse(opts));
  for await (const d of stage.process(
    (async function* () {
      yield* texts;
    })(),
    { stats: stats.stage('language'), logger: silentLogger },
  ))
    out.push(d);
  return { out, stats };
}

describe('detectLanguage', () => {
  it.each(SAMPLES)('detects %s with a confident score', (lang, text) => {
    const g = detectLanguage(text);
    expect(g.lang).toBe(lang);
    expect(g.score).toBeGreaterThan(0.5);
  });

  it('uses the page lang attribute when the text is too short to tell', () => {
    expect(detectLanguage('Hallo', ['de']).lang).toBe('de');
  });

  it('says und with score 0 when there is nothing to detect', () => {
    expect(detectLanguage('4111 1111 1111')).toEqual({ lang: 'und', score: 0 });
  });
});

describe('language stage', () => {
  it('keeps every language by default and tags each', async () => {
    const { out } = await run(
      SAMPLES.map(([, t]) => doc(t)),
      {},
    );
    expect(out.map((d) => d.lang)).toEqual(SAMPLES.map(([l]) => l));
  });

  it('drops languages outside the allow-list with lang_not_allowed', async () => {
    const { out, stats } = await run(
      SAMPLES.map(([, t]) => doc(t)),
      { allow: ['en', 'de'] },
    );
    expect(out.map((d) => d.lang)).toEqual(['en', 'de']);
    expect(stats.get('language', 'dropped_lang_not_allowed')).toBe(3);
  });
});
