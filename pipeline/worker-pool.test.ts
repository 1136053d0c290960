import { describe, expect, it } from 'vitest';
import type { Doc } from './doc.js';
import { PipelineError } from './errors.js';
import { silentLogger } from '../common/index.js';
import { Stats } from './stats.js';
import { WorkerPool } from './worker-pool.js';
import type { PipelineConfig } from './config.js';

function doc(i: number, text: string): Doc {
  return {
    id: `d${i}`,
    url: `http://t.test/${i}`,
    domain: 't.test',
    fetchedAt: '2026-01-01T00:00:00.000Z',
    title: '',
    text,
    source: { kind: 'jsonl', input: 'mem', offset: i },
  };
}

async function* from(docs: Doc[]): AsyncIterable<Doc> {
  yield* docs;
}

function createPool(docTimeoutMs = 1500) {
  return WorkerPool.create({
    size: 2,
    // The stand-in worker ignores config and stage names.
    config: {} as PipelineConfig,
    segments: [[]],
    docTimeoutMs,
    batchDocs: 4,
    batchBytes: 1 << 20,
    heapMb: 256,
    logger: silentLogger,
    workerUrl: new URL('./worker-pool.test-worker.ts', import.meta.url),
  });
}

async function runPool(texts: string[], docTimeoutMs = 1500) {
  const pool = await createPool(docTimeoutMs);
  const stats = new Stats();
  const out: string[] = [];
  try {
    for await (const d of pool.map(0, from(texts.map((t, i) => doc(i, t))), stats)) out.push(`${d.id}:${d.text}`);
  } finally {
    await pool.close();
  }
  return { out, stats };
}

describe('WorkerPool', () => {
  it('returns docs in input order across threads', async () => {
    const texts = Array.from({ length: 50 }, (_, i) => `doc ${i}`);
    const { out, stats } = await runPool(texts);
    expect(out).toEqual(texts.map((t, i) => `d${i}:${t.toUpperCase()}`));
    expect(stats.get('upper', 'kept')).toBe(50);
  });

  it('drops a doc that never finishes as doc_timeout and keeps the rest of its batch', async () => {
    const texts = ['a', 'b', 'hang', 'c', 'd', 'e', 'f', 'g', 'h'];
    const { out, stats } = await runPool(texts, 300);
    expect(out).toEqual(['d0:A', 'd1:B', 'd3:C', 'd4:D', 'd5:E', 'd6:F', 'd7:G', 'd8:H']);
    expect(stats.get('runner', 'dropped_doc_timeout')).toBe(1);
  });

  it('drops a doc that kills its worker as worker_crash, and a doc whose stage throws as stage_error', async () => {
    const { out, stats } = await runPool(['a', 'crash', 'b', 'c', 'd', 'throw', 'e']);
    expect(out).toEqual(['d0:A', 'd2:B', 'd3:C', 'd4:D', 'd6:E']);
    expect(stats.get('runner', 'dropped_worker_crash')).toBe(1);
    expect(stats.get('runner', 'dropped_stage_error')).toBe(1);
  });

  it('refuses work once closed with a typed error, instead of quietly returning nothing', async () => {
    const pool = await createPool();
    await pool.close();
    const err = await (async () => {
      for await (const _ of pool.map(0, from([doc(0, 'a')]), new Stats()));
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PipelineError);
    expect(err).toMatchObject({ code: 'WORKER_POOL_CLOSED', message: expect.stringMatching(/worker pool is closed/) });
  });
});
