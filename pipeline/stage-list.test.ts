import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from './config.js';
import { PipelineError } from './errors.js';
import type { Stage, StatefulStage } from './stage.js';
import { createWorkerStages, PIPELINE_STAGES, planStages, type StageEntry } from './stage-list.js';

const config = parsePipelineConfig({});
const worker = (name: string): StageEntry => ({ name, runsOn: 'worker', create: () => ({ name, process: (docs) => docs }) as Stage });
const main = (name: string): StageEntry => ({
  name,
  runsOn: 'main',
  create: async () => ({ name, process: (docs) => docs, saveState: async () => {} }) as StatefulStage,
});

/** The plan read back as the list of names it runs, in order. */
function stepNames(entries: readonly StageEntry[]): string[] {
  const plan = planStages(entries);
  return plan.steps.flatMap((step) => ('main' in step ? [step.main.name] : (plan.workerSegments[step.workerSegment] ?? [])));
}

describe('planStages', () => {
  it('runs the stateless stages of the pipeline on workers, before and after the main-thread dedupe', () => {
    const plan = planStages();
    expect(plan.workerSegments).toEqual([
      ['extract', 'language', 'minhash'],
      ['pii', 'quality'],
    ]);
    expect(plan.steps.map((s) => ('main' in s ? s.main.name : s.workerSegment))).toEqual([0, 'dedupe', 1]);
  });

  it('runs every stage of the list exactly once, in the list order', () => {
    expect(stepNames(PIPELINE_STAGES)).toEqual(PIPELINE_STAGES.map((s) => s.name));
  });

  it('cuts any list into the longest runs of worker stages between main-thread stages, with no empty run', () => {
    const lists = [[main('a'), worker('b'), worker('c'), main('d'), main('e'), worker('f')], [worker('a')], [main('a')], []];
    for (const list of lists) expect(stepNames(list)).toEqual(list.map((s) => s.name));
    const plan = planStages(lists[0]);
    expect(plan.workerSegments).toEqual([['b', 'c'], ['f']]);
    expect(plan.steps).toHaveLength(5);
  });
});

describe('PIPELINE_STAGES', () => {
  it('builds each stage under its entry name, so its counters land where the report reads them', async () => {
    for (const entry of PIPELINE_STAGES) {
      const stage = entry.runsOn === 'worker' ? entry.create(config) : await entry.create(config, {});
      expect(stage.name).toBe(entry.name);
    }
  });

  it('names each stage once', () => {
    const names = PIPELINE_STAGES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('createWorkerStages', () => {
  it('builds worker stages by name and refuses a stage that must run on the main thread', () => {
    expect(createWorkerStages(['quality', 'minhash'], config).map((s) => s.name)).toEqual(['quality', 'minhash']);
    expect(() => createWorkerStages(['dedupe'], config)).toThrow(PipelineError);
    expect(() => createWorkerStages(['no-such-stage'], config)).toThrow(/no-such-stage is not a stage that can run on a worker thread/);
  });
});
