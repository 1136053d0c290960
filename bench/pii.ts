/**
 * @module PII redaction throughput: ours (all recognizers; names off) beside `redact-pii`'s
 * SyncRedactor on the same seeded text in the same run, and p50/p99 latency for 5 KB documents.
 * Run: `npx tsx bench/pii.ts`.
 */
import { createRequire } from 'node:module';
import { anonymize, createAnalyzer, defaultRecognizers } from '../pii/index.js';
import { createRng } from './corpus.js';
import { markdownTable, recordBenchmark } from './record.js';

const require = createRequire(import.meta.url);
const { SyncRedactor } = require('redact-pii') as { SyncRedactor: new () => { redact(text: string): string } };

const rng = createRng(7);
const WORDS = 'the council said that residents would be able to see the plans for the new library and the bridge at an exhibition next week while the school will open later'.split(' ');
const PII = [
  () => `maria.garcia${Math.floor(rng() * 1000)}@example.com`,
  () => `(202) 555-01${String(Math.floor(rng() * 100)).padStart(2, '0')}`,
  () => '4111 1111 1111 1111',
  () => 'GB82 WEST 1234 5698 7654 32',
  () => '078-05-1120',
  () => `192.0.2.${Math.floor(rng() * 250)}`,
  () => 'Robert Hastings',
];
/** A document of about `bytes` characters: prose with one piece of personal data every ~60 words. */
function document(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const w = rng() < 1 / 60 ? (PII[Math.floor(rng() * PII.length)] as () => string)() : (WORDS[Math.floor(rng() * WORDS.length)] as string);
    parts.push(w);
    size += w.length + 1;
  }
  return parts.join(' ') + '.';
}

const docs = Array.from({ length: 400 }, () => document(5000));
const mb = docs.reduce((a, d) => a + d.length, 0) / 1e6;
const ours = createAnalyzer({ recognizers: defaultRecognizers() });
const oursNoNames = createAnalyzer({ recognizers: defaultRecognizers({ names: false }) });
const baseline = new SyncRedactor();

const engines: Record<string, (t: string) => string> = {
  'lumora, all recognizers': (t) => anonymize(t, ours.analyze(t)).text,
  'lumora, names off': (t) => anonymize(t, oursNoNames.analyze(t)).text,
  'redact-pii SyncRedactor (baseline)': (t) => baseline.redact(t),
};

const results: Record<string, { mbps: number; p50: number; p99: number }> = {};
for (const [name, fn] of Object.entries(engines)) {
  for (const d of docs.slice(0, 20)) fn(d); // warm-up
  const times: number[] = [];
  const t0 = performance.now();
  for (const d of docs) {
    const t = performance.now();
    fn(d);
    times.push(performance.now() - t);
  }
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  results[name] = { mbps: mb / seconds, p50: times[Math.floor(times.length * 0.5)] ?? 0, p99: times[Math.floor(times.length * 0.99)] ?? 0 };
}
const base = results['redact-pii SyncRedactor (baseline)']?.mbps ?? 1;
const md = [
  `${docs.length} documents of 5 KB (${mb.toFixed(1)} MB): seeded prose with an email, phone, card, IBAN, SSN, IP or name every ~60 words; one thread.`,
  '',
  markdownTable(
    ['engine', 'MB/s', 'vs redact-pii', 'p50 ms / 5 KB doc', 'p99 ms / 5 KB doc'],
    Object.entries(results).map(([name, r]) => [name, r.mbps.toFixed(2), `${(r.mbps / base).toFixed(1)}×`, r.p50.toFixed(2), r.p99.toFixed(2)]),
  ),
].join('\n');
process.stdout.write(md + '\n');
recordBenchmark({ name: 'pii', title: 'PII redaction throughput', command: 'npx tsx bench/pii.ts', markdown: md });
