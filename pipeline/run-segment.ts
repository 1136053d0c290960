/**
 * @module Runs a batch of docs through a chain of stages. Used inside worker threads and, with
 * `workers: 0`, in the main thread; the two paths share this code so they give the same output.
 */
import type { Doc } from './doc.js';
import type { Logger } from '../common/index.js';
import type { Stage } from './stage.js';
import type { Stats } from './stats.js';

/** Wires `docs` through `stages` in order, counting into `stats` under each stage's name. */
export function chainStages(stages: readonly Stage[], docs: AsyncIterable<Doc>, stats: Stats, logger: Logger): AsyncIterable<Doc> {
  let stream = docs;
  for (const stage of stages) {
    stream = stage.process(stream, { stats: stats.stage(stage.name), logger: logger.child({ stage: stage.name }) });
  }
  return stream;
}

/** Runs one bounded batch through `stages` and returns what they kept. */
export async function runBatch(stages: readonly Stage[], batch: readonly Doc[], stats: Stats, logger: Logger): Promise<Doc[]> {
  const out: Doc[] = [];
  for await (const doc of chainStages(stages, fromArray(batch), stats, logger)) out.push(doc);
  return out;
}

async function* fromArray<T>(xs: readonly T[]): AsyncIterable<T> {
  yield* xs;
}
