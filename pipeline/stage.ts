/**
 * @module The `Stage` contract and the helpers most stages are built from. A stage pulls docs,
 * yields the ones it keeps, and records why it dropped the others in `ctx.stats`.
 */
import type { Doc } from './doc.js';
import type { Logger } from '../common/index.js';
import type { StageStats } from './stats.js';

export interface StageContext {
  stats: StageStats;
  logger: Logger;
}

export interface Stage {
  readonly name: string;
  process(docs: AsyncIterable<Doc>, ctx: StageContext): AsyncIterable<Doc>;
}

/**
 * A stage that holds state across docs (the dedupe index), so it runs on the main thread in input
 * order. The runner saves its state with each checkpoint and restores it on `--resume`.
 */
export interface StatefulStage extends Stage {
  /** Appends what changed since the last save to `path`, from which the stage's factory restores it. */
  saveState(path: string): Promise<void>;
}

/** What a per-document check returns: keep it, or drop it with a reason (counted as `dropped_<reason>`). */
export type Verdict = true | { drop: string };

/** A drop verdict. */
export function drop(reason: string): { drop: string } {
  return { drop: reason };
}

/**
 * A stage that transforms each doc, or drops it with a reason. Counts `total`, `kept` and
 * `dropped_<reason>`, so no stage writes its own counters for these.
 *
 * @example
 * const upper = mapStage('upper', (doc) => ({ ...doc, text: doc.text.toUpperCase() }));
 */
export function mapStage(name: string, fn: (doc: Doc, ctx: StageContext) => Doc | { drop: string }): Stage {
  return {
    name,
    async *process(docs, ctx) {
      for await (const doc of docs) {
        ctx.stats.count('total');
        const t0 = performance.now();
        const out = fn(doc, ctx);
        ctx.stats.addTimeMs(performance.now() - t0);
        if ('drop' in out) {
          ctx.stats.count(`dropped_${out.drop}`);
          continue;
        }
        ctx.stats.count('kept');
        yield out;
      }
    },
  };
}

/**
 * A stage that keeps or drops docs without changing them (datatrove's filters).
 *
 * @example
 * const nonEmpty = filterStage('non_empty', (doc) => doc.text.length > 0 || drop('empty'));
 */
export function filterStage(name: string, predicate: (doc: Doc, ctx: StageContext) => Verdict): Stage {
  return mapStage(name, (doc, ctx) => {
    const v = predicate(doc, ctx);
    return v === true ? doc : v;
  });
}
