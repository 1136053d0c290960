/**
 * @module The pipeline's one config schema: a table of fields with defaults, units in names,
 * parsed once at the edge (CLI) and passed down frozen. Each stage owns the schema of its own
 * section; this file assembles them.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { DEFAULT_MAX_RECORD_BYTES } from './sources/source.js';
import { dedupeOptionsSchema } from './dedupe/dedupe-options.js';
import { extractOptionsSchema } from './extract/extract-stage.js';
import { languageOptionsSchema } from './language/language-stage.js';
import { qualityOptionsSchema } from './quality/quality-stage.js';
import { piiOptionsSchema } from './redaction/pii-stage.js';

/** Crawl settings (crawlee CheerioCrawler). */
export const crawlOptionsSchema = z
  .object({
    maxPages: z.number().int().positive().default(1000),
    maxDepth: z.number().int().min(0).default(5),
    /** Hosts links may lead to; empty keeps the crawl on each start URL's own host. */
    allowDomains: z.array(z.string()).default([]),
    respectRobotsTxt: z.boolean().default(true),
    maxRetries: z.number().int().min(0).default(2),
    maxConcurrency: z.number().int().positive().default(4),
    /** Politeness: at least this long between two requests to one host. */
    sameHostDelayMs: z.number().int().min(0).default(250),
    requestTimeoutMs: z.number().int().positive().default(30_000),
  })
  .strict();

/** Limits of the file readers (WARC, JSONL). */
export const inputOptionsSchema = z
  .object({
    /**
     * A JSONL line or WARC record larger than this is skipped (`skipped_too_large`) without being
     * held in memory. Raise it together with extract.maxHtmlBytes.
     */
    maxRecordBytes: z.number().int().positive().default(DEFAULT_MAX_RECORD_BYTES),
  })
  .strict();

/** How the runner schedules work. */
export const runnerOptionsSchema = z
  .object({
    /** Worker threads for the stateless stages; 0 runs everything on the main thread. */
    workers: z.number().int().min(0).default(Math.max(1, availableParallelism())),
    /** Docs per batch sent to a worker. */
    batchDocs: z.number().int().positive().default(64),
    /** Bytes of HTML+text after which a batch is sent early. */
    batchBytes: z
      .number()
      .int()
      .positive()
      .default(4 * 1024 * 1024),
    /**
     * Input docs per segment. A segment ends with a Parquet part and a checkpoint, so this sets
     * both the part size and how much work a crash can cost.
     */
    docsPerPart: z.number().int().positive().default(20_000),
    /**
     * Heap cap per worker thread (V8 old generation). A doc that needs more crashes only its worker
     * and is dropped as `worker_crash`; the default leaves room for the largest page extract accepts.
     */
    workerHeapMb: z.number().int().min(0).default(1024),
    /** Time budget for one doc in a worker before it is dropped as `doc_timeout`. */
    docTimeoutMs: z.number().int().positive().default(10_000),
  })
  .strict();

/** What the dataset card says about the dataset. */
export const datasetOptionsSchema = z
  .object({
    /** Slug in the catalog; defaults to the output directory's name. */
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, ".", "_" or "-"')
      .optional(),
    description: z.string().default(''),
    /** SPDX id or a hub license tag (e.g. `odc-by`, `cc-by-4.0`, `other`). */
    license: z.string().default('other'),
  })
  .strict();

export const pipelineConfigSchema = z
  .object({
    dataset: datasetOptionsSchema.default(datasetOptionsSchema.parse({})),
    runner: runnerOptionsSchema.default(runnerOptionsSchema.parse({})),
    input: inputOptionsSchema.default(inputOptionsSchema.parse({})),
    crawl: crawlOptionsSchema.default(crawlOptionsSchema.parse({})),
    extract: extractOptionsSchema.default(extractOptionsSchema.parse({})),
    language: languageOptionsSchema.default(languageOptionsSchema.parse({})),
    dedupe: dedupeOptionsSchema.default(dedupeOptionsSchema.parse({})),
    pii: piiOptionsSchema.default(piiOptionsSchema.parse({})),
    quality: qualityOptionsSchema.default(qualityOptionsSchema.parse({})),
  })
  .strict();

export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;
export type PipelineConfigInput = z.input<typeof pipelineConfigSchema>;

/**
 * Validates a config object. The error names every offending field by its path, e.g.
 * `runner.workers: Too small: expected number to be >=0`.
 */
export function parsePipelineConfig(input: unknown, source = 'config'): PipelineConfig {
  const result = pipelineConfigSchema.safeParse(input ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const path = i.path.length > 0 ? i.path.join('.') : '(root)';
      return `  ${path}: ${i.message}`;
    });
    throw new ConfigError(`invalid ${source}:\n${lines.join('\n')}`);
  }
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
