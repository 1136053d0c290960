/**
 * @module A run's checkpoint: how many input docs are fully written, the parts that hold them, and
 * every counter as of that moment. Written atomically (temp file + rename) after each part, so
 * the file on disk always describes a consistent state.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import type { PartFile } from './dataset-writer.js';
import type { DatasetProfiler } from './dataset-profile.js';
import type { StatsSnapshot } from './stats.js';

export interface Checkpoint {
  version: 1;
  runId: string;
  startedAt: string;
  /** Input docs (across all inputs, in order) whose results are all in `parts`. */
  sourceDocsDone: number;
  parts: PartFile[];
  stats: StatsSnapshot;
  profile: ReturnType<DatasetProfiler['toJSON']>;
}

export async function writeCheckpoint(path: string, cp: Checkpoint): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(cp));
  await rename(tmp, path);
}

export function readCheckpoint(path: string): Checkpoint | undefined {
  if (!existsSync(path)) return undefined;
  const cp = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
  return cp.version === 1 ? cp : undefined;
}
