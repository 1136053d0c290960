/**
 * @module The `Source` contract: something that yields docs from one input, counting what it
 * had to skip. Sources are read in order; `skip` lets a resumed run start past what a
 * checkpoint already holds.
 */
import type { Doc } from '../doc.js';
import type { StageContext } from '../stage.js';

export interface Source {
  /** The input as the user named it (path or URL), for messages and the report. */
  readonly input: string;
  /** Size in bytes when known up front (files), for progress ETA. */
  readonly sizeBytes?: number;
  /** Yields docs in a deterministic order; `ctx.stats` counts `read` and `skipped_<reason>`. */
  scan(ctx: StageContext): AsyncIterable<Doc>;
}
