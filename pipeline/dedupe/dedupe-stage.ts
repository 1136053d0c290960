/**
 * @module The dedupe stage: sequential (it holds the index), so it runs on the main thread, in input
 * order, which makes "keep the first of each cluster" deterministic. Exact duplicates (same
 * normalised text) and near duplicates (a shared LSH band) are dropped; kept docs carry their
 * cluster id (their own id, as the first of the cluster).
 */
import { existsSync } from 'node:fs';
import type { StatefulStage } from '../stage.js';
import { clusterBucket, DedupeIndex } from './dedupe-index.js';
import type { DedupeOptions } from './dedupe-options.js';

/**
 * Builds the stage, restoring the index from `statePath` when given (a resumed run); `saveState`
 * appends the index's decisions since the last save.
 */
export async function createDedupeStage(opts: DedupeOptions, restore: { statePath?: string } = {}): Promise<StatefulStage> {
  const indexOpts = { bands: opts.bands, rows: opts.rows, expectedDocs: opts.expectedDocs };
  const index = restore.statePath && existsSync(restore.statePath) ? await DedupeIndex.fromLog(restore.statePath, indexOpts) : new DedupeIndex(indexOpts);
  return {
    name: 'dedupe',
    async saveState(path) {
      await index.flushLog(path);
    },
    async *process(docs, ctx) {
      const grew = (before: number, after: number) => {
        if (before >= 2) ctx.stats.count(`clusters_size_${clusterBucket(before)}`, -1);
        ctx.stats.count(`clusters_size_${clusterBucket(after)}`);
      };
      for await (const doc of docs) {
        ctx.stats.count('total');
        const t0 = performance.now();
        const { minhash, ...rest } = doc;
        const hash = doc.contentHash ?? '';
        const verdict = opts.exact || opts.near ? index.classify(doc.id, hash, opts.near ? minhash : undefined, grew) : undefined;
        ctx.stats.addTimeMs(performance.now() - t0);
        if (verdict && verdict.kind === 'exact' && opts.exact) {
          ctx.stats.count('dropped_exact_duplicate');
          continue;
        }
        if (verdict && verdict.kind === 'near' && opts.near) {
          ctx.stats.count('dropped_near_duplicate');
          continue;
        }
        ctx.stats.count('kept');
        yield { ...rest, dupCluster: doc.id };
      }
    },
  };
}
