/**
 * @module The pipeline as one ordered list of stages. The runner cuts it into worker segments (the
 * stages that may run on worker threads, between the ones that must run on the main thread), and
 * the report lists its funnel in this order. Adding a stage is one entry here and its module (and,
 * when it has options, its section in config.ts).
 *
 * Worker threads receive only stage names and the plain config, so a worker stage must be
 * constructible from those alone.
 */
import type { PipelineConfig } from './config.js';
import { PipelineError } from './errors.js';
import { createDedupeStage } from './dedupe/dedupe-stage.js';
import { createMinhashStage } from './dedupe/minhash-stage.js';
import { createExtractStage } from './extract/extract-stage.js';
import { createLanguageStage } from './language/language-stage.js';
import { createQualityStage } from './quality/quality-stage.js';
import { checkPiiKey, createPiiStage } from './redaction/pii-stage.js';
import type { Stage, StatefulStage } from './stage.js';

interface StageEntryBase {
  /** The stage's name: its counters' section in the run's stats and its step in the report's funnel. */
  readonly name: string;
  /** Fails at once, on the main thread, when the config cannot work (a key it names is missing). */
  readonly check?: (config: PipelineConfig) => void;
}

/** A stateless stage: built from the config in each worker thread, and run there on batches. */
export interface WorkerStageEntry extends StageEntryBase {
  readonly runsOn: 'worker';
  readonly create: (config: PipelineConfig) => Stage;
}

/**
 * A stage that holds state across docs (the dedupe index): it runs on the main thread, in input
 * order, and its state is saved with each checkpoint and restored on `--resume`.
 */
export interface MainStageEntry extends StageEntryBase {
  readonly runsOn: 'main';
  readonly create: (config: PipelineConfig, restore: { statePath?: string }) => Promise<StatefulStage>;
}

export type StageEntry = WorkerStageEntry | MainStageEntry;

/** Every stage, in pipeline order. */
export const PIPELINE_STAGES: readonly StageEntry[] = [
  { name: 'extract', runsOn: 'worker', create: (c) => createExtractStage(c.extract) },
  { name: 'language', runsOn: 'worker', create: (c) => createLanguageStage(c.language) },
  { name: 'minhash', runsOn: 'worker', create: (c) => createMinhashStage(c.dedupe) },
  { name: 'dedupe', runsOn: 'main', create: (c, restore) => createDedupeStage(c.dedupe, restore) },
  { name: 'pii', runsOn: 'worker', create: (c) => createPiiStage(c.pii), check: (c) => checkPiiKey(c.pii) },
  { name: 'quality', runsOn: 'worker', create: (c) => createQualityStage(c.quality) },
];

/** One step of the pipeline: a run of worker stages (by its index in `workerSegments`), or a main-thread stage. */
export type StageStep = { readonly workerSegment: number } | { readonly main: MainStageEntry };

/** The stage list cut for the runner. */
export interface StagePlan {
  /** The runs of consecutive worker stages, by name: what the worker pool builds and runs. */
  workerSegments: string[][];
  /** The whole list in order, each run of worker stages as one step. */
  steps: StageStep[];
}

/** Cuts `stages` into runs of worker stages between the main-thread stages. */
export function planStages(stages: readonly StageEntry[] = PIPELINE_STAGES): StagePlan {
  const plan: StagePlan = { workerSegments: [], steps: [] };
  let run: string[] | undefined;
  for (const entry of stages) {
    if (entry.runsOn === 'main') {
      run = undefined;
      plan.steps.push({ main: entry });
    } else if (run) {
      run.push(entry.name);
    } else {
      run = [entry.name];
      plan.steps.push({ workerSegment: plan.workerSegments.length });
      plan.workerSegments.push(run);
    }
  }
  return plan;
}

/** Builds the named worker stages from the run's config, in the order given. */
export function createWorkerStages(names: readonly string[], config: PipelineConfig): Stage[] {
  return names.map((name) => {
    const entry = PIPELINE_STAGES.find((s) => s.name === name);
    if (entry?.runsOn !== 'worker') throw new PipelineError(`${name} is not a stage that can run on a worker thread`);
    return entry.create(config);
  });
}
