import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobSpecError } from '../errors.js';
import { hashText } from '../data/hashed-features.js';
import type { JobData } from './job-data.js';
import { resolveJobSpec, type TrainingJobInput } from './job-spec.js';
import { TrainingJob } from './training-job.js';

const DIM = 64;
const words = ['alpha beta gamma', 'delta epsilon zeta'];

function data(clients: number): JobData {
  return {
    labels: ['a', 'b'],
    shardOf: new Map(),
    shardSizes: new Array<number>(clients).fill(20),
    validation: Array.from({ length: 40 }, (_, i) => ({ x: hashText(words[i % 2] as string, DIM), label: i % 2 })),
    idf: null,
    stats: { means: [], stds: [] },
    inputDimension: DIM,
    trainRows: 20 * clients,
    validationRows: 40,
    sizeBytes: 0,
  };
}

function job(input: Partial<TrainingJobInput> = {}): TrainingJob {
  const spec = resolveJobSpec({ dataset: 'd@v1', labelColumn: 'label', clients: 4, rounds: 2, dimension: DIM, minClients: 3, roundTimeoutMs: 1000, ...input });
  const j = new TrainingJob({ id: 'fl-test', spec, createdBy: 'owner', data: data(spec.clients) });
  j.start();
  return j;
}

/** An honest update: a small step on the validation rows' direction. */
function update(j: TrainingJob) {
  const { weights, loss } = j.model.train(j.weights, j.data?.validation ?? [], { epochs: 1, batchSize: 10, learningRate: 0.5, proximalMu: 0 }, Math.random);
  return { weights, numExamples: 20, loss };
}

function answerAll(j: TrainingJob, skip: ReadonlySet<string> = new Set()) {
  const open = j.openRound;
  if (!open) throw new Error('no open round');
  for (const id of open.sampled) if (!skip.has(id)) expect(j.submit(id, open.round, open.attempt, update(j))).toEqual({ accepted: true });
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('TrainingJob rounds', () => {
  it('waits for minClients, then samples, aggregates when every sampled client answered, and completes', () => {
    const j = job();
    const a = j.register('w1');
    j.register('w2');
    expect(j.status).toBe('waiting');
    expect(j.assignment(a.id)).toMatchObject({ state: 'wait', reason: 'waiting for clients: 2 active, 3 needed' });
    j.register('w3');
    expect(j.status).toBe('running');
    expect(j.assignment(a.id)).toMatchObject({ state: 'train', round: 1, attempt: 1, config: { epochs: 1, batchSize: 10 } });
    answerAll(j);
    expect(j.rounds[0]).toMatchObject({ round: 1, status: 'aggregated', dropouts: [], rejected: [] });
    expect(j.rounds[0]?.participants).toHaveLength(3);
    expect(j.rounds[0]?.accuracy).toBe(1);
    answerAll(j);
    expect(j.status).toBe('completed');
    expect(j.assignment(a.id)).toMatchObject({ state: 'done', status: 'completed' });
    expect(() => j.register('w4')).toThrow(/job fl-test is completed; it takes no more clients/);
  });

  it('gives each active client its own shard and refuses a client when all are taken', () => {
    const j = job({ clients: 2, minClients: 2 });
    expect([j.register('w101').shard, j.register('w102').shard]).toEqual([0, 1]);
    expect(() => j.register('w103')).toThrow(/all 2 shards taken by active clients/);
  });

  it('drops clients that miss the deadline and aggregates when the failures are within maxFailureFraction', () => {
    const j = job({ clients: 4, minClients: 4, maxFailureFraction: 0.25 });
    const ids = [j.register('w104'), j.register('w105'), j.register('w106'), j.register('w107')].map((c) => c.id);
    answerAll(j, new Set([ids[0] as string]));
    expect(j.openRound?.round).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(j.rounds[0]).toMatchObject({ status: 'aggregated', dropouts: [ids[0]] });
    expect(j.rounds[0]?.participants).toHaveLength(3);
    expect(j.clients.get(ids[0] as string)?.state).toBe('dropped');
    // Three active clients are fewer than minClients: round 2 waits until the dropped one asks again.
    expect(j.status).toBe('waiting');
    expect(j.assignment(ids[0] as string)).toMatchObject({ state: 'train', round: 2 });
    expect(j.openRound?.sampled).toHaveLength(4);
  });

  it('retries a short round with a new sample instead of aggregating it, and fails after maxRetries', () => {
    const j = job({ clients: 4, minClients: 4, maxFailureFraction: 0.25, maxRetries: 1 });
    const ids = [j.register('w108'), j.register('w109'), j.register('w110'), j.register('w111')].map((c) => c.id);
    const before = Float32Array.from(j.weights);
    answerAll(j, new Set(ids.slice(0, 2)));
    vi.advanceTimersByTime(1000);
    expect(j.rounds[0]).toMatchObject({ round: 1, attempt: 1, status: 'short' });
    expect(j.rounds[0]?.note).toBe('2 of 4 sampled clients sent a usable update (2 dropped out, 0 rejected); at most 1 failures are accepted');
    expect(j.weights).toEqual(before);
    for (const id of ids.slice(0, 2)) j.assignment(id);
    expect(j.openRound).toMatchObject({ round: 1, attempt: 2 });
    answerAll(j, new Set(ids.slice(0, 2)));
    vi.advanceTimersByTime(1000);
    for (const id of ids.slice(0, 2)) j.assignment(id);
    expect(j.status).toBe('failed');
    expect(j.statusReason).toMatch(/^round 1 fell short 2 times \(the last: 2 of 4 sampled/);
    expect(j.weights).toEqual(before);
  });

  it('rejects a bad update with a reason and flags the client', () => {
    const j = job({ clients: 5, minClients: 3, maxFailureFraction: 0.5, maxUpdateNorm: 5 });
    const [a, b, c] = [j.register('w112'), j.register('w113'), j.register('w114')];
    const good = update(j);
    const nan = Float32Array.from(good.weights);
    nan[3] = Number.NaN;
    expect(j.submit(a.id, 1, 1, { ...good, weights: nan })).toEqual({ accepted: false, status: 'rejected', reason: 'weight 3 is not finite' });
    expect(j.submit(b.id, 1, 1, { ...good, numExamples: 21 })).toEqual({
      accepted: false,
      status: 'rejected',
      reason: 'it claims 21 examples; its shard holds 20',
    });
    expect(j.clients.get(a.id)).toMatchObject({ state: 'flagged', flagReason: 'weight 3 is not finite' });
    expect(j.assignment(a.id)).toMatchObject({ state: 'done', reason: 'this client was flagged: weight 3 is not finite' });
    expect(j.submit(c.id, 1, 1, good)).toEqual({ accepted: true });
    // Two of three rejected is above 50%: the round is short, and with one client left the job waits.
    expect(j.rounds[0]).toMatchObject({ status: 'short' });
    expect(j.rounds[0]?.rejected.map((r) => r.clientId).sort()).toEqual([a.id, b.id].sort());
    expect(j.status).toBe('waiting');
    const [d] = [j.register('w115'), j.register('w116')];
    expect(j.openRound).toMatchObject({ round: 1, attempt: 2 });
    expect(j.openRound?.sampled).not.toContain(a.id);
    const far = Float32Array.from(good.weights).map((v) => v + 10);
    expect(j.submit(d.id, 1, 2, { ...good, weights: far })).toMatchObject({
      accepted: false,
      reason: expect.stringMatching(/^the update moves the model by .* \(L2\), above the bound 5$/),
    });
  });

  it('refuses late and duplicate answers without flagging', () => {
    const j = job({ clients: 3, minClients: 3 });
    const [a] = [j.register('w117'), j.register('w118'), j.register('w119')];
    expect(j.submit(a.id, 2, 1, update(j))).toMatchObject({ accepted: false, status: 'late', reason: 'round 2 attempt 1 is not open (round 1 attempt 1 is)' });
    expect(j.submit(a.id, 1, 1, update(j))).toEqual({ accepted: true });
    expect(j.submit(a.id, 1, 1, update(j))).toMatchObject({ accepted: false, status: 'late', reason: 'this client already answered round 1' });
    expect(j.clients.get(a.id)?.state).toBe('active');
  });

  it('reports epsilon per round with DP and stops before a round would exceed the budget', () => {
    const j = job({ clients: 3, minClients: 3, rounds: 50, dp: { noiseMultiplier: 1, clipNorm: 1, delta: 1e-5, epsilonBudget: 40 } });
    [j.register('w120'), j.register('w121'), j.register('w122')];
    while (!j.finished) answerAll(j);
    expect(j.status).toBe('stopped');
    expect(j.statusReason).toMatch(/^the next round would spend epsilon [\d.]+, above the budget 40$/);
    const eps = j.rounds.map((r) => r.epsilon as number);
    expect(eps.length).toBeGreaterThan(1);
    expect(eps.length).toBeLessThan(50);
    for (let i = 1; i < eps.length; i++) expect(eps[i]).toBeGreaterThan(eps[i - 1] as number);
    expect(eps.at(-1)).toBeLessThanOrEqual(40);
  });

  it('with adaptive clipping, raises a clip norm set below the update norms and records it per round', () => {
    const j = job({ clients: 3, minClients: 3, rounds: 4, dp: { noiseMultiplier: 0.5, clipNorm: 1e-4, adaptive: true } });
    [j.register('w123'), j.register('w124'), j.register('w125')];
    while (!j.finished) answerAll(j);
    const norms = j.rounds.map((r) => r.clipNorm as number);
    expect(norms).toHaveLength(4);
    for (let i = 1; i < norms.length; i++) expect(norms[i]).toBeGreaterThan(norms[i - 1] as number);
    expect(norms[0]).toBeGreaterThan(1e-4);
  });

  it('names the round a client is to train only while it is sampled, active and has not answered it', () => {
    const j = job({ clients: 3, minClients: 3, maxFailureFraction: 0.4 });
    const [a, b, c] = [j.register('w1'), j.register('w2'), j.register('w3')];
    expect(j.trainingRound(a.id)).toMatchObject({ round: 1, attempt: 1 });
    expect(j.submit(a.id, 1, 1, update(j))).toEqual({ accepted: true });
    expect(j.trainingRound(a.id)).toBeNull();
    expect(j.submit(c.id, 1, 1, update(j))).toEqual({ accepted: true });
    vi.advanceTimersByTime(1000);
    expect(j.clients.get(b.id)?.state).toBe('dropped');
    expect(j.trainingRound(b.id)).toBeNull();
    expect(j.assignment(b.id)).toMatchObject({ state: 'train', round: 2 });
    expect(j.trainingRound(b.id)).toMatchObject({ round: 2 });
    answerAll(j);
    expect(j.status).toBe('completed');
    for (const id of [a.id, b.id, c.id]) expect(j.trainingRound(id)).toBeNull();
  });

  it('gives a wallet one active client unless the job allows more', () => {
    const j = job({ clients: 4, minClients: 4 });
    const a = j.register('w1');
    expect(() => j.register('w1')).toThrow(
      `job fl-test: wallet w1 already has an active client (${a.id}, shard ${a.shard}); the job takes 1 client per wallet`,
    );
    const k = job({ clients: 4, minClients: 4, maxClientsPerWallet: 2 });
    k.register('w1');
    k.register('w1');
    expect(() => k.register('w1')).toThrow(/wallet w1 already has 2 active clients .*; the job takes 2 clients per wallet/);
    expect(k.register('w2').shard).toBe(2);
  });

  it('flags the wallet with its client: its other clients stop, their update in the round is dropped, and it may not register again', () => {
    const j = job({ clients: 4, minClients: 3, maxFailureFraction: 0.75, maxClientsPerWallet: 2 });
    const [a, b, c] = [j.register('w1'), j.register('w1'), j.register('w2')];
    expect(j.submit(b.id, 1, 1, update(j))).toEqual({ accepted: true });
    const nan = update(j);
    nan.weights[0] = Number.NaN;
    expect(j.submit(a.id, 1, 1, nan)).toMatchObject({ accepted: false, reason: 'weight 0 is not finite' });
    expect(j.clients.get(b.id)).toMatchObject({ state: 'flagged', flagReason: `client ${a.id} of the same wallet was flagged: weight 0 is not finite` });
    expect(j.submit(b.id, 1, 1, update(j))).toMatchObject({
      accepted: false,
      status: 'rejected',
      reason: expect.stringMatching(/^this client was flagged: client /),
    });
    expect(j.submit(c.id, 1, 1, update(j))).toEqual({ accepted: true });
    // Only w2's update was aggregated: b's earlier one went with its wallet's flag.
    expect(j.rounds[0]).toMatchObject({ status: 'aggregated', participants: [c.id] });
    expect(j.rounds[0]?.rejected.map((r) => r.clientId).sort()).toEqual([a.id, b.id].sort());
    expect(() => j.register('w1')).toThrow(
      `job fl-test: wallet w1 was flagged (client ${a.id}: weight 0 is not finite); it may not register in this job again`,
    );
    expect(j.trainingRound(b.id)).toBeNull();
  });

  it('does not let a dropped client rejoin when its wallet registered another client since', () => {
    const j = job({ clients: 3, minClients: 3, maxFailureFraction: 0.4 });
    const [a] = [j.register('w1'), j.register('w2'), j.register('w3')];
    answerAll(j, new Set([a.id]));
    vi.advanceTimersByTime(1000);
    expect(j.clients.get(a.id)?.state).toBe('dropped');
    const again = j.register('w1');
    expect(j.assignment(a.id)).toMatchObject({ state: 'done', reason: 'this client missed a deadline and its wallet registered another client since' });
    expect(j.assignment(again.id)).toMatchObject({ state: 'train', round: 2 });
  });

  it('lets a dropped client that polls again rejoin', () => {
    const j = job({ clients: 3, minClients: 3, maxFailureFraction: 0.4 });
    const [a] = [j.register('w126'), j.register('w127'), j.register('w128')];
    answerAll(j, new Set([a.id]));
    vi.advanceTimersByTime(1000);
    expect(j.clients.get(a.id)?.state).toBe('dropped');
    expect(j.status).toBe('waiting');
    expect(j.assignment(a.id).state).toBe('train');
    expect(j.clients.get(a.id)?.state).toBe('active');
  });

  it('lets go of its dataset-sized data when it ends, keeps the summary, and takes no update after a stop', () => {
    const j = job({ clients: 3, minClients: 3, rounds: 1 });
    const [a, b] = [j.register('w129'), j.register('w130'), j.register('w131')];
    expect(j.data?.validation).toHaveLength(40);
    const early = update(j);
    expect(j.submit(a.id, 1, 1, early)).toEqual({ accepted: true });
    j.stop('the job was deleted');
    expect(j.data).toBeNull();
    expect(j.summary).toMatchObject({ labels: ['a', 'b'], trainRows: 60, validationRows: 40 });
    expect(j.submit(b.id, 1, 1, early)).toEqual({ accepted: false, status: 'late', reason: 'job fl-test is stopped' });
    expect(j.completedRounds).toBe(0);
    expect(j.snapshot().summary).toEqual(j.summary);
  });
});

describe('resolveJobSpec', () => {
  it.each([
    [{ clients: 0 }, /^clients: must be a whole number from 1 to 10000, got 0$/],
    [{ strategy: 'fedsgd' }, /^strategy: "fedsgd" is not one of fedavg, /],
    [{ minClients: 9 }, /^minClients: must be a whole number from 1 to 4, got 9$/],
    [{ fraction: 0 }, /^fraction: must be a number > 0 and ≤ 1, got 0$/],
    [{ strategy: 'median', dp: { noiseMultiplier: 1, clipNorm: 1 } }, /^dp: DP-FedAvg clips and averages updates; it needs a mean-based strategy/],
    [{ dp: { noiseMultiplier: 1, clipNorm: 1, delta: 1 } }, /^dp\.delta: must be a number > 0 and < 1, got 1$/],
    [
      { dp: { noiseMultiplier: 1, clipNorm: 1, epsilonBudget: 1 } },
      /^dp\.epsilonBudget: one round spends epsilon [\d.]+ \(noise multiplier 1, 4 of 4 clients sampled, delta 0\.00001\), more than the budget 1;/,
    ],
  ])('rejects %j naming the field', (bad, message) => {
    expect(() => resolveJobSpec({ dataset: 'd', labelColumn: 'l', clients: 4, rounds: 1, ...bad })).toThrow(message);
  });

  it.each([
    [{ clients: 0 }, ['clients'], 'clients: must be a whole number from 1 to 10000, got 0'],
    [{ local: { epochs: 0 } }, ['local', 'epochs'], 'epochs: must be a whole number from 1 to 1000, got 0'],
    [{ model: { kind: 'mlp', hidden: 5000 } }, ['model', 'hidden'], 'hidden: must be a whole number from 1 to 4096, got 5000'],
    [{ task: 'regression', model: { kind: 'logreg' } }, ['model'], 'model: a regression job trains linreg (linear regression)'],
    [{ model: { kind: 'cnn' } }, ['model', 'kind'], 'model.kind: must be logreg, mlp or linreg, got "cnn"'],
    [{ maxClientsPerWallet: 5 }, ['maxClientsPerWallet'], 'maxClientsPerWallet: must be a whole number from 1 to 4, got 5'],
    [{ dp: { noiseMultiplier: 0, clipNorm: 1 } }, ['dp', 'noiseMultiplier'], 'dp.noiseMultiplier: must be a number > 0 and ≤ 1000, got 0'],
    [
      { strategy: 'krum', dp: { noiseMultiplier: 1, clipNorm: 1 } },
      ['dp'],
      'dp: DP-FedAvg clips and averages updates; it needs a mean-based strategy (fedavg, fedprox), not krum',
    ],
  ] as const)('carries the path of %j in its error', (bad, path, message) => {
    const err = (() => {
      try {
        resolveJobSpec({ dataset: 'd', labelColumn: 'l', clients: 4, rounds: 1, ...(bad as Partial<TrainingJobInput>) });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(JobSpecError);
    expect(err).toMatchObject({ path, message, code: 'INVALID_ARGUMENT' });
  });

  it('fills every default, the model and minClients from the other fields', () => {
    expect(resolveJobSpec({ dataset: 'd@v1', labelColumn: 'l', clients: 4, rounds: 1 })).toEqual({
      dataset: 'd@v1',
      task: 'classification',
      textColumn: 'text',
      numericColumns: [],
      labelColumn: 'l',
      dimension: 1 << 18,
      tfidf: false,
      model: { kind: 'logreg' },
      split: 'iid',
      labelsPerClient: 2,
      alpha: 0.5,
      clients: 4,
      rounds: 1,
      fraction: 1,
      minClients: 2,
      roundTimeoutMs: 60_000,
      maxFailureFraction: 0.3,
      maxRetries: 3,
      local: { epochs: 1, batchSize: 10, learningRate: 0.5, proximalMu: 0 },
      strategy: 'fedavg',
      maxUpdateNorm: 1000,
      maxClientsPerWallet: 1,
      dp: null,
      seed: 1,
    });
    expect(
      resolveJobSpec({
        dataset: 'd',
        labelColumn: 'l',
        clients: 1,
        rounds: 1,
        task: 'regression',
        textColumn: null,
        numericColumns: ['x'],
        dp: { noiseMultiplier: 1, clipNorm: 2 },
      }),
    ).toMatchObject({
      model: { kind: 'linreg' },
      minClients: 1,
      textColumn: null,
      dp: { noiseMultiplier: 1, clipNorm: 2, delta: 1e-5, epsilonBudget: null, adaptive: false },
    });
  });
});
