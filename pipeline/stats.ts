/**
 * @module Counters that stages bump per document, merged across worker threads and stages
 * into the run report. Plain numbers only, so they serialize into checkpoints.
 */

/** Counters of one stage: `total`, `kept`, `dropped_<reason>`, and any stage-specific ones. */
export type StageCounters = Record<string, number>;

/** Counters per stage name, plus named timing (ms) per stage. */
export interface StatsSnapshot {
  counters: Record<string, StageCounters>;
  timeMs: Record<string, number>;
}

/** Counting handle for one stage. */
export interface StageStats {
  count(name: string, by?: number): void;
  addTimeMs(ms: number): void;
}

/** All stages' counters for a run (or for one worker batch, merged into the run's later). */
export class Stats {
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly times = new Map<string, number>();

  /** The counting handle for one stage. */
  stage(name: string): StageStats {
    return {
      count: (counter, by = 1) => {
        let c = this.counters.get(name);
        if (!c) {
          c = new Map();
          this.counters.set(name, c);
        }
        c.set(counter, (c.get(counter) ?? 0) + by);
      },
      addTimeMs: (ms) => {
        this.times.set(name, (this.times.get(name) ?? 0) + ms);
      },
    };
  }

  get(stage: string, counter: string): number {
    return this.counters.get(stage)?.get(counter) ?? 0;
  }

  /** Adds another snapshot's counts into this one (worker batches, resumed runs). */
  merge(snapshot: StatsSnapshot): void {
    for (const [stage, counters] of Object.entries(snapshot.counters)) {
      const s = this.stage(stage);
      for (const [k, v] of Object.entries(counters)) s.count(k, v);
    }
    for (const [stage, ms] of Object.entries(snapshot.timeMs)) {
      this.times.set(stage, (this.times.get(stage) ?? 0) + ms);
    }
  }

  toJSON(): StatsSnapshot {
    const counters: Record<string, StageCounters> = {};
    for (const [stage, c] of this.counters) counters[stage] = Object.fromEntries(c);
    return { counters, timeMs: Object.fromEntries(this.times) };
  }

  static from(snapshot: StatsSnapshot): Stats {
    const s = new Stats();
    s.merge(snapshot);
    return s;
  }
}
