/**
 * Review of issue 11's job quotas, same class: a job's saved record grew without bound. Every
 * registration and every round attempt adds to `job.json` (clients, rounds), which is rewritten
 * after every change and read back at start; a creator's own fast client on a tiny model adds a
 * round every few milliseconds, up to 100,000 rounds. Now a job whose record outgrows the server's
 * bound (MAX_JOB_RECORD_BYTES) is stopped, saying why, and keeps what it trained.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingJobs, type JobQuotas } from '../../federated/index.js';
import { startFlMarket, type FlMarket } from './fl-helpers.js';

const GENEROUS: JobQuotas = {
  maxTrainingJobsPerWallet: 10,
  maxKeptTrainingJobsPerWallet: 10,
  maxTrainingModelBytesPerWallet: 1 << 30,
  maxTrainingModelBytes: 1 << 30,
  maxTrainingDataBytesPerWallet: 1 << 30,
  maxTrainingDataBytes: 1 << 30,
};
const MAX_RECORD_BYTES = 16_384;

describe("a job's saved record grows with every round and registration and is reloaded at start", () => {
  let fl: FlMarket;
  let home: string;
  beforeAll(async () => {
    fl = await startFlMarket({ buyers: 0 });
    home = mkdtempSync(join(tmpdir(), 'lumora-job-records-'));
  }, 120_000);
  afterAll(async () => {
    await fl?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('stops a job whose record passes the bound, saying why, and keeps it stopped with its rounds after a restart', async () => {
    const jobs = await TrainingJobs.open({ home, catalog: fl.server.market.catalog, maxRecordBytes: MAX_RECORD_BYTES });
    const job = await jobs.create({ dataset: 'pages', labelColumn: 'lang', clients: 1, minClients: 1, rounds: 300, dimension: 16 }, 'creator', GENEROUS);
    const client = job.register('creator');
    // The creator's own client answers every round at once.
    while (!job.finished) {
      const open = job.openRound;
      if (!open) throw new Error(`job ${job.id} is ${job.status} with no open round`);
      expect(job.submit(client.id, open.round, open.attempt, { weights: job.weights.map((w) => w + 0.01), numExamples: 1, loss: 0.5 })).toEqual({
        accepted: true,
      });
    }
    expect(job.status).toBe('stopped');
    expect(job.statusReason).toMatch(
      new RegExp(
        `^its record \\(clients and rounds\\) reached \\d+ bytes, the most the server keeps for one job \\(${MAX_RECORD_BYTES}\\); create a new job to train further$`,
      ),
    );
    expect(job.completedRounds).toBeGreaterThan(10);
    expect(job.completedRounds).toBeLessThan(300);
    expect(job.data).toBeNull();
    expect(statSync(join(home, 'federated', job.id, 'job.json')).size).toBeLessThan(MAX_RECORD_BYTES + 1000);
    const rounds = job.completedRounds;
    jobs.close();

    const errors: unknown[] = [];
    const reopened = await TrainingJobs.open({
      home,
      catalog: fl.server.market.catalog,
      maxRecordBytes: MAX_RECORD_BYTES,
      onError: (_dir, err) => errors.push(err),
    });
    expect(errors).toEqual([]);
    expect(reopened.get(job.id)).toMatchObject({ status: 'stopped', statusReason: job.statusReason, completedRounds: rounds, data: null });
    reopened.close();
  });
});
