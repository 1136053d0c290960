/**
 * @module `npm run bench:secagg`: secure aggregation (Bonawitz et al. 2017) for 100 clients ×
 * 100,000 parameters — per-client key sharing and masking, and the server's unmasking with 0%
 * and 10% dropouts — beside, in the same run, plain FedAvg of the same updates and the raw
 * ChaCha20 work one client's pairwise masks need (the floor of masking).
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { createFixedPointCodec, fedAvg, SecAggClient, SecAggServer, type ClientUpdate } from '../federated/index.js';
import { markdownTable, recordBenchmark } from './record.js';

const N = Number(process.env.BENCH_SECAGG_CLIENTS ?? 100);
const D = Number(process.env.BENCH_SECAGG_PARAMS ?? 100_000);
const T = Math.ceil((2 * N) / 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const updates = Array.from({ length: N }, (_, c) => Float32Array.from({ length: D }, (_, i) => Math.sin(i + c) * 0.5));

function run(dropFraction: number) {
  const codec = createFixedPointCodec({ clipRange: 1, maxClients: N });
  const server = new SecAggServer({ round: 1, threshold: T, modelLength: D, codec });
  const clients = Array.from({ length: N }, (_, i) => new SecAggClient({ clientId: `c${String(i).padStart(3, '0')}`, round: 1, codec }));
  const roster = server.collectAdvertisements(clients.map((c) => c.advertiseKeys()));
  const shareMs: number[] = [];
  const shareMessages = clients.map((c) => {
    const t0 = performance.now();
    const m = c.shareKeys(roster);
    shareMs.push(performance.now() - t0);
    return m;
  });
  const deliveries = server.collectShares(shareMessages);
  const dropped = new Set(clients.slice(0, Math.round(N * dropFraction)).map((c) => c.clientId));
  const maskMs: number[] = [];
  const inputs = [];
  for (const [i, c] of clients.entries()) {
    if (dropped.has(c.clientId)) continue;
    const t0 = performance.now();
    inputs.push(c.maskedInput(updates[i] as Float32Array, deliveries.get(c.clientId) as NonNullable<ReturnType<typeof deliveries.get>>));
    maskMs.push(performance.now() - t0);
  }
  const request = server.collectMaskedInputs(inputs);
  const responses = request.survivors.map((id) => (clients.find((c) => c.clientId === id) as SecAggClient).unmask(request));
  const t0 = performance.now();
  const result = server.finish(responses);
  const finishMs = performance.now() - t0;
  let maxErr = 0;
  for (let i = 0; i < D; i += 97) {
    let s = 0;
    updates.forEach((u, c) => {
      if (!dropped.has((clients[c] as SecAggClient).clientId)) s += u[i] as number;
    });
    maxErr = Math.max(maxErr, Math.abs(s - (result.sum[i] as number)));
  }
  return { shareMs: median(shareMs), maskMs: median(maskMs), finishMs, maxErr, bound: result.errorBound, survivors: result.survivors.length };
}

// Baselines in the same run.
const zeros = new Uint8Array(4 * D);
const out = new Uint8Array(4 * D);
let t = performance.now();
for (let i = 0; i < N - 1; i++) chacha20(new Uint8Array(32), new Uint8Array(12), zeros, out);
const chachaMs = performance.now() - t;
const plain: ClientUpdate[] = updates.map((weights, k) => ({ clientId: `c${k}`, weights, numExamples: 1, loss: 0 }));
t = performance.now();
fedAvg().aggregate(1, new Float32Array(D), plain);
const fedAvgMs = performance.now() - t;

const rows: Array<Array<string | number>> = [];
for (const f of [0, 0.1]) {
  const r = run(f);
  rows.push([
    `${f * 100}% (${r.survivors} survive, t = ${T})`,
    r.shareMs.toFixed(0),
    r.maskMs.toFixed(0),
    (r.maskMs / chachaMs).toFixed(2),
    r.finishMs.toFixed(0),
    (r.finishMs / fedAvgMs).toFixed(0),
    `${r.maxErr.toExponential(1)} ≤ ${r.bound.toExponential(1)}`,
  ]);
}
const markdown = [
  `${N} clients × ${D.toLocaleString('en')} parameters, one process (all parties in turn), median per client. Baselines in the same run: the raw ChaCha20 stream one client's ${N - 1} pairwise masks need, ${chachaMs.toFixed(0)} ms; plain FedAvg of the same ${N} updates, ${fedAvgMs.toFixed(0)} ms.`,
  '',
  markdownTable(
    [
      'dropouts after key sharing',
      'client: share keys (ms)',
      'client: mask (ms)',
      'mask × raw ChaCha20',
      'server: unmask (ms)',
      'server × plain FedAvg',
      'max error ≤ bound',
    ],
    rows,
  ),
  '',
  'Per-client cost is O(n·d) by design (a mask per peer); the server pays one X25519 agreement and one mask stream per (dropped, survivor) pair, which is what 10% dropouts cost.',
].join('\n');
process.stdout.write(`${markdown}\n`);
recordBenchmark({ name: 'secagg', title: 'Secure aggregation cost', command: 'npm run bench:secagg', markdown });
