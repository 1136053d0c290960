import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunInterruptedError } from './errors.js';
import { moveToOutputDir } from './run-paths.js';

const root = mkdtempSync(join(tmpdir(), 'lumora-run-paths-'));
// A second filesystem (tmpfs) where the machine has one: a move there is a copy, not a rename.
const other = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(root).dev ? mkdtempSync('/dev/shm/lumora-run-paths-') : undefined;
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  if (other) rmSync(other, { recursive: true, force: true });
});

const FILE_BYTES = 24 * 1024 * 1024;
const PARTS = 4;

/** A finished dataset as the runner leaves it under the data home: big enough that a copy takes a while. */
function finishedDataset(name: string): string {
  const dir = join(mkdtempSync(join(root, `${name}-`)), 'dataset');
  mkdirSync(join(dir, 'data'), { recursive: true });
  for (let i = 0; i < PARTS; i++) writeFileSync(join(dir, 'data', `part-${i}.parquet`), Buffer.alloc(FILE_BYTES, i + 1));
  writeFileSync(join(dir, 'manifest.json'), '{}');
  return dir;
}

const interrupted = () => new RunInterruptedError('run interrupted by SIGTERM', 'SIGTERM');

describe('moveToOutputDir', () => {
  it('does not start the move when the run was interrupted before it', async () => {
    const from = finishedDataset('aborted');
    const to = join(root, 'aborted-out');
    const controller = new AbortController();
    controller.abort('SIGTERM');
    await expect(moveToOutputDir(from, to, to, { signal: controller.signal, interrupted })).rejects.toBeInstanceOf(RunInterruptedError);
    expect(existsSync(to)).toBe(false);
    expect(readdirSync(join(from, 'data'))).toHaveLength(PARTS);
  });

  it.skipIf(!other)('across filesystems, --out appears only whole', async () => {
    const from = finishedDataset('whole');
    const to = join(other as string, 'whole-out');
    const seen: string[] = [];
    let done = false;
    const moved = moveToOutputDir(from, to, to).finally(() => (done = true));
    // Watch --out while the copy runs: whenever it exists, every part must be there in full.
    while (!done) {
      if (existsSync(to)) {
        const parts = existsSync(join(to, 'data')) ? readdirSync(join(to, 'data')) : [];
        const whole = parts.length === PARTS && parts.every((p) => statSync(join(to, 'data', p)).size === FILE_BYTES) && existsSync(join(to, 'manifest.json'));
        if (!whole) seen.push(`${parts.length} parts`);
      }
      await new Promise((r) => setImmediate(r));
    }
    await moved;
    expect(seen, 'a half-written --out was visible').toEqual([]);
    expect(readdirSync(join(to, 'data'))).toHaveLength(PARTS);
    expect(readdirSync(other as string).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it.skipIf(!other)('stops a cross-filesystem move when the run is interrupted: no --out, no partial copy, and the dataset is kept', async () => {
    const from = finishedDataset('stopped');
    const parent = join(other as string, 'stopped');
    const to = join(parent, 'out');
    const controller = new AbortController();
    const moved = moveToOutputDir(from, to, to, { signal: controller.signal, interrupted });
    // Abort once the copy has begun: a first file has appeared on the other filesystem.
    const t0 = Date.now();
    const copying = () => existsSync(parent) && readdirSync(parent, { recursive: true }).some((p) => String(p).endsWith('.parquet'));
    while (!copying() && Date.now() - t0 < 10_000) await new Promise((r) => setImmediate(r));
    controller.abort('SIGTERM');
    await expect(moved).rejects.toBeInstanceOf(RunInterruptedError);
    expect(existsSync(to)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
    expect(readdirSync(join(from, 'data'))).toHaveLength(PARTS);
  });
});
