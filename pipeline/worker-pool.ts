/**
 * @module Runs the stateless stages on worker threads: an ordered parallel map over batches of
 * docs. Output order equals input order whatever the thread timing, so a run is deterministic.
 * A batch that overruns its time budget, or kills its worker, is retried one doc at a time on a
 * fresh worker, so a single pathological page is dropped and counted instead of stalling the run.
 */
import { Worker } from 'node:worker_threads';
import type { PipelineConfig } from './config.js';
import type { Doc } from './doc.js';
import { WorkerPoolClosedError } from './errors.js';
import type { Logger } from '../common/index.js';
import { logSafeUrl } from './log-safe-url.js';
import { chainStages } from './run-segment.js';
import type { Stage } from './stage.js';
import { createWorkerStages } from './stage-list.js';
import type { BatchRequest, BatchResponse, WorkerReady } from './stage-worker.js';
import { Stats } from './stats.js';

export interface WorkerPoolOptions {
  /** Worker threads; 0 runs the stages on the calling thread. */
  size: number;
  config: PipelineConfig;
  /** Each segment names a run of worker stages from the stage list, which `map` runs. */
  segments: string[][];
  /** Time budget for one doc; a batch gets a multiple of it before it is split. */
  docTimeoutMs: number;
  batchDocs: number;
  batchBytes: number;
  /** Old-generation heap cap per worker thread in MB; 0 leaves V8's default. */
  heapMb: number;
  logger: Logger;
  /** The worker script; tests substitute one that speaks the same protocol. */
  workerUrl?: URL;
}

class BatchFailure extends Error {
  override name = 'BatchFailure';
  constructor(
    message: string,
    readonly reason: 'doc_timeout' | 'worker_crash' | 'stage_error',
  ) {
    super(message);
  }
}

interface Slot {
  worker: Worker;
  /** Settles once the worker has built its stages (or died trying). */
  ready: Promise<void>;
  busy: boolean;
}

/**
 * A worker and the promise of its readiness. A doc's time budget starts when the worker can work
 * on it: loading the stages (language data, name lexicons, phone metadata) takes a second or more,
 * and a doc sent to a replacement worker must not be charged for it.
 */
function startWorker(opts: WorkerPoolOptions): Omit<Slot, 'busy'> {
  const worker = spawnWorker(opts);
  const ready = new Promise<void>((resolve) => {
    const done = () => {
      worker.off('message', onMessage);
      worker.off('error', done);
      worker.off('exit', done);
      resolve();
    };
    const onMessage = (msg: unknown) => {
      if ((msg as WorkerReady | undefined)?.ready === true) done();
    };
    worker.on('message', onMessage);
    worker.once('error', done);
    worker.once('exit', done);
  });
  return { worker, ready };
}

/** Starts a worker from the compiled `.js` script, or from `.ts` source through tsx (tests). */
function spawnWorker(opts: WorkerPoolOptions): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = opts.workerUrl ?? new URL(fromSource ? './stage-worker.ts' : './stage-worker.js', import.meta.url);
  const workerData = { config: opts.config, segments: opts.segments };
  // A heap cap per worker: a page that needs more is dropped as worker_crash instead of swapping the machine.
  const resourceLimits = opts.heapMb > 0 ? { maxOldGenerationSizeMb: opts.heapMb } : {};
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData, resourceLimits });
  return new Worker(new URL('./tsx-worker.mjs', import.meta.url), { workerData: { ...workerData, tsxEntry: url.href }, resourceLimits });
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private readonly inline: Stage[][] = [];
  private nextId = 0;
  private closed = false;

  private constructor(private readonly opts: WorkerPoolOptions) {}

  /** Starts the workers (or builds the stages in-process when `size` is 0). */
  static async create(opts: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(opts);
    if (opts.size === 0) {
      pool.inline.push(...opts.segments.map((names) => createWorkerStages(names, opts.config)));
    } else {
      for (let i = 0; i < opts.size; i++) pool.slots.push({ ...startWorker(opts), busy: false });
    }
    return pool;
  }

  /**
   * Runs `docs` through segment `segment`, `size` batches at a time, yielding in input order.
   * Counters from the workers are merged into `stats`. A closed pool throws WorkerPoolClosedError.
   */
  async *map(segment: number, docs: AsyncIterable<Doc>, stats: Stats): AsyncIterable<Doc> {
    if (this.closed) throw new WorkerPoolClosedError();
    const inline = this.inline[segment];
    if (inline) {
      yield* chainStages(inline, docs, stats, this.opts.logger);
      return;
    }
    const inFlight: Array<Promise<Doc[]>> = [];
    const maxInFlight = this.slots.length * 2;
    let batch: Doc[] = [];
    let batchBytes = 0;
    for await (const doc of docs) {
      batch.push(doc);
      batchBytes += (doc.html?.length ?? 0) + doc.text.length;
      if (batch.length >= this.opts.batchDocs || batchBytes >= this.opts.batchBytes) {
        inFlight.push(this.runBatch(segment, batch, stats));
        batch = [];
        batchBytes = 0;
        if (inFlight.length >= maxInFlight) yield* (await inFlight.shift()) ?? [];
      }
    }
    if (batch.length > 0) inFlight.push(this.runBatch(segment, batch, stats));
    while (inFlight.length > 0) yield* (await inFlight.shift()) ?? [];
  }

  /**
   * Terminates the workers. Batches still in flight (an interrupted run) resolve empty instead
   * of being retried on new workers.
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }

  private async runBatch(segment: number, docs: Doc[], stats: Stats): Promise<Doc[]> {
    try {
      return await this.send(segment, docs, stats, this.opts.docTimeoutMs * 3);
    } catch (err) {
      // close() came while this batch was in flight (an interrupted run): nothing more is wanted from it.
      if (this.closed) return [];
      if (!(err instanceof BatchFailure)) throw err;
      this.opts.logger.warn({ segment, docs: docs.length, reason: err.reason }, 'batch failed; retrying its docs one at a time');
      // One doc at a time finds the culprit; the rest of the batch goes through unharmed.
      const kept: Doc[] = [];
      for (const doc of docs) {
        try {
          kept.push(...(await this.send(segment, [doc], stats, this.opts.docTimeoutMs)));
        } catch (single) {
          if (!(single instanceof BatchFailure)) throw single;
          stats.stage('runner').count(`dropped_${single.reason}`);
          this.opts.logger.warn({ docId: doc.id, url: logSafeUrl(doc.url), reason: single.reason }, 'dropped a doc that failed on its own');
        }
      }
      return kept;
    }
  }

  private async acquire(): Promise<Slot> {
    if (this.closed) throw new WorkerPoolClosedError();
    const idle = this.slots.find((s) => !s.busy);
    if (idle) {
      idle.busy = true;
      return idle;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  private async send(segment: number, docs: Doc[], stats: Stats, timeoutMs: number): Promise<Doc[]> {
    const slot = await this.acquire();
    await slot.ready;
    if (this.closed) {
      // Handed a slot after close(): its worker is gone, and a message to it would wait out the timeout.
      this.release(slot);
      throw new WorkerPoolClosedError();
    }
    const id = this.nextId++;
    const worker = slot.worker;
    let settled = false;
    try {
      const response = await new Promise<BatchResponse>((resolve, reject) => {
        const fail = (reason: BatchFailure['reason'], message: string) => {
          if (settled) return;
          settled = true;
          cleanup();
          reject(new BatchFailure(message, reason));
        };
        const onMessage = (msg: BatchResponse) => {
          if (msg.id !== id || settled) return;
          settled = true;
          cleanup();
          resolve(msg);
        };
        const onError = (err: Error) => fail('worker_crash', err.message);
        const onExit = (code: number) => fail('worker_crash', `worker exited with code ${code}`);
        const timer = setTimeout(() => fail('doc_timeout', `batch of ${docs.length} docs ran past ${timeoutMs} ms`), timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        worker.on('message', onMessage);
        worker.once('error', onError);
        worker.once('exit', onExit);
        worker.postMessage({ id, segment, docs } satisfies BatchRequest);
      });
      if (!response.ok) throw new BatchFailure(response.error, 'stage_error');
      stats.merge(response.stats);
      return response.docs;
    } catch (err) {
      if (err instanceof BatchFailure && err.reason !== 'stage_error' && !this.closed) {
        // The worker is stuck or dead: replace it so the slot can serve the next batch.
        void worker.terminate();
        Object.assign(slot, startWorker(this.opts));
      }
      throw err;
    } finally {
      this.release(slot);
    }
  }
}
