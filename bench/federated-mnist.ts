/**
 * @module `npm run bench:federated-mnist`: the FedAvg paper's MNIST 2NN experiment (McMahan et al.
 * 2017, Table 1, C = 0.1, E = 1) on the full 60,000/10,000 MNIST — rounds until the global model
 * first scores 97% on the test set, beside the paper's figure for the same setting and their ratio.
 * Settings run in parallel worker threads (each loads MNIST itself), the longest first; the
 * section in docs/benchmarks.md is rewritten as each setting finishes, so a stopped run keeps
 * the figures it has.
 *
 * Environment: BENCH_MNIST_RUNS=iid-b10,noniid-b10,iid-binf,noniid-binf (default: all),
 * BENCH_MNIST_CAP_B10 / BENCH_MNIST_CAP_BINF (round caps), BENCH_MNIST_LR=iid-b10=0.1,…
 * (override the tuned rates), BENCH_MNIST_WORKERS (default 2), BENCH_MNIST_SEED.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { denseMlpSize } from '../federated/index.js';
import { MNIST_2NN_HIDDEN, runFedAvgMnist, type FedAvgMnistResult } from './fedavg-mnist.js';
import { readMnist } from './mnist.js';
import { markdownTable, recordBenchmark } from './record.js';

/** Learning rates chosen by the sweep described in LR_NOTES. */
const LR = { iidB10: 0.215, noniidB10: 0.215, iidBInf: 0.464, noniidBInf: 0.464 } as const;

/**
 * Why our counts sit below the paper's, measured with the same code and seed as the sweep in
 * LR_NOTES (the 458 is IID B = ∞ at η = 0.464 with seed 1).
 */
const PAPER_GAP_NOTE =
  "We did not take learning rates or initialisation from the paper (ours: He-uniform hidden layers, Glorot-uniform output), and the paper's counts fit a smaller step than our grid's best: with η = 0.0464, IID B = 10 needs 73 rounds (0.84 of the paper) and non-IID B = 10 needs 476 (0.72) — inside the band, but then non-IID B = 10 would no longer beat IID B = ∞ at its own best rate (458 rounds above).";

/**
 * How the rates were chosen. The paper tuned η per setting on a grid; ours is ×10^(1/3) apart
 * (0.0464, 0.1, 0.215, 0.464, 1, 2.15), each rate run once with seed 1 on the full data, with
 * the same code, in runs separate from the recorded one. Rerun any point with BENCH_MNIST_LR.
 */
const LR_NOTES = [
  'Learning rates: the paper tuned η per setting on a grid; we ran a ×10^(1/3) grid once per rate (seed 1, full data, same code) in separate runs and kept the best:',
  '',
  '- IID, B = 10 (rounds to 97%): η = 0.0464 → 73; 0.1 → 42; **0.215 → 33**; 0.464 → 56.',
  '- non-IID, B = 10 (rounds to 95%, best in 150 rounds): η = 0.0464 → 172 (97% at 476); 0.1 → 91, best 95.96%; **0.215 → 77, best 96.51%**; 0.464 was at 55.5% after 60 rounds (stopped there).',
  '- IID, B = ∞ (test accuracy after 100 rounds): η = 0.1 → 90.20%; 0.215 → 91.39%; **0.464 → 93.66%**; 1 oscillated (best 62% in 50 rounds); 2.15 stalled at 11% (ReLUs died). non-IID, B = ∞ was not swept and uses the IID rate.',
].join('\n');

interface Setting {
  key: 'iid-b10' | 'noniid-b10' | 'iid-binf' | 'noniid-binf';
  label: string;
  split: 'iid' | 'noniid';
  batchSize: number;
  /** Table 1 of the paper: 2NN, E = 1, C = 0.1, rounds to 97% test accuracy. */
  paperRounds: number;
  /** The best of our ×10^(1/3) grid in short runs (see LR_NOTES), as the paper tuned η per setting. */
  learningRate: number;
}

const SETTINGS: readonly Setting[] = [
  { key: 'noniid-b10', label: 'non-IID, B = 10', split: 'noniid', batchSize: 10, paperRounds: 664, learningRate: LR.noniidB10 },
  { key: 'iid-b10', label: 'IID, B = 10', split: 'iid', batchSize: 10, paperRounds: 87, learningRate: LR.iidB10 },
  { key: 'iid-binf', label: 'IID, B = ∞', split: 'iid', batchSize: 0, paperRounds: 1474, learningRate: LR.iidBInf },
  { key: 'noniid-binf', label: 'non-IID, B = ∞', split: 'noniid', batchSize: 0, paperRounds: 1796, learningRate: LR.noniidBInf },
];
const TARGET = 0.97;

interface Job {
  setting: Setting;
  learningRate: number;
  maxRounds: number;
  seed: number;
}

type WorkerMessage =
  | { kind: 'progress'; round: number; accuracy: number; elapsedMs: number }
  | { kind: 'done'; result: Omit<FedAvgMnistResult, 'rounds'>; accuracies: number[]; bestAccuracy: number; meanRoundMs: number; wallMs: number };

interface Outcome {
  job: Job;
  done?: Extract<WorkerMessage, { kind: 'done' }>;
  error?: string;
}

async function runJobInWorker(job: Job): Promise<void> {
  const started = performance.now();
  const { train, test } = await readMnist();
  let best = 0;
  const result = runFedAvgMnist({
    train,
    test,
    split: job.setting.split,
    batchSize: job.setting.batchSize,
    learningRate: job.learningRate,
    targetAccuracy: TARGET,
    maxRounds: job.maxRounds,
    seed: job.seed,
    onRound: (r) => {
      best = Math.max(best, r.accuracy);
      if (r.round % 25 === 0)
        parentPort?.postMessage({ kind: 'progress', round: r.round, accuracy: r.accuracy, elapsedMs: r.elapsedMs } satisfies WorkerMessage);
    },
  });
  const { rounds, ...summary } = result;
  parentPort?.postMessage({
    kind: 'done',
    result: summary,
    accuracies: rounds.map((r) => r.accuracy),
    bestAccuracy: best,
    meanRoundMs: rounds.reduce((s, r) => s + r.elapsedMs, 0) / Math.max(1, rounds.length),
    wallMs: performance.now() - started,
  } satisfies WorkerMessage);
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return n;
}

function spawn(job: Job, log: (line: string) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    let done: Outcome['done'];
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress')
        log(`${job.setting.key} round ${m.round}: test accuracy ${(100 * m.accuracy).toFixed(2)}%, ${m.elapsedMs.toFixed(0)} ms/round`);
      else done = m;
    });
    worker.on('error', (err) => resolve({ job, error: err.message }));
    worker.on('exit', (code) => resolve(done ? { job, done } : { job, error: `worker exited with code ${code} before finishing` }));
  });
}

function report(jobs: readonly Job[], outcomes: ReadonlyMap<string, Outcome>, workers: number): string {
  const rows = jobs.map(({ setting, learningRate, maxRounds }) => {
    const o = outcomes.get(setting.key);
    const head = [setting.label, learningRate];
    if (!o) return [...head, `running (cap ${maxRounds})`, setting.paperRounds, '—', '—', '—', '—'];
    if (o.error || !o.done) return [...head, `failed: ${o.error ?? 'no result'}`, setting.paperRounds, '—', '—', '—', '—'];
    const d = o.done;
    const reached = d.result.roundsToTarget;
    const n = d.accuracies.length;
    const ours = reached !== null ? String(reached) : d.result.diverged ? `diverged at round ${n}` : `not reached within ${n} rounds`;
    const ratio = reached !== null ? (reached / setting.paperRounds).toFixed(2) : `> ${(n / setting.paperRounds).toFixed(2)}`;
    return [
      ...head,
      ours,
      setting.paperRounds,
      ratio,
      `${(100 * d.bestAccuracy).toFixed(2)}%`,
      d.meanRoundMs.toFixed(0),
      `${(d.wallMs / 60_000).toFixed(1)} min`,
    ];
  });
  const ordering = ORDER.map(([a, b]) => compare(outcomes.get(a)?.done, outcomes.get(b)?.done, a, b)).filter((line) => line !== null);
  return [
    `2NN (784-200-200-10, ReLU, ${denseMlpSize([784, ...MNIST_2NN_HIDDEN, 10]).toLocaleString('en')} parameters), 100 clients × 600 examples, C = 0.1 (10 clients a round), E = 1, plain SGD, FedAvg weighted by example counts; the global model is scored on all 10,000 test digits after every round. Seed ${jobs[0]?.seed ?? 1}; ${workers} settings at a time in worker threads, each single-threaded.`,
    '',
    markdownTable(['setting', 'lr', 'rounds to 97% (ours)', 'paper (Table 1)', 'ours / paper', 'best test accuracy', 'ms / round', 'wall time'], rows),
    '',
    'ms / round is one round of local training (10 clients × 600 examples) plus scoring all 10,000 test digits, in one thread; the machine was shared with other jobs, so it varies between rows and runs.',
    '',
    LR_NOTES,
    ...(ordering.length > 0
      ? ['', "The paper's ordering, IID B = 10 < non-IID B = 10 < IID B = ∞ ≤ non-IID B = ∞, checked pair by pair:", '', ...ordering.map((line) => `- ${line}`)]
      : []),
    ...paperBand(jobs, outcomes),
  ].join('\n');
}

/**
 * The issue's check on absolute counts: B = 10 within 2× of the paper's, either way. Ours come out
 * lower, so the note says what the paper leaves open rather than tuning η towards its figures.
 */
function paperBand(jobs: readonly Job[], outcomes: ReadonlyMap<string, Outcome>): string[] {
  const ratios = jobs.flatMap(({ setting }) => {
    const reached = outcomes.get(setting.key)?.done?.result.roundsToTarget;
    return reached == null ? [] : [{ setting, ratio: reached / setting.paperRounds }];
  });
  const b10 = ratios.filter((r) => r.setting.batchSize > 0);
  if (b10.length === 0) return [];
  const outside = b10.filter((r) => r.ratio < 0.5 || r.ratio > 2);
  const list = b10.map((r) => `${r.setting.key} ${r.ratio.toFixed(2)}`).join(', ');
  const all = ratios.map((r) => r.ratio);
  return [
    '',
    outside.length === 0
      ? `B = 10 counts within 2× of the paper's (the issue's check): ${list}.`
      : `B = 10 counts against the paper's, which the issue asks to be within 2×: ${list} — outside the band, with fewer rounds than the paper. Every setting that reached 97% took ${Math.min(...all).toFixed(2)}–${Math.max(...all).toFixed(2)} of the paper's rounds, so the ordering holds and the settings keep similar proportions while the absolute counts are lower throughout. ${PAPER_GAP_NOTE}`,
  ];
}

/** The paper's ordering of the four settings by rounds to 97%, as consecutive pairs. */
const ORDER: ReadonlyArray<readonly [Setting['key'], Setting['key']]> = [
  ['iid-b10', 'noniid-b10'],
  ['noniid-b10', 'iid-binf'],
  ['iid-binf', 'noniid-binf'],
];

type Done = Extract<WorkerMessage, { kind: 'done' }>;

/**
 * Whether `a` needs fewer rounds than `b`. A capped run counts as "more than its cap"; when a cap
 * is below the other run's count, the two are compared by test accuracy at the last round both
 * reached, which says which is ahead but not the final counts.
 */
function compare(a: Done | undefined, b: Done | undefined, aKey: string, bKey: string): string | null {
  if (!a || !b) return null;
  const ra = a.result.roundsToTarget;
  const rb = b.result.roundsToTarget;
  const nb = b.accuracies.length;
  if (ra !== null && rb !== null) return `${aKey} (${ra}) ${ra <= rb ? '≤' : '>'} ${bKey} (${rb}): ${ra <= rb ? 'holds' : 'violated'}`;
  if (ra !== null && rb === null && nb >= ra) return `${aKey} (${ra}) < ${bKey} (not reached within ${nb}): holds`;
  if (ra === null && rb !== null && a.accuracies.length >= rb) return `${aKey} (not reached within ${a.accuracies.length}) > ${bKey} (${rb}): violated`;
  const at = Math.min(a.accuracies.length, nb);
  const pa = a.accuracies[at - 1] ?? 0;
  const pb = b.accuracies[at - 1] ?? 0;
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  return `${aKey} vs ${bKey}: not settled by the capped counts; at round ${at}, test accuracy ${pct(pa)} vs ${pct(pb)} (${pa >= pb ? `${aKey} ahead, consistent with the ordering` : `${bKey} ahead, against the ordering`})`;
}

async function main(): Promise<void> {
  const wanted = (process.env.BENCH_MNIST_RUNS ?? SETTINGS.map((s) => s.key).join(',')).split(',').map((s) => s.trim());
  const unknown = wanted.filter((k) => !SETTINGS.some((s) => s.key === k));
  if (unknown.length > 0) throw new Error(`BENCH_MNIST_RUNS: unknown setting(s) ${unknown.join(', ')}; known: ${SETTINGS.map((s) => s.key).join(', ')}`);
  const seed = envNumber('BENCH_MNIST_SEED', 1);
  const workers = envNumber('BENCH_MNIST_WORKERS', 2);
  const lrOverrides = parseLrOverrides(process.env.BENCH_MNIST_LR ?? '');
  const jobs: Job[] = SETTINGS.filter((s) => wanted.includes(s.key)).map((setting) => {
    const b10 = setting.batchSize > 0;
    return {
      setting,
      learningRate: lrOverrides.get(setting.key) ?? setting.learningRate,
      // B = 10: room for twice the paper's non-IID count; B = ∞: a cap, reported as such.
      maxRounds: b10 ? envNumber('BENCH_MNIST_CAP_B10', 1400) : envNumber('BENCH_MNIST_CAP_BINF', 500),
      seed,
    };
  });
  const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const outcomes = new Map<string, Outcome>();
  const command = `${envPrefix()}npm run bench:federated-mnist`;
  const record = (final: boolean) => {
    const markdown = report(jobs, outcomes, workers) + (final ? '' : '\n\nRun in progress: rows marked "running" have no figure yet.');
    recordBenchmark({ name: 'federated-mnist', title: 'FedAvg on MNIST (McMahan et al. 2017, 2NN)', command, markdown });
    return markdown;
  };
  const queue = [...jobs];
  const lanes = Array.from({ length: Math.min(workers, jobs.length) }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      log(`${job.setting.key}: lr ${job.learningRate}, up to ${job.maxRounds} rounds`);
      const outcome = await spawn(job, log);
      outcomes.set(job.setting.key, outcome);
      log(`${job.setting.key}: ${outcome.error ?? `rounds to 97%: ${outcome.done?.result.roundsToTarget ?? 'not reached'}`}`);
      record(false);
    }
  });
  await Promise.all(lanes);
  process.stdout.write(`${record(true)}\n`);
}

function envPrefix(): string {
  return ['BENCH_MNIST_RUNS', 'BENCH_MNIST_CAP_B10', 'BENCH_MNIST_CAP_BINF', 'BENCH_MNIST_LR', 'BENCH_MNIST_SEED']
    .filter((k) => process.env[k])
    .map((k) => `${k}=${process.env[k]} `)
    .join('');
}

/** `iid-b10=0.1,noniid-b10=0.0464`: learning rates to try instead of the tuned ones. */
function parseLrOverrides(raw: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of raw.split(',').filter((p) => p.trim() !== '')) {
    const [key = '', value = ''] = part.split('=').map((x) => x.trim());
    const lr = Number(value);
    if (!SETTINGS.some((s) => s.key === key) || !(lr > 0)) throw new Error(`BENCH_MNIST_LR: expected setting=rate pairs such as iid-b10=0.1, got "${part}"`);
    out.set(key, lr);
  }
  return out;
}

if (isMainThread) {
  await main();
} else {
  await runJobInWorker(workerData as Job);
}
