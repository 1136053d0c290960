/**
 * @module The PII engine beside `redact-pii`, in one run: accuracy per type on the held-back
 * labelled split (fixtures/pii/test.jsonl), then throughput on real web text (the human-written
 * main texts of the extraction dev set, cut into 5 KB documents) with a labelled PII line mixed in
 * every ~60 words, and p50/p99 latency per 5 KB document. One thread.
 * Run: `npm run bench:pii`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, createRedactPiiEngine, evaluate, parseExample, piiConfigSchema, type DetectionEngine, type Example } from '../pii/index.js';
import { mulberry32 } from '../common/index.js';
import { markdownTable, recordBenchmark } from './record.js';

// Run from the source (tsx) or from dist/bench (npm run bench:pii).
const root = [join(import.meta.dirname, '..'), join(import.meta.dirname, '..', '..')].find((d) => existsSync(join(d, 'fixtures', 'pii'))) as string;
const examples: Example[] = readFileSync(join(root, 'fixtures', 'pii', 'test.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l, i) => parseExample(l, i + 1, 'test.jsonl'));

// ---- accuracy ----
const all = createEngine(piiConfigSchema.parse({}));
const lumora: DetectionEngine = { name: 'lumora', types: new Set(all.config.entities), find: (t) => all.analyzer.analyze(t) };
const redactPii = createRedactPiiEngine();
const ours = evaluate(examples, lumora);
const theirs = evaluate(examples, redactPii);
const accuracyRows = Object.keys(ours.byType).map((type) => {
  const o = ours.byType[type]!;
  const t = theirs.byType[type]!;
  const both = redactPii.types.has(type);
  return [type, String(o.support), o.precision.toFixed(3), o.recall.toFixed(3), o.f1.toFixed(3), both ? t.f1.toFixed(3) : '(not detected)'];
});
accuracyRows.push([
  'overall',
  String(ours.overall.support),
  ours.overall.precision.toFixed(3),
  ours.overall.recall.toFixed(3),
  ours.overall.f1.toFixed(3),
  theirs.overall.f1.toFixed(3),
]);

// ---- throughput ----
const evalDir = [join(root, '..', 'shared', 'eval', 'extraction-dev')].find((d) => existsSync(d));
const rng = mulberry32(7);
let prose: string[];
if (evalDir) {
  prose = readdirSync(evalDir)
    .filter((f) => f.endsWith('.expected.txt'))
    .sort()
    .map((f) => readFileSync(join(evalDir, f), 'utf8'));
} else {
  // Without the shared eval set, prose from a seeded generator (capitalised sentences, no PII).
  const words = 'the council said that residents would be able to see the plans for the new library and the bridge at an exhibition next week'.split(' ');
  prose = Array.from({ length: 120 }, () =>
    Array.from({ length: 900 }, (_, i) => (i % 12 === 0 ? 'The' : (words[Math.floor(rng() * words.length)] as string))).join(' '),
  );
}
const piiLines = examples.filter((e) => e.entities.length > 0).map((e) => e.text);
const proseWords = prose.join('\n').split(/(?<=\s)/);
/** 400 documents of ~5 KB: web text with a labelled PII sentence after every `every` words. */
function documents(every: number): string[] {
  const docs: string[] = [];
  for (let w = 0; docs.length < 400; ) {
    let doc = '';
    let sinceLast = 0;
    while (doc.length < 5000) {
      if (sinceLast >= every) {
        doc += ' ' + (piiLines[Math.floor(rng() * piiLines.length)] as string) + ' ';
        sinceLast = 0;
      }
      doc += proseWords[w++ % proseWords.length];
      sinceLast++;
    }
    docs.push(doc);
  }
  return docs;
}
const DENSITIES = [
  { label: 'typical: a PII sentence per ~300 words', every: 300 },
  { label: 'dense: a PII sentence per ~40 words', every: 40 },
];

const noNames = createEngine(piiConfigSchema.parse({ names: false }));
const redactPiiNoNames = createRedactPiiEngine({ names: false });
const engines: Record<string, (t: string) => string> = {
  'lumora, all recognizers': (t) => all.anonymizer.anonymize(t, all.analyzer.analyze(t)).text,
  'lumora, names off': (t) => noNames.anonymizer.anonymize(t, noNames.analyzer.analyze(t)).text,
  'redact-pii, all (baseline)': (t) => redactPii.redact(t),
  'redact-pii, names off': (t) => redactPiiNoNames.redact(t),
};

function measure(docs: string[]) {
  const mb = docs.reduce((a, d) => a + d.length, 0) / 1e6;
  const results: Record<string, { mbps: number; p50: number; p99: number }> = {};
  for (const [name, fn] of Object.entries(engines)) {
    for (const d of docs.slice(0, 40)) fn(d); // warm-up
    const times: number[] = [];
    const t0 = performance.now();
    for (let round = 0; round < 3; round++) {
      for (const d of docs) {
        const t = performance.now();
        fn(d);
        times.push(performance.now() - t);
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    times.sort((a, b) => a - b);
    results[name] = { mbps: (3 * mb) / seconds, p50: times[Math.floor(times.length * 0.5)] ?? 0, p99: times[Math.floor(times.length * 0.99)] ?? 0 };
  }
  return { mb, results };
}

const throughput = DENSITIES.map((d) => {
  const { mb, results } = measure(documents(d.every));
  const base = results['redact-pii, all (baseline)']!.mbps;
  const baseNoNames = results['redact-pii, names off']!.mbps;
  return [
    `${d.label} (400 documents of 5 KB, ${mb.toFixed(1)} MB):`,
    '',
    markdownTable(
      ['engine', 'MB/s', 'vs redact-pii (all)', 'vs redact-pii (names off)', 'p50 ms / 5 KB doc', 'p99 ms / 5 KB doc'],
      Object.entries(results).map(([name, r]) => [
        name,
        r.mbps.toFixed(2),
        `${(r.mbps / base).toFixed(1)}×`,
        `${(r.mbps / baseNoNames).toFixed(1)}×`,
        r.p50.toFixed(2),
        r.p99.toFixed(2),
      ]),
    ),
  ].join('\n');
});

const md = [
  `Accuracy on the held-back split (fixtures/pii/test.jsonl, ${examples.length} texts, ${ours.overall.support} labelled spans; span overlap of the same type counts, as \`lumora pii eval\` scores):`,
  '',
  markdownTable(['type', 'gold spans', 'lumora P', 'lumora R', 'lumora F1', 'redact-pii F1'], accuracyRows),
  '',
  `Throughput on ${evalDir ? 'real web text (the main texts of the extraction dev set, several languages)' : 'generated prose'} with labelled PII sentences from the test split mixed in; detection and replacement; one thread, 3 passes.`,
  '',
  ...throughput.flatMap((t) => [t, '']),
].join('\n');
process.stdout.write(md + '\n');
recordBenchmark({ name: 'pii', title: 'PII engine: accuracy and throughput beside redact-pii', command: 'npm run bench:pii', markdown: md });
