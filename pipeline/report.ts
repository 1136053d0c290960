/**
 * @module The run report (`report.json`): what went in, what each stage kept and dropped and why,
 * and what the kept data looks like. Counts only: never document text or personal values.
 */
import type { DatasetProfile } from './dataset-profile.js';
import type { PartFile } from './dataset-writer.js';
import { PIPELINE_STAGES } from './stage-list.js';
import type { StatsSnapshot } from './stats.js';

/** One stage's step in the funnel; the funnel lists the stages of the stage list, in its order. */
export interface FunnelStep {
  stage: string;
  in: number;
  out: number;
  dropped: Record<string, number>;
  /** Share of the run's measured stage time spent here, in [0, 1]. */
  timeShare: number;
}

export interface RunReport {
  runId: string;
  inputs: string[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  resumed: boolean;
  /** Input records read, and records skipped before becoming docs (by reason). */
  source: { read: number; bytes: number; skipped: Record<string, number> };
  funnel: FunnelStep[];
  /** Docs dropped because they timed out or crashed a worker on their own. */
  runnerDrops: Record<string, number>;
  output: { rows: number; parts: number; bytes: number; textBytes: number };
  languages: Record<string, number>;
  qualityHistogram: number[];
  qualityFlags: Record<string, number>;
  piiCounts: Record<string, number>;
  dedupe: Record<string, number>;
  throughput: { docsPerSec: number; mbPerSec: number };
  counters: StatsSnapshot['counters'];
}

export function buildRunReport(input: {
  runId: string;
  inputs: string[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  stats: StatsSnapshot;
  profile: DatasetProfile;
  parts: PartFile[];
  resumed: boolean;
}): RunReport {
  const c = input.stats.counters;
  const src = c.source ?? {};
  const totalMs = Object.values(input.stats.timeMs).reduce((a, b) => a + b, 0) || 1;
  const funnel: FunnelStep[] = [];
  for (const { name: stage } of PIPELINE_STAGES) {
    const s = c[stage];
    // A stage no doc reached counted nothing, and has no step.
    if (!s) continue;
    funnel.push({
      stage,
      in: s.total ?? 0,
      out: s.kept ?? 0,
      dropped: pick(s, 'dropped_'),
      timeShare: round((input.stats.timeMs[stage] ?? 0) / totalMs, 4),
    });
  }
  const seconds = Math.max(input.durationMs, 1) / 1000;
  return {
    runId: input.runId,
    inputs: input.inputs,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    durationMs: input.durationMs,
    resumed: input.resumed,
    source: { read: src.read ?? 0, bytes: src.bytes ?? 0, skipped: pick(src, 'skipped_') },
    funnel,
    runnerDrops: pick(c.runner ?? {}, 'dropped_'),
    output: {
      rows: input.profile.rows,
      parts: input.parts.length,
      bytes: input.parts.reduce((a, p) => a + p.bytes, 0),
      textBytes: input.profile.textBytes,
    },
    languages: input.profile.languages,
    qualityHistogram: input.profile.qualityHistogram,
    qualityFlags: pick(c.quality ?? {}, 'flag_'),
    piiCounts: input.profile.piiCounts,
    dedupe: Object.fromEntries(Object.entries(c.dedupe ?? {}).filter(([k]) => k !== 'total' && k !== 'kept')),
    throughput: { docsPerSec: round((src.read ?? 0) / seconds, 1), mbPerSec: round((src.bytes ?? 0) / 1e6 / seconds, 2) },
    counters: c,
  };
}

function pick(counters: Record<string, number>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(counters)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
