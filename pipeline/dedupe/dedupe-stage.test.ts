import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../common/index.js';
import { estimateJaccard, hashSeeds, minhashSignature, shingleHashes } from './minhash.js';
import { normalizeForDedupe } from './normalize.js';
import type { Doc } from '../doc.js';
import { silentLogger } from '../../common/index.js';
import { Stats } from '../stats.js';
import { dedupeOptionsSchema } from './dedupe-options.js';
import { createDedupeStage } from './dedupe-stage.js';
import { createMinhashStage } from './minhash-stage.js';

const OPTS = dedupeOptionsSchema.parse({});
const WORDS =
  'river market energy report council school village garden museum library policy project science bridge harbour forest teacher budget weather festival railway'.split(
    ' ',
  );

function article(seed: number, words = 400): string {
  const rng = mulberry32(seed);
  return Array.from({ length: words }, () => WORDS[Math.floor(rng() * WORDS.length)]).join(' ');
}

/** Replaces a share of the words with other words, deterministically. */
function edit(text: string, rate: number, seed: number): string {
  const rng = mulberry32(seed);
  return text
    .split(' ')
    .map((w) => (rng() < rate ? `changed${Math.floor(rng() * 1e6)}` : w))
    .join(' ');
}

function doc(i: number, text: string): Doc {
  const id = i.toString(16).padStart(24, '0');
  return { id, url: `http://t.test/${i}`, domain: 't.test', fetchedAt: '', title: '', text, source: { kind: 'jsonl', input: 'm', offset: i } };
}

async function dedupe(docs: Doc[], statePath?: string, saveTo?: string) {
  const stats = new Stats();
  const minhash = createMinhashStage(OPTS);
  const stage = await createDedupeStage(OPTS, statePath ? { statePath } : {});
  const ctx = (name: string) => ({ stats: stats.stage(name), logger: silentLogger });
  const out: Doc[] = [];
  for await (const d of stage.process(
    minhash.process(
      (async function* () {
        yield* docs;
      })(),
      ctx('minhash'),
    ),
    ctx('dedupe'),
  ))
    out.push(d);
  if (saveTo) await stage.saveState(saveTo);
  return { out, stats };
}

describe('normalizeForDedupe', () => {
  it.each([
    ['Hello, World!', 'hello world'],
    ['Café  déjà\tvu', 'cafe deja vu'],
    ['Order 1234 shipped on 2024-05-01.', 'order 0000 shipped on 0000 00 00'],
    ['  spaced\n\nout  ', 'spaced out'],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeForDedupe(input)).toBe(expected);
  });
});

describe('MinHash', () => {
  it('estimates Jaccard similarity within a few points', () => {
    const seeds = hashSeeds(112, 1);
    const a = article(1);
    const b = edit(a, 0.05, 2);
    const sa = shingleHashes(normalizeForDedupe(a), 5);
    const sb = shingleHashes(normalizeForDedupe(b), 5);
    const setA = new Set(sa);
    const setB = new Set(sb);
    const inter = [...setA].filter((x) => setB.has(x)).length;
    const trueJ = inter / (setA.size + setB.size - inter);
    expect(Math.abs(estimateJaccard(minhashSignature(sa, seeds), minhashSignature(sb, seeds)) - trueJ)).toBeLessThan(0.12);
  });
});

describe('dedupe stage', () => {
  it('keeps the first of exact and near duplicates, drops the rest with their reasons, and keeps unrelated docs', async () => {
    const a = article(1);
    const docs = [
      doc(1, a),
      doc(2, article(2)),
      doc(3, a.toUpperCase() + '!!'), // same text after normalisation
      doc(4, edit(a, 0.02, 9)), // near duplicate: 2% of words changed
      doc(5, article(3)),
      doc(6, edit(a, 0.6, 9)), // heavily rewritten: a different document
    ];
    const { out, stats } = await dedupe(docs);
    expect(out.map((d) => d.id)).toEqual([docs[0], docs[1], docs[4], docs[5]].map((d) => d?.id));
    expect(out.every((d) => d.dupCluster === d.id && d.minhash === undefined)).toBe(true);
    expect(stats.toJSON().counters.dedupe).toMatchObject({ total: 6, kept: 4, dropped_exact_duplicate: 1, dropped_near_duplicate: 1, clusters_size_3: 1 });
  });

  it('restored from its saved state, treats re-read docs as themselves and later copies as duplicates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dedupe-'));
    const state = join(dir, 'dedupe.state');
    const a = article(1);
    const first = [doc(1, a), doc(2, article(2))];
    await dedupe(first, undefined, state);
    const { out, stats } = await dedupe([...first, doc(3, edit(a, 0.01, 4)), doc(4, article(5))], state);
    expect(out.map((d) => d.id)).toEqual([first[0]?.id, first[1]?.id, doc(4, '').id]);
    expect(stats.get('dedupe', 'dropped_near_duplicate')).toBe(1);
  });
});
