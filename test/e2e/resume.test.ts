import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCorpus } from '../../bench/corpus.js';
import { lumora, lumoraSpawn, readRows } from './helpers.js';

/** Resolves once `predicate` holds, polling every few ms; rejects after `timeoutMs`. */
async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!predicate()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('lumora run --resume', () => {
  it('after SIGKILL mid-run, finishes with the same rows and content hashes as an uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumora-resume-'));
    const input = join(dir, 'corpus.jsonl');
    await writeCorpus(input, { targetBytes: 24 * 1024 * 1024, seed: 7 });
    const config = join(dir, 'config.json');
    // Small parts: many checkpoints, so the kill lands between two of them.
    writeFileSync(config, JSON.stringify({ runner: { docsPerPart: 40, workers: 2 } }));

    const reference = lumora(['run', input, '--out', join(dir, 'reference'), '--config', config, '--home', join(dir, 'home-ref')]);
    expect(reference.stderr).not.toMatch(/^(warn|error)/m);
    expect(reference.status).toBe(0);

    const home = join(dir, 'home');
    const out = join(dir, 'resumed');
    const child = lumoraSpawn(['run', input, '--out', out, '--config', config, '--home', home]);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const checkpointWritten = () => {
      const runs = join(home, 'runs');
      return existsSync(runs) && readdirSync(runs).some((id) => existsSync(join(runs, id, 'checkpoint.json')));
    };
    await waitFor(checkpointWritten, 60_000);
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGKILL');
    await exited;
    // The kill must have landed mid-run, or this test proves nothing.
    expect(existsSync(out)).toBe(false);

    const resumed = lumora(['run', input, '--out', out, '--config', config, '--home', home, '--resume', '--json']);
    expect(resumed.status).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ resumed: true });

    const a = await readRows(join(dir, 'reference'), 'id, content_hash, dup_cluster, text');
    const b = await readRows(out, 'id, content_hash, dup_cluster, text');
    expect(a.length).toBeGreaterThan(100);
    expect(new Set(b.map((r) => r.id)).size).toBe(b.length);
    expect(b).toEqual(a);
    expect(readdirSync(join(out, 'data'))).toEqual(readdirSync(join(dir, 'reference', 'data')));
    // The counters survive the crash too: the report's funnel matches, doc for doc.
    const funnel = (p: string) =>
      (JSON.parse(readFileSync(join(p, 'report.json'), 'utf8')) as { funnel: Array<{ stage: string; in: number; out: number; dropped: object }> }).funnel.map(
        ({ stage, in: n, out: k, dropped }) => ({ stage, n, k, dropped }),
      );
    expect(funnel(out)).toEqual(funnel(join(dir, 'reference')));
  });
});
