import { describe, expect, it } from 'vitest';
import { DatasetProfiler } from './dataset-profile.js';
import { buildRunReport } from './report.js';
import { PIPELINE_STAGES } from './stage-list.js';
import { Stats } from './stats.js';

function report(stats: Stats) {
  return buildRunReport({
    runId: 'r',
    inputs: ['a.jsonl'],
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    durationMs: 1000,
    stats: stats.toJSON(),
    profile: new DatasetProfiler().toJSON(),
    parts: [],
    resumed: false,
  });
}

describe('buildRunReport', () => {
  it('lists every stage of the stage list in the funnel, in the list order, whatever order they counted in', () => {
    const stats = new Stats();
    stats.stage('source').count('read', 3);
    for (const { name } of [...PIPELINE_STAGES].reverse()) {
      stats.stage(name).count('total', 3);
      stats.stage(name).count('kept', 2);
      stats.stage(name).count('dropped_why', 1);
    }
    const { funnel } = report(stats);
    expect(funnel.map((f) => f.stage)).toEqual(PIPELINE_STAGES.map((s) => s.name));
    expect(funnel.every((f) => f.in === 3 && f.out === 2 && f.dropped.why === 1)).toBe(true);
  });

  it('leaves out a stage that no doc reached', () => {
    const stats = new Stats();
    stats.stage('extract').count('total', 1);
    stats.stage('extract').count('dropped_empty_text', 1);
    expect(report(stats).funnel.map((f) => f.stage)).toEqual(['extract']);
  });
});
