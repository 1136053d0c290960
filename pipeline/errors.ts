/**
 * @module Typed pipeline failures. A bad page or record is not one: a stage drops it with a reason
 * and a source counts it. `SkipError` is how a source's reader signals a malformed record to the
 * source, which catches and counts it; every other class stops the run, and the CLI prints its
 * message and exits with 2 (RunInterruptedError: with the signal's code). Nothing here is retried:
 * fetch retries are crawlee's own (`crawl.maxRetries`).
 */

export class PipelineError extends Error {
  override name = 'PipelineError';
  readonly code: string = 'PIPELINE_ERROR';
}

/**
 * A malformed record (a truncated or corrupt WARC record): the source counts it as
 * `skipped_<code>` and reads no further in that file. It never reaches the runner.
 */
export class SkipError extends PipelineError {
  override name = 'SkipError';
  override readonly code: string;
  constructor(message: string, opts: { reason: string; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.code = opts.reason;
  }
}

/** The run cannot go on (bad config, unreadable input, the catalog is unreachable). */
export class FatalError extends PipelineError {
  override name = 'FatalError';
  override readonly code: string = 'FATAL';
}

/**
 * A library behaves otherwise than the version this build was written against (an internal it
 * relies on is gone): the run stops at once, naming the library and its installed version, rather
 * than reading wrongly without a word.
 */
export class IncompatibleLibraryError extends FatalError {
  override name = 'IncompatibleLibraryError';
  override readonly code = 'LIBRARY_INCOMPATIBLE';
}

/** Work handed to a worker pool after `close()`: a caller's bug, never a reason to return nothing. */
export class WorkerPoolClosedError extends PipelineError {
  override name = 'WorkerPoolClosedError';
  override readonly code = 'WORKER_POOL_CLOSED';
  constructor() {
    super('worker pool is closed: no batch can run on it');
  }
}

/** Config that fails validation; the message names the field. */
export class ConfigError extends FatalError {
  override name = 'ConfigError';
  override readonly code = 'CONFIG_INVALID';
}

/**
 * The run was stopped by a signal (SIGINT, SIGTERM) between two documents. The last checkpoint is
 * kept, so the same run continues with `--resume`.
 */
export class RunInterruptedError extends FatalError {
  override name = 'RunInterruptedError';
  override readonly code = 'INTERRUPTED';
  constructor(
    message: string,
    /** The signal's name, e.g. `SIGTERM`. */
    readonly signal: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts);
  }

  /**
   * The interruption of a run, in the one wording used wherever it is reported: by the runner
   * when it stops, and by the CLI when the process has to exit before the runner could (the grace
   * period ran out). Both name the signal and say how to go on:
   * `run 3f2a… interrupted by SIGTERM after reading 120 documents; 100 are saved in its checkpoint: run the same command again with --resume to continue`.
   */
  static forRun(o: {
    signal: string;
    /** Unknown when the run had not started yet. */
    runId?: string | undefined;
    docsRead: number;
    /** Input docs the last checkpoint holds; unknown when the process has to exit without the runner. */
    docsSaved?: number | undefined;
    /** A crawl cannot be resumed, only started over. */
    crawl: boolean;
  }): RunInterruptedError {
    const saved = o.docsSaved === undefined ? 'its last checkpoint is kept' : `${o.docsSaved} are saved in its checkpoint`;
    return new RunInterruptedError(
      `run${o.runId ? ` ${o.runId}` : ''} interrupted by ${o.signal} after reading ${o.docsRead} documents; ` +
        (o.crawl ? CRAWL_RESTART_HINT : `${saved}: ${RESUME_HINT}`),
      o.signal,
    );
  }
}

/** How an interrupted run over files goes on: the words every report of an interruption ends with. */
export const RESUME_HINT = 'run the same command again with --resume to continue';

/** How an interrupted crawl goes on (a crawl fetches in a different order each time, so it cannot resume). */
export const CRAWL_RESTART_HINT = 'a crawl cannot be resumed: run the same command again to start it over';
