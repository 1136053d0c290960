/**
 * @module The pipeline's public face: run a pipeline, parse its config, and the contracts
 * (`Doc`, `Stage`) for anyone writing a stage.
 */
export type { Doc, DocQuality, DocSource } from './doc.js';
export type { Stage, StageContext, Verdict } from './stage.js';
export { drop, filterStage, mapStage } from './stage.js';
export { Stats, type StatsSnapshot } from './stats.js';
export { ConfigError, FatalError, IncompatibleLibraryError, PipelineError, RunInterruptedError, SkipError, WorkerPoolClosedError } from './errors.js';
export { parsePipelineConfig, pipelineConfigSchema, type PipelineConfig, type PipelineConfigInput } from './config.js';
export { runPipeline, slugify, type RunOptions, type RunProgress, type RunResult } from './runner.js';
export type { RunReport } from './report.js';
export { DATASET_COLUMNS, type DatasetManifest } from './dataset-files.js';
export { extractMainText } from './extract/extract-stage.js';
export { decodeHtml } from './sources/decode-html.js';
export { createJsonlSource } from './sources/jsonl-source.js';
