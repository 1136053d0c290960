/**
 * @module Near-dedupe quality and index memory. (1) Precision and recall of MinHash LSH at several
 * edit rates on seeded synthetic documents, beside the theoretical LSH match probability for the
 * pairs' true Jaccard. (2) Bytes per document of the index with 1,000,000 signatures, beside a
 * plain Map-per-band index on 100,000. (3) Signature throughput.
 * Run: `npx tsx bench/dedupe.ts` (add --expose-gc via `node --expose-gc --import tsx bench/dedupe.ts` for steadier memory figures).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DedupeIndex } from '../pipeline/dedupe/dedupe-index.js';
import { dedupeOptionsSchema } from '../pipeline/dedupe/dedupe-options.js';
import { hashSeeds, lshMatchProbability, minhashSignature, shingleHashes } from '../pipeline/dedupe/minhash.js';
import { normalizeForDedupe } from '../pipeline/dedupe/normalize.js';
import { mulberry32 } from '../common/index.js';
import { markdownTable, recordBenchmark } from './record.js';

const { bands, rows, ngram, seed } = dedupeOptionsSchema.parse({});
const seeds = hashSeeds(bands * rows, seed);
const rng = mulberry32(2024);
const SYLLABLES = 'ka lo mi ne ru sa te vo ri an el is ol um ba de fi go hu'.split(' ');
const VOCAB = Array.from({ length: 5000 }, () =>
  Array.from({ length: 2 + Math.floor(rng() * 3) }, () => SYLLABLES[Math.floor(rng() * SYLLABLES.length)]).join(''),
);
const word = () => VOCAB[Math.floor(rng() * VOCAB.length)] as string;
const docText = (n = 300) => Array.from({ length: n }, word).join(' ');
const edit = (t: string, rate: number) =>
  t
    .split(' ')
    .map((w) => (rng() < rate ? word() : w))
    .join(' ');
const sigOf = (t: string) => minhashSignature(shingleHashes(normalizeForDedupe(t), ngram), seeds);
const shingleSet = (t: string) => new Set(shingleHashes(normalizeForDedupe(t), ngram));
const jaccard = (a: Set<number>, b: Set<number>) => {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
};
let nextId = 0;
const hexId = () => (nextId++).toString(16).padStart(24, '0');
const hexHash = () =>
  Math.floor(rng() * 2 ** 32)
    .toString(16)
    .padStart(8, '0') +
  Math.floor(rng() * 2 ** 32)
    .toString(16)
    .padStart(8, '0');

// Baseline memory first, on a clean heap: a Map per band keyed by the band's values.
const gc = (globalThis as { gc?: () => void }).gc;
const used = () => {
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const randomSig = () => {
  const s = new Uint32Array(bands * rows);
  for (let i = 0; i < s.length; i++) s[i] = Math.floor(rng() * 2 ** 32);
  return s;
};
const NAIVE = 100_000;
const beforeNaive = used();
const naive: Array<Map<string, string>> = Array.from({ length: bands }, () => new Map<string, string>());
for (let i = 0; i < NAIVE; i++) {
  const sig = randomSig();
  const id = hexId();
  for (let b = 0; b < bands; b++) naive[b]?.set(Array.from(sig.subarray(b * rows, (b + 1) * rows)).join(','), id);
}
const naiveBytes = used() - beforeNaive;
// Read the maps after measuring, or V8 may find them dead and collect them before the measurement.
const naiveEntries = naive.reduce((a, m) => a + m.size, 0);
for (const m of naive) m.clear();

// (1) Quality.
const PAIRS = 300;
const qualityRows: Array<Array<string | number>> = [];
for (const rate of [0.01, 0.03, 0.05, 0.1, 0.2, 0.3]) {
  const index = new DedupeIndex({ bands, rows, expectedDocs: 4 * PAIRS });
  const bases = Array.from({ length: PAIRS }, () => docText());
  for (const b of bases) index.classify(hexId(), hexHash(), sigOf(b));
  let tp = 0;
  let fp = 0;
  let jSum = 0;
  for (const b of bases) {
    const e = edit(b, rate);
    jSum += jaccard(shingleSet(b), shingleSet(e));
    if (index.classify(hexId(), hexHash(), sigOf(e)).kind !== 'unique') tp++;
  }
  for (let i = 0; i < PAIRS; i++) if (index.classify(hexId(), hexHash(), sigOf(docText())).kind !== 'unique') fp++;
  const j = jSum / PAIRS;
  qualityRows.push([
    `${(rate * 100).toFixed(0)}%`,
    j.toFixed(3),
    lshMatchProbability(j, bands, rows).toFixed(3),
    (tp / PAIRS).toFixed(3),
    tp + fp > 0 ? (tp / (tp + fp)).toFixed(3) : '—',
  ]);
}

// (2) Memory.
const MILLION = 1_000_000;
// The runner flushes the decision log at every part (20,000 docs by default); so does this loop.
const logPath = join(mkdtempSync(join(tmpdir(), 'dedupe-bench-')), 'dedupe.state');
const before = used();
const big = new DedupeIndex({ bands, rows, expectedDocs: 100_000 });
const t0 = performance.now();
for (let i = 0; i < MILLION; i++) {
  big.classify(hexId(), hexHash(), randomSig());
  if (i % 20_000 === 19_999) await big.flushLog(logPath);
}
const insertSeconds = (performance.now() - t0) / 1000;
const bigBytes = used() - before;
rmSync(dirname(logPath), { recursive: true, force: true });
const perDoc = bigBytes / MILLION;
const naivePerDoc = naiveBytes / NAIVE;

// (3) Throughput.
const texts = Array.from({ length: 2000 }, () => docText(500));
const mb = texts.reduce((a, t) => a + t.length, 0) / 1e6;
const t1 = performance.now();
for (const t of texts) sigOf(t);
const sigSeconds = (performance.now() - t1) / 1000;

const md = [
  `MinHash ${bands} bands × ${rows} rows (${bands * rows} hashes), word ${ngram}-gram shingles. ${PAIRS} base docs of 300 words; for each edit rate, ${PAIRS} edited copies (should match) and ${PAIRS} unrelated docs (should not).`,
  '',
  markdownTable(['words changed', 'mean Jaccard of pair', 'LSH theory P(match)', 'recall', 'precision'], qualityRows),
  '',
  markdownTable(
    ['index', 'docs', 'bytes/doc', 'total MB', 'vs Map baseline'],
    [
      [
        'lumora DedupeIndex (typed-array open addressing)',
        MILLION.toLocaleString('en-US'),
        perDoc.toFixed(0),
        (bigBytes / 1e6).toFixed(0),
        `${(naivePerDoc / perDoc).toFixed(1)}× smaller`,
      ],
      [
        `baseline: Map<string, string> per band (${naiveEntries.toLocaleString('en-US')} keys)`,
        NAIVE.toLocaleString('en-US'),
        naivePerDoc.toFixed(0),
        (naiveBytes / 1e6).toFixed(0),
        '1×',
      ],
    ],
  ),
  '',
  `- 1M signatures: ${(bigBytes / 1e9).toFixed(2)} GB measured (heap + array buffers; index arrays alone ${(big.sizeBytes / 1e6).toFixed(0)} MB) — ${bigBytes < 1e9 ? 'under' : 'over'} 1 GB; inserted at ${(MILLION / insertSeconds / 1000).toFixed(0)}k docs/s.`,
  `- Signatures: ${(mb / sigSeconds).toFixed(1)} MB/s of text, ${(texts.length / sigSeconds).toFixed(0)} docs/s on one thread (500-word docs).`,
].join('\n');
process.stdout.write(md + '\n');
recordBenchmark({ name: 'dedupe', title: 'Near-duplicate detection and index memory', command: 'node --expose-gc --import tsx bench/dedupe.ts', markdown: md });
