/**
 * @module `npm run bench:federated` (aggregation part): FedAvg over 100 client updates of 1M
 * float32 parameters, beside a plain Float32Array weighted-sum loop in the same run — the
 * memory-bound floor the issue sets (FedAvg within 1.5× of it) — and the robust rules beside it.
 */
import { fedAvg, fedKrum, fedMedian, fedTrimmedMean, type ClientUpdate } from '../federated/index.js';
import { mulberry32 } from '../common/index.js';
import { markdownTable, recordBenchmark } from './record.js';

const CLIENTS = Number(process.env.BENCH_FL_CLIENTS ?? 100);
const PARAMS = Number(process.env.BENCH_FL_PARAMS ?? 1_000_000);
const rng = mulberry32(5);
const updates: ClientUpdate[] = Array.from({ length: CLIENTS }, (_, k) => {
  const weights = new Float32Array(PARAMS);
  for (let i = 0; i < PARAMS; i++) weights[i] = rng() - 0.5;
  return { clientId: `c${k}`, weights, numExamples: 100 + k, loss: 0 };
});
const current = new Float32Array(PARAMS);

/** The floor: one multiply-add per parameter per update into a float32 accumulator. */
function plainWeightedSum(): Float32Array {
  const total = updates.reduce((s, u) => s + u.numExamples, 0);
  const acc = new Float32Array(PARAMS);
  for (const u of updates) {
    const w = u.numExamples / total;
    const x = u.weights;
    for (let i = 0; i < PARAMS; i++) acc[i] = (acc[i] as number) + w * (x[i] as number);
  }
  return acc;
}

function timeMs(fn: () => unknown, runs: number): number {
  fn(); // warm-up: JIT and page faults
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

const avg = fedAvg();
const floorMs = timeMs(plainWeightedSum, 5);
const fedAvgMs = timeMs(() => avg.aggregate(1, current, updates), 5);
const rows: Array<Array<string | number>> = [
  ['plain Float32Array weighted sum (floor)', floorMs.toFixed(0), '1.00'],
  ['FedAvg (float64 accumulator)', fedAvgMs.toFixed(0), (fedAvgMs / floorMs).toFixed(2)],
];
// The robust rules sort or compare per coordinate: measured on a tenth of the parameters.
const small = updates.map((u) => ({ ...u, weights: u.weights.subarray(0, PARAMS / 10) }));
const smallCurrent = current.subarray(0, PARAMS / 10);
for (const s of [fedMedian(), fedTrimmedMean(), fedKrum({ byzantine: Math.floor(CLIENTS / 5) })]) {
  const ms = timeMs(() => s.aggregate(1, smallCurrent, small), 1);
  rows.push([`${s.name} (on ${(PARAMS / 10).toLocaleString('en')} parameters)`, ms.toFixed(0), '—']);
}
const markdown = [
  `${CLIENTS} updates × ${PARAMS.toLocaleString('en')} float32 parameters (${((CLIENTS * PARAMS * 4) / 1e6).toFixed(0)} MB read per aggregation), median of 5 runs after a warm-up; one thread.`,
  '',
  markdownTable(['aggregation', 'ms', '× floor'], rows),
  '',
  `FedAvg is ${(fedAvgMs / floorMs).toFixed(2)}× the plain loop (target ≤ 1.5×).`,
].join('\n');
process.stdout.write(`${markdown}\n`);
recordBenchmark({ name: 'federated-aggregation', title: 'Federated aggregation throughput', command: 'npm run bench:federated', markdown });
