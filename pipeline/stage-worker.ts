/**
 * @module The worker-thread side of the pool: builds the stateless stages from the run's config
 * once, then runs each batch it is sent and posts back the kept docs and the batch's counters.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Doc } from './doc.js';
import { silentLogger } from '../common/index.js';
import { runBatch } from './run-segment.js';
import { createWorkerStages } from './stage-list.js';
import type { PipelineConfig } from './config.js';
import { Stats } from './stats.js';

/** What the pool sends a worker. */
export interface BatchRequest {
  id: number;
  segment: number;
  docs: Doc[];
}

/** Sent once, when the worker's stages are built and it can take batches. */
export interface WorkerReady {
  ready: true;
}

/** What a worker answers. */
export type BatchResponse = { id: number; ok: true; docs: Doc[]; stats: ReturnType<Stats['toJSON']> } | { id: number; ok: false; error: string };

const { config, segments } = workerData as { config: PipelineConfig; segments: string[][] };
const built = segments.map((names) => createWorkerStages(names, config));
parentPort?.postMessage({ ready: true } satisfies WorkerReady);

parentPort?.on('message', (req: BatchRequest) => {
  const stats = new Stats();
  const stages = built[req.segment];
  if (!stages) {
    parentPort?.postMessage({ id: req.id, ok: false, error: `no stage segment ${req.segment}` } satisfies BatchResponse);
    return;
  }
  runBatch(stages, req.docs, stats, silentLogger).then(
    (docs) => parentPort?.postMessage({ id: req.id, ok: true, docs, stats: stats.toJSON() } satisfies BatchResponse),
    (err: unknown) =>
      parentPort?.postMessage({
        id: req.id,
        ok: false,
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      } satisfies BatchResponse),
  );
});
