/**
 * @module The `dedupe` section of the config, read by both dedupe stages: the minhash stage
 * (shingles and signatures, on worker threads) and the dedupe stage (the index, on the main thread).
 */
import { z } from 'zod';

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
