import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { writeSampleDataset } from './catalog.test-helpers.js';
import { isLockConflict, serialize } from './duckdb-file.js';
import { CatalogBusyError, OperationAbortedError } from './errors.js';

const CHILD = join(import.meta.dirname, 'duckdb-file.test-child.ts');

/** Starts the child script under tsx; resolves `exited` with its status and output. */
function child(args: string[]) {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (stdout.includes(text) ? resolve() : undefined);
      proc.stdout.on('data', check);
      proc.on('close', () => reject(new Error(`child exited before printing "${text}": ${stderr}`)));
      check();
    });
  return { proc, exited, printed };
}

describe('catalog file across processes', () => {
  it('lets a publishing process and a reading, updating process work at the same time without errors', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lumora-home-'));
    const catalog = await Catalog.open({ home });
    try {
      await catalog.publish(await writeSampleDataset({ name: 'server-side', rows: 5 }), { status: 'listed' });
      const count = 6;
      const publisher = child(['publish', home, String(count), 'piped']);
      let done = false;
      const exited = publisher.exited.finally(() => (done = true));
      let reads = 0;
      let updates = 0;
      while (!done) {
        const page = await catalog.searchDatasets({ first: 50, filter: { tags: ['child'] } });
        for (const e of page.edges) expect((await catalog.getDataset(e.node.id)).id).toBe(e.node.id);
        await catalog.updateListing('server-side', { tags: [`round-${updates++}`] });
        reads++;
      }
      const result = await exited;
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(reads).toBeGreaterThan(0);
      // A read that starts after the other process's writes sees them.
      expect((await catalog.searchDatasets({ first: 50, filter: { tags: ['child'] } })).totalCount).toBe(count);
      expect((await catalog.getDataset('server-side')).tags).toEqual([`round-${updates - 1}`]);
    } finally {
      catalog.close();
    }
  });

  it('reports CATALOG_BUSY, naming the file, when another process holds it past lockTimeoutMs', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lumora-home-'));
    const catalog = await Catalog.open({ home, lockTimeoutMs: 300 });
    try {
      await catalog.publish(await writeSampleDataset({ name: 'held', rows: 3 }));
      const holder = child(['hold', home, '3000']);
      await holder.printed('held');
      const err = await catalog.updateListing('held', { title: 'x' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CatalogBusyError);
      expect(err).toMatchObject({ code: 'CATALOG_BUSY' });
      expect((err as Error).message).toContain(join(home, 'catalog.duckdb'));
      holder.proc.kill();
      await holder.exited;
      // Once the holder is gone the same call succeeds.
      expect((await catalog.updateListing('held', { title: 'Held' })).title).toBe('Held');
    } finally {
      catalog.close();
    }
  });
});

describe('stopping an operation that waits for another process', () => {
  it('stops a publish waiting for the lock when its signal aborts: nothing registered, no staging copy left', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lumora-home-'));
    const catalog = await Catalog.open({ home, lockTimeoutMs: 30_000 });
    const holder = child(['hold', home, '30000']);
    try {
      await holder.printed('held');
      const controller = new AbortController();
      const published = catalog.publish(await writeSampleDataset({ name: 'stopped', rows: 3 }), { signal: controller.signal }).catch((e: unknown) => e);
      // The copy is staged, then the publish waits for the file.
      const datasets = join(home, 'datasets');
      const staged = () => existsSync(datasets) && readdirSync(datasets).some((n) => n.startsWith('.staging-'));
      const t0 = Date.now();
      while (!staged() && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 5));
      expect(staged()).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      const abortedAt = Date.now();
      controller.abort('SIGTERM');
      const err = await published;
      expect(Date.now() - abortedAt).toBeLessThan(2000);
      expect(err).toBeInstanceOf(OperationAbortedError);
      expect(err).toMatchObject({ code: 'OPERATION_ABORTED' });
      expect((err as Error).message).toMatch(/^dataset .*: publishing was stopped \(SIGTERM\) before anything was registered; nothing was published$/);
      expect(readdirSync(datasets).filter((n) => n.startsWith('.staging-'))).toEqual([]);
    } finally {
      holder.proc.kill();
      await holder.exited;
      catalog.close();
    }
    expect(await (await Catalog.open({ home })).listDatasets()).toEqual([]);
  });

  it('stops opening a catalog held by another process when its signal aborts', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lumora-home-'));
    (await Catalog.open({ home })).close();
    const holder = child(['hold', home, '30000']);
    try {
      await holder.printed('held');
      const controller = new AbortController();
      setTimeout(() => controller.abort('SIGINT'), 200);
      const started = Date.now();
      const err = await Catalog.open({ home, lockTimeoutMs: 30_000, signal: controller.signal }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(err).toBeInstanceOf(OperationAbortedError);
      expect((err as Error).message).toContain(join(home, 'catalog.duckdb'));
    } finally {
      holder.proc.kill();
      await holder.exited;
    }
  });
});

describe('reads while another process holds the file', () => {
  it('answers from the previous snapshot after refreshWaitMs instead of failing, then catches up', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lumora-home-'));
    const catalog = await Catalog.open({ home, refreshWaitMs: 200, lockTimeoutMs: 10_000 });
    try {
      await catalog.publish(await writeSampleDataset({ name: 'visible', rows: 3 }), { status: 'listed' });
      const holder = child(['hold', home, '2500', 'write']);
      await holder.printed('held');
      const started = Date.now();
      const page = await catalog.searchDatasets({ first: 5 });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(page.edges.map((e) => e.node.id)).toEqual(['visible@v1']);
      await holder.exited;
      expect((await catalog.getDataset('visible')).id).toBe('visible@v1');
    } finally {
      catalog.close();
    }
  });
});

describe('serialize', () => {
  it('runs operations on one file one at a time, in call order, even when one fails', async () => {
    const events: string[] = [];
    const op =
      (name: string, fail = false) =>
      async () => {
        events.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, 5));
        events.push(`end ${name}`);
        if (fail) throw new Error(name);
      };
    const results = await Promise.allSettled([serialize('/x', op('a')), serialize('/x', op('b', true)), serialize('/x', op('c'))]);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('recognises DuckDB lock conflicts', () => {
    expect(isLockConflict(new Error('IO Error: Could not set lock on file "/x/catalog.duckdb": Conflicting lock is held in node (PID 1)'))).toBe(true);
    expect(isLockConflict(new Error('Catalog Error: Table with name x does not exist'))).toBe(false);
  });
});
