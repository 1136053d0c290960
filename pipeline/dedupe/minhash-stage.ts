/**
 * @module The minhash stage: stateless, so it runs on worker threads. It normalises each doc's
 * text, sets `contentHash` (sha1 of the normalised text; hex) and the MinHash signature the
 * dedupe stage bands. Its options are the config's `dedupe` section (`dedupe-options.ts`), shared
 * with that stage.
 */
import { createHash } from 'node:crypto';
import { mapStage, type Stage } from '../stage.js';
import type { DedupeOptions } from './dedupe-options.js';
import { hashSeeds, minhashSignature, shingleHashes } from './minhash.js';
import { normalizeForDedupe } from './normalize.js';

/** The stage: sets `contentHash` and, when near-dedupe is on, `minhash`. */
export function createMinhashStage(opts: DedupeOptions): Stage {
  const seeds = hashSeeds(opts.bands * opts.rows, opts.seed);
  return mapStage('minhash', (doc) => {
    const normalized = normalizeForDedupe(doc.text);
    const contentHash = createHash('sha1').update(normalized).digest('hex');
    if (!opts.near) return { ...doc, contentHash };
    const shingles = shingleHashes(normalized, opts.ngram);
    return shingles.length > 0 ? { ...doc, contentHash, minhash: minhashSignature(shingles, seeds) } : { ...doc, contentHash };
  });
}
