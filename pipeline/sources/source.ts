/**
 * @module The `Source` contract: something that yields docs from one input, counting what it
 * had to skip. Sources are read in order; `skip` lets a resumed run start past what a
 * checkpoint already holds.
 */
import type { Doc } from '../doc.js';
import type { StageContext } from '../stage.js';

/**
 * Largest JSONL line or WARC record a file reader takes in; a larger one is skipped as
 * `skipped_too_large` without being held in memory. It leaves room for the extract stage's
 * 8 MiB of HTML (extract.maxHtmlBytes) inside JSON string escaping.
 */
export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** What a source scans with: counters, a logger, and the run's stop signal. */
export interface SourceContext extends StageContext {
  /** Aborted when the run is interrupted; a source waiting on the network stops waiting. */
  signal?: AbortSignal | undefined;
}

export interface Source {
  /** The input as the user named it (path or URL), for messages and the report. */
  readonly input: string;
  /** Size in bytes when known up front (files), for progress ETA. */
  readonly sizeBytes?: number;
  /**
   * Yields docs in a deterministic order; `ctx.stats` counts `read` and `skipped_<reason>`. Closes
   * what it opened when it ends, fails, or its consumer stops early. A read error of the input
   * (see `isInputReadError` in input-file.ts) is thrown as it is, for the runner to count.
   */
  scan(ctx: SourceContext): AsyncIterable<Doc>;
}
