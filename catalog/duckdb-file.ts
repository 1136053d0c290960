/**
 * @module Holding the catalog's DuckDB file for one operation at a time. DuckDB lets one process
 * open a file read-write and makes every other opener fail with a lock error, so the catalog opens
 * the file, runs one operation, closes it, and retries lock conflicts with jittered backoff.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CatalogBusyError, CatalogError, OperationAbortedError } from './errors.js';

/** How an operation opens the file. */
export interface FileAccessOptions {
  readOnly: boolean;
  /** Give up with CATALOG_BUSY after waiting this long for another process's lock. */
  lockTimeoutMs: number;
  /** Random source for the backoff jitter (tests pass a seeded one). */
  random?: () => number;
  /** Stops waiting for another process's lock (OperationAbortedError); an operation that has the file runs to its end. */
  signal?: AbortSignal | undefined;
}

/** First and largest pause between lock retries; doubled each attempt, then jittered. */
const FIRST_BACKOFF_MS = 10;
const MAX_BACKOFF_MS = 250;

/**
 * Per-file queues of this process. fcntl locks are per process, so DuckDB does not stop two
 * instances in one process from opening the same file read-write (which corrupts it). The map
 * is module-level on purpose: the resource it guards, the process's file lock, is process-wide.
 */
const fileQueues = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier operation of this process on `file` has finished. */
export function serialize<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const previous = fileQueues.get(file) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  fileQueues.set(file, tail);
  void tail.then(() => {
    if (fileQueues.get(file) === tail) fileQueues.delete(file);
  });
  return run;
}

/** True for DuckDB's "another process holds the file" IO errors. */
export function isLockConflict(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /Could not set lock on file|Conflicting lock/i.test(message);
}

/**
 * Opens `file`, runs `fn` on a connection and closes it, all inside this process's queue for the
 * file. Lock conflicts with other processes are retried until `lockTimeoutMs`, then reported as
 * CatalogBusyError; other open failures are CATALOG_UNAVAILABLE. Errors thrown by `fn` pass through.
 */
export function withDuckDBFile<T>(file: string, opts: FileAccessOptions, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  return serialize(file, async () => {
    const instance = await openWithRetry(file, opts);
    try {
      const conn = await instance.connect();
      try {
        return await fn(conn);
      } finally {
        conn.closeSync();
      }
    } finally {
      instance.closeSync();
    }
  });
}

async function openWithRetry(file: string, opts: FileAccessOptions): Promise<DuckDBInstance> {
  const random = opts.random ?? Math.random;
  const started = Date.now();
  let backoffMs = FIRST_BACKOFF_MS;
  const aborted = (cause?: unknown) => new OperationAbortedError(`catalog ${file}: stopped waiting for another process's lock`, cause);
  for (;;) {
    if (opts.signal?.aborted) throw aborted(opts.signal.reason);
    try {
      return await DuckDBInstance.create(file, opts.readOnly ? { access_mode: 'READ_ONLY' } : {});
    } catch (cause) {
      if (!isLockConflict(cause)) {
        throw new CatalogError(`catalog ${file}: cannot open (${firstLine(cause)})`, { code: 'CATALOG_UNAVAILABLE', cause });
      }
      const waitedMs = Date.now() - started;
      if (waitedMs >= opts.lockTimeoutMs) throw new CatalogBusyError(file, waitedMs, cause);
      // Jittered exponential backoff (AWS architecture blog, "Exponential Backoff and Jitter") spreads retries of
      // competing processes so they do not collide again in lockstep.
      const pauseMs = Math.min(backoffMs * (0.5 + random()), opts.lockTimeoutMs - waitedMs);
      await pause(pauseMs, opts.signal);
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (the caller checks it next). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
