/**
 * @module One federated training job on the server: clients register and get a shard, rounds
 * sample the active clients (fraction C, at least `minClients`), each round has a deadline, and
 * updates are checked before they count. A round is aggregated only when enough updates arrived
 * (at least `minClients`, and dropouts plus rejections within `maxFailureFraction` of the sample);
 * otherwise it is recorded as short and retried with a fresh sample, up to `maxRetries` times.
 * A client that misses a deadline is marked dropped (not sampled again until it polls again); a
 * client whose update fails a check is flagged, with every client of its wallet, and that wallet
 * may not register again. A wallet holds at most `maxClientsPerWallet` active clients. With DP the
 * job stops before a round that would spend more than the epsilon budget.
 *
 * Transport-free: the HTTP routes call `register`, `assignment`, `submit`; listeners learn of
 * every change (long polls and SSE wait on them). Time comes from `now`, deadlines from timers.
 */
import { randomBytes } from 'node:crypto';
import { FederatedError, JobSpecError } from '../errors.js';
import { summarizeJobData, type JobData, type JobDataSummary } from './job-data.js';
import { sampleSize, type TrainingJobSpec } from './job-spec.js';
import { RdpAccountant } from '../privacy/rdp-accountant.js';
import { meanTrainingLoss, RoundEngine } from '../rounds/round-engine.js';
import { mulberry32 } from '../../common/index.js';
import type { ClientTrainConfig, ClientUpdate } from '../strategies/strategy.js';
import { createStrategy } from '../strategies/strategy-registry.js';
import { textModel, type TextModel } from '../models/text-model.js';

export type JobStatus = 'waiting' | 'running' | 'completed' | 'stopped' | 'failed';

export interface ClientRecord {
  id: string;
  /** The wallet that registered it; only that wallet may act for it. */
  wallet: string;
  shard: number;
  state: 'active' | 'dropped' | 'flagged';
  /** Why the client was flagged (its rejected update's reason). */
  flagReason: string | null;
  registeredAt: string;
}

export interface RoundRecord {
  round: number;
  attempt: number;
  status: 'open' | 'aggregated' | 'short';
  sampled: string[];
  participants: string[];
  dropouts: string[];
  rejected: Array<{ clientId: string; reason: string }>;
  /** Mean training loss the participants reported, weighted by their examples. */
  trainingLoss: number | null;
  /** On the server's validation split, after aggregation. */
  validationLoss: number | null;
  accuracy: number | null;
  /** Epsilon spent so far (at the job's delta); null without DP. */
  epsilon: number | null;
  startedAt: string;
  deadline: string;
  endedAt: string | null;
  /** Why a round was short. */
  note: string | null;
  /** With adaptive clipping: the clip norm for the next round. */
  clipNorm?: number;
}

export type Assignment =
  | { state: 'train'; round: number; attempt: number; deadline: string; config: ClientTrainConfig }
  | { state: 'wait'; reason: string }
  | { state: 'done'; status: JobStatus; reason: string | null };

export type SubmitResult = { accepted: true } | { accepted: false; status: 'rejected' | 'late'; reason: string };

/** What a job saves: everything but the dataset-sized data, which an unfinished job rebuilds from the catalog. */
export interface JobSnapshot {
  id: string;
  spec: TrainingJobSpec;
  createdBy: string;
  createdAt: string;
  status: JobStatus;
  statusReason: string | null;
  labels: string[];
  /** What the job keeps of its data; absent in jobs saved before it was kept, which load their data once to get it. */
  summary?: JobDataSummary;
  clients: ClientRecord[];
  rounds: RoundRecord[];
}

export interface TrainingJobOptions {
  id: string;
  spec: TrainingJobSpec;
  createdBy: string;
  /** The job's data from the catalog; a restored finished job needs none (its snapshot's summary is enough). */
  data?: JobData;
  now?: () => Date;
  /** Restores a saved job: its rounds, clients and current weights. */
  restore?: { snapshot: JobSnapshot; weights: Float32Array };
  /** Called after every change worth saving (a round closing, a registration, a status change). */
  onSave?: (job: TrainingJob) => void;
}

function isFinishedStatus(status: JobStatus): boolean {
  return status === 'completed' || status === 'stopped' || status === 'failed';
}

/** Uniform [0, 1) from the OS: DP noise must not come from a generator anyone can replay. Drawn 64 KiB at a time (one Gaussian per weight). */
let entropy = Buffer.alloc(0);
let entropyAt = 0;
function secureUniform(): number {
  if (entropyAt + 4 > entropy.length) {
    entropy = randomBytes(1 << 16);
    entropyAt = 0;
  }
  const u = entropy.readUInt32LE(entropyAt) / 4294967296;
  entropyAt += 4;
  return u;
}

/** The largest model a job may train: 64M weights is 256 MB per copy, and the server holds several. */
export const MAX_MODEL_WEIGHTS = 1 << 26;

/** The model a job with this spec and data trains; throws when it is larger than MAX_MODEL_WEIGHTS. Allocates no weights. */
export function jobModel(spec: TrainingJobSpec, data: Pick<JobDataSummary, 'inputDimension' | 'labels'>): TextModel {
  const model = textModel(spec.model, data.inputDimension, data.labels.length);
  if (model.size > MAX_MODEL_WEIGHTS)
    throw new JobSpecError(`dimension: the model would have ${model.size} weights, above the limit of ${MAX_MODEL_WEIGHTS}; lower dimension or hidden`, [
      'dimension',
    ]);
  return model;
}

export class TrainingJob {
  readonly id: string;
  readonly spec: TrainingJobSpec;
  readonly createdBy: string;
  readonly createdAt: string;
  /** What the job keeps of its data for good: labels, shard sizes, numeric statistics, row counts. */
  readonly summary: JobDataSummary;
  readonly model: TextModel;
  status: JobStatus = 'waiting';
  statusReason: string | null = null;
  readonly clients = new Map<string, ClientRecord>();
  readonly rounds: RoundRecord[] = [];
  #global: Float32Array;
  /** Dataset-sized (row ids, validation features, IDF): held while the job runs, let go when it ends. */
  #data: JobData | null;
  readonly #engine: RoundEngine;
  readonly #rng: () => number;
  readonly #now: () => Date;
  readonly #onSave: ((job: TrainingJob) => void) | undefined;
  readonly #listeners = new Set<() => void>();
  #deadlineTimer: NodeJS.Timeout | undefined;
  /** Updates received in the open round, by client. */
  #received = new Map<string, ClientUpdate>();

  constructor(opts: TrainingJobOptions) {
    this.id = opts.id;
    this.spec = opts.spec;
    this.createdBy = opts.createdBy;
    const s = opts.restore?.snapshot;
    const finished = s !== undefined && isFinishedStatus(s.status);
    if (!opts.data && !(finished && s.summary))
      throw new FederatedError(
        `job ${opts.id}: ${finished ? 'a finished job saved without its summary' : 'an unfinished job'} needs its data from the catalog`,
      );
    this.summary = opts.data ? summarizeJobData(opts.data) : (s?.summary as JobDataSummary);
    this.#data = finished ? null : (opts.data ?? null);
    this.#now = opts.now ?? (() => new Date());
    this.#onSave = opts.onSave;
    this.model = jobModel(opts.spec, this.summary);
    this.#rng = mulberry32(opts.spec.seed);
    const dp = opts.spec.dp;
    // With adaptive clipping the clip norm is state: a restored job continues from the last round's norm.
    const lastClip = dp?.adaptive ? opts.restore?.snapshot.rounds.filter((r) => r.status === 'aggregated').at(-1)?.clipNorm : undefined;
    this.#engine = new RoundEngine({
      strategy: createStrategy(opts.spec.strategy, { byzantineClients: Math.floor(0.2 * opts.spec.clients) }),
      rng: this.#rng,
      dp: dp ? { noiseMultiplier: dp.noiseMultiplier, clipNorm: lastClip ?? dp.clipNorm, ...(dp.adaptive ? { adaptive: {} } : {}) } : null,
      noise: secureUniform,
      clientsPerRound: Math.ceil(opts.spec.fraction * opts.spec.clients),
      maxUpdateNorm: opts.spec.maxUpdateNorm,
    });
    if (opts.restore && s) {
      if (s.labels.join('\u0000') !== this.summary.labels.join('\u0000'))
        throw new FederatedError(`job ${s.id}: the dataset's labels changed since the job was saved`);
      if (opts.restore.weights.length !== this.model.size)
        throw new FederatedError(`job ${s.id}: saved weights have ${opts.restore.weights.length} values, the model has ${this.model.size}`);
      this.createdAt = s.createdAt;
      this.status = s.status;
      this.statusReason = s.statusReason;
      for (const c of s.clients) this.clients.set(c.id, { ...c });
      // A round open when the server stopped never finished: it starts again as the same attempt
      // (a restart is not the clients' failure, so it does not count against maxRetries).
      for (const r of s.rounds) if (r.status !== 'open') this.rounds.push(r);
      this.#global = opts.restore.weights;
    } else {
      this.createdAt = this.#now().toISOString();
      this.#global = this.model.init(this.#rng);
    }
  }

  /** The current global weights (the final model once the job is done). Do not modify. */
  get weights(): Float32Array {
    return this.#global;
  }

  /** The dataset-sized data while the job runs (clients' shards, validation, IDF); null once it ended. */
  get data(): JobData | null {
    return this.#data;
  }

  /** Rounds aggregated so far. */
  get completedRounds(): number {
    return this.rounds.filter((r) => r.status === 'aggregated').length;
  }

  get openRound(): RoundRecord | null {
    const last = this.rounds.at(-1);
    return last?.status === 'open' ? last : null;
  }

  get finished(): boolean {
    return isFinishedStatus(this.status);
  }

  snapshot(): JobSnapshot {
    return {
      id: this.id,
      spec: this.spec,
      createdBy: this.createdBy,
      createdAt: this.createdAt,
      status: this.status,
      statusReason: this.statusReason,
      labels: this.summary.labels,
      summary: this.summary,
      clients: [...this.clients.values()],
      rounds: this.rounds,
    };
  }

  /** Listeners waiting for the next change: the long polls and event streams of clients watching the job. */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts rounds once enough clients are active (call after creating or restoring). */
  start(): void {
    this.#advance();
  }

  /** Ends an unfinished job as stopped, with `reason` (its clients are told so); a finished job stays as it is. */
  stop(reason: string): void {
    if (!this.finished) this.#finish('stopped', reason);
  }

  /** Stops timers (server shutdown); the job's state stays as saved. */
  close(): void {
    clearTimeout(this.#deadlineTimer);
    this.#listeners.clear();
  }

  /**
   * Registers a client for `wallet` on a free shard (one not held by an active client). A wallet
   * has at most `maxClientsPerWallet` active clients, so one wallet cannot hold every shard; a
   * wallet with a flagged client registers no more, so it cannot come back and be sampled again.
   */
  register(wallet: string): ClientRecord {
    if (this.finished) throw new FederatedError(`job ${this.id} is ${this.status}; it takes no more clients`, { code: 'JOB_FINISHED' });
    const flagged = this.#flaggedClientOf(wallet);
    if (flagged)
      throw new FederatedError(
        `job ${this.id}: wallet ${wallet} was flagged (client ${flagged.id}: ${flagged.flagReason}); it may not register in this job again`,
        { code: 'WALLET_FLAGGED' },
      );
    const own = this.#activeClientsOf(wallet);
    const max = this.spec.maxClientsPerWallet;
    if (own.length >= max) {
      const held =
        own.length === 1 ? `an active client (${own[0]?.id}, shard ${own[0]?.shard})` : `${own.length} active clients (${own.map((c) => c.id).join(', ')})`;
      throw new FederatedError(
        `job ${this.id}: wallet ${wallet} already has ${held}; the job takes ${max} client${max === 1 ? '' : 's'} per wallet. Keep using ${own.length === 1 ? 'that client' : 'them'}; a new one may register once it misses a round's deadline`,
        { code: 'WALLET_LIMIT' },
      );
    }
    const held = new Set([...this.clients.values()].filter((c) => c.state === 'active').map((c) => c.shard));
    let shard = -1;
    for (let k = 0; k < this.spec.clients; k++) {
      if (!held.has(k)) {
        shard = k;
        break;
      }
    }
    if (shard < 0) throw new FederatedError(`job ${this.id} has all ${this.spec.clients} shards taken by active clients`, { code: 'JOB_FULL' });
    const client: ClientRecord = {
      id: randomBytes(16).toString('base64url'),
      wallet,
      shard,
      state: 'active',
      flagReason: null,
      registeredAt: this.#now().toISOString(),
    };
    this.clients.set(client.id, client);
    // Advance first, so listeners never see a "waiting for clients" the registration just ended.
    this.#advance();
    this.#changed(true);
    return client;
  }

  /** The client for `clientId` if `wallet` registered it; throws otherwise. */
  client(clientId: string, wallet: string): ClientRecord {
    const c = this.clients.get(clientId);
    if (!c || c.wallet !== wallet)
      throw new FederatedError(`job ${this.id} has no client ${clientId.slice(0, 40)} registered by this wallet`, { code: 'UNKNOWN_CLIENT' });
    return c;
  }

  /** What `clientId` should do now. A dropped client that asks again is active again. */
  assignment(clientId: string): Assignment {
    const c = this.clients.get(clientId);
    if (!c) return { state: 'done', status: this.status, reason: 'unknown client' };
    if (c.state === 'flagged') return { state: 'done', status: this.status, reason: `this client was flagged: ${c.flagReason}` };
    if (this.finished) return { state: 'done', status: this.status, reason: this.statusReason };
    if (c.state === 'dropped') {
      // A live client that missed a deadline may rejoin, unless its wallet registered another client or another client took its shard.
      if (this.#activeClientsOf(c.wallet).length >= this.spec.maxClientsPerWallet)
        return { state: 'done', status: this.status, reason: 'this client missed a deadline and its wallet registered another client since' };
      const taken = [...this.clients.values()].some((o) => o.id !== c.id && o.state === 'active' && o.shard === c.shard);
      if (taken) return { state: 'done', status: this.status, reason: `this client missed a deadline and its shard ${c.shard} went to another client` };
      c.state = 'active';
      this.#advance();
    }
    const training = this.trainingRound(clientId);
    if (training)
      return {
        state: 'train',
        round: training.round,
        attempt: training.attempt,
        deadline: training.deadline,
        config: this.#engine.configure(training.round, this.spec.local),
      };
    const open = this.openRound;
    if (open) return { state: 'wait', reason: `round ${open.round} is in progress` };
    if ((this.summary.shardSizes[c.shard] as number) === 0)
      return { state: 'wait', reason: `shard ${c.shard} is empty under this split; this client is never sampled` };
    return { state: 'wait', reason: `waiting for clients: ${this.#activeClients().length} active, ${this.spec.minClients} needed` };
  }

  /**
   * The open round `clientId` is to train now: the job runs, the client is active, sampled in that
   * round and has not answered it. Null otherwise. This is all a client needs the global weights for.
   */
  trainingRound(clientId: string): RoundRecord | null {
    const c = this.clients.get(clientId);
    const open = this.openRound;
    if (!c || c.state !== 'active' || this.finished || !open) return null;
    if (!open.sampled.includes(clientId) || this.#received.has(clientId) || open.rejected.some((r) => r.clientId === clientId)) return null;
    return open;
  }

  /** Takes a client's update for the open round; a failed check flags the client. */
  submit(clientId: string, round: number, attempt: number, update: { weights: Float32Array; numExamples: number; loss: number }): SubmitResult {
    const c = this.clients.get(clientId);
    if (!c) return { accepted: false, status: 'rejected', reason: 'unknown client' };
    if (c.state === 'flagged') return { accepted: false, status: 'rejected', reason: `this client was flagged: ${c.flagReason}` };
    if (this.finished) return { accepted: false, status: 'late', reason: `job ${this.id} is ${this.status}` };
    const open = this.openRound;
    if (!open || open.round !== round || open.attempt !== attempt)
      return {
        accepted: false,
        status: 'late',
        reason: `round ${round} attempt ${attempt} is not open${open ? ` (round ${open.round} attempt ${open.attempt} is)` : ''}`,
      };
    if (!open.sampled.includes(clientId)) return { accepted: false, status: 'late', reason: `this client is not sampled in round ${round}` };
    if (this.#received.has(clientId) || open.rejected.some((r) => r.clientId === clientId))
      return { accepted: false, status: 'late', reason: `this client already answered round ${round}` };
    const shardSize = this.summary.shardSizes[c.shard] as number;
    const full: ClientUpdate = { clientId, ...update };
    const check =
      update.numExamples > shardSize
        ? { ok: false as const, reason: `it claims ${update.numExamples} examples; its shard holds ${shardSize}` }
        : this.#engine.check(full, this.#global);
    if (!check.ok) {
      open.rejected.push({ clientId, reason: check.reason });
      this.#flag(c, check.reason);
      this.#changed(true);
      this.#maybeClose();
      return { accepted: false, status: 'rejected', reason: check.reason };
    }
    this.#received.set(clientId, full);
    this.#changed(false);
    this.#maybeClose();
    return { accepted: true };
  }

  /**
   * Flags `c` and every other client of its wallet: the flag is the wallet's in this job. A
   * sibling sampled in the open round is recorded as rejected there, its update (if any) unused.
   */
  #flag(c: ClientRecord, reason: string): void {
    const open = this.openRound;
    for (const o of this.clients.values()) {
      if (o.wallet !== c.wallet || o.state === 'flagged') continue;
      o.state = 'flagged';
      o.flagReason = o === c ? reason : `client ${c.id} of the same wallet was flagged: ${reason}`;
      if (o !== c && open?.sampled.includes(o.id) && !open.rejected.some((r) => r.clientId === o.id)) {
        this.#received.delete(o.id);
        open.rejected.push({ clientId: o.id, reason: o.flagReason });
      }
    }
  }

  #activeClientsOf(wallet: string): ClientRecord[] {
    return [...this.clients.values()].filter((c) => c.wallet === wallet && c.state === 'active');
  }

  #flaggedClientOf(wallet: string): ClientRecord | undefined {
    return [...this.clients.values()].find((c) => c.wallet === wallet && c.state === 'flagged');
  }

  #changed(save: boolean): void {
    if (save) this.#onSave?.(this);
    for (const l of [...this.#listeners]) l();
  }

  #finish(status: JobStatus, reason: string | null): void {
    clearTimeout(this.#deadlineTimer);
    this.status = status;
    this.statusReason = reason;
    // Nothing a finished job serves reads the dataset-sized data: status, rounds and the model need only the summary.
    this.#data = null;
    this.#changed(true);
  }

  /** Epsilon after `extraRounds` more rounds at this job's sampling rate. */
  #epsilon(extraRounds: number): number | null {
    const dp = this.spec.dp;
    if (!dp) return null;
    const accountant = new RdpAccountant();
    const steps = [
      ...this.rounds.filter((r) => r.status === 'aggregated').map((r) => r.sampled.length),
      ...Array.from({ length: extraRounds }, () => this.#sampleSize()),
    ];
    for (const m of steps) accountant.step({ noiseMultiplier: dp.noiseMultiplier, sampleRate: Math.min(1, m / this.spec.clients) });
    return steps.length === 0 ? 0 : accountant.getEpsilon(dp.delta);
  }

  /** Active clients with rows to train on (a split can leave a shard empty). */
  #activeClients(): ClientRecord[] {
    return [...this.clients.values()].filter((c) => c.state === 'active' && (this.summary.shardSizes[c.shard] as number) > 0);
  }

  #sampleSize(): number {
    return sampleSize(this.spec, this.#activeClients().length);
  }

  /** Opens the next round if none is open and the job can go on. */
  #advance(): void {
    if (this.finished || this.openRound) return;
    if (this.completedRounds >= this.spec.rounds) return this.#finish('completed', null);
    const budget = this.spec.dp?.epsilonBudget ?? null;
    if (budget !== null) {
      const next = this.#epsilon(1) as number;
      if (next > budget) return this.#finish('stopped', `the next round would spend epsilon ${next.toFixed(3)}, above the budget ${budget}`);
    }
    const round = this.completedRounds + 1;
    const attempt = this.rounds.filter((r) => r.round === round).length + 1;
    if (attempt > this.spec.maxRetries + 1)
      return this.#finish('failed', `round ${round} fell short ${attempt - 1} times (the last: ${this.rounds.at(-1)?.note ?? 'unknown'})`);
    const active = this.#activeClients();
    if (active.length < this.spec.minClients) {
      if (this.status !== 'waiting') {
        this.status = 'waiting';
        this.#changed(true);
      }
      return;
    }
    const sampled = this.#engine.sample(active.map((c) => c.id).sort(), this.#sampleSize());
    const now = this.#now();
    this.#received = new Map();
    this.rounds.push({
      round,
      attempt,
      status: 'open',
      sampled,
      participants: [],
      dropouts: [],
      rejected: [],
      trainingLoss: null,
      validationLoss: null,
      accuracy: null,
      epsilon: null,
      startedAt: now.toISOString(),
      deadline: new Date(now.getTime() + this.spec.roundTimeoutMs).toISOString(),
      endedAt: null,
      note: null,
    });
    this.status = 'running';
    clearTimeout(this.#deadlineTimer);
    this.#deadlineTimer = setTimeout(() => this.#close(), this.spec.roundTimeoutMs);
    this.#deadlineTimer.unref();
    this.#changed(true);
  }

  #maybeClose(): void {
    const open = this.openRound;
    if (open && this.#received.size + open.rejected.length >= open.sampled.length) this.#close();
  }

  #close(): void {
    const open = this.openRound;
    if (!open || this.finished) return;
    clearTimeout(this.#deadlineTimer);
    const updates = open.sampled.map((id) => this.#received.get(id)).filter((u): u is ClientUpdate => u !== undefined);
    const rejected = new Set(open.rejected.map((r) => r.clientId));
    open.participants = updates.map((u) => u.clientId);
    open.dropouts = open.sampled.filter((id) => !this.#received.has(id) && !rejected.has(id));
    for (const id of open.dropouts) {
      const c = this.clients.get(id);
      if (c && c.state === 'active') c.state = 'dropped';
    }
    open.endedAt = this.#now().toISOString();
    const failures = open.dropouts.length + open.rejected.length;
    const tolerated = Math.floor(this.spec.maxFailureFraction * open.sampled.length + 1e-9);
    if (updates.length === 0 || failures > tolerated) {
      open.status = 'short';
      open.note = `${updates.length} of ${open.sampled.length} sampled clients sent a usable update (${open.dropouts.length} dropped out, ${open.rejected.length} rejected); at most ${tolerated} failures are accepted`;
    } else {
      this.#global = this.#engine.aggregate(open.round, this.#global, updates);
      open.trainingLoss = meanTrainingLoss(updates);
      const validation = this.#data?.validation ?? [];
      if (validation.length > 0) {
        const scored = this.model.evaluate(this.#global, validation);
        open.accuracy = scored.accuracy;
        open.validationLoss = scored.loss;
      }
      open.status = 'aggregated';
      open.epsilon = this.#epsilon(0);
      if (this.#engine.clipNorm !== undefined) open.clipNorm = this.#engine.clipNorm;
    }
    this.#received = new Map();
    this.#changed(true);
    this.#advance();
  }
}
