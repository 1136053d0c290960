/**
 * @module The minhash stage: stateless, so it runs on worker threads. It normalises each doc's
 * text, sets `contentHash` (sha1 of the normalised text; hex) and the MinHash signature the
 * dedupe stage bands. The options are the `dedupe` section of the config, shared with that stage.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { hashSeeds, minhashSignature, shingleHashes } from './minhash.js';
import { normalizeForDedupe } from './normalize.js';
import { mapStage, type Stage } from '../stage.js';

export const dedupeOptionsSchema = z
  .object({
    /** Drop docs whose normalised text is identical to an earlier doc's. */
    exact: z.boolean().default(true),
    /** Drop near duplicates found by MinHash LSH. */
    near: z.boolean().default(true),
    /**
     * LSH bands × rows: 14 × 8 = 112 hashes as FineWeb used (Penedo et al. 2024); a pair with
     * Jaccard s matches with probability 1 - (1 - s^8)^14: 50% near s = 0.72, 99% by s = 0.85.
     */
    bands: z.number().int().positive().default(14),
    rows: z.number().int().positive().default(8),
    /** Word n-gram size of the shingles: 5, as FineWeb and datatrove's defaults. */
    ngram: z.number().int().positive().default(5),
    seed: z.number().int().min(0).default(1),
    /** Presizes the index; it grows past this by doubling. */
    expectedDocs: z.number().int().positive().default(100_000),
  })
  .strict();

export type DedupeOptions = z.infer<typeof dedupeOptionsSchema>;

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
