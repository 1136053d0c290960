/**
 * Review of issue 11's job quotas, high: finished training jobs were unbounded. Only unfinished
 * jobs were counted and only model bytes were, yet every kept job, finished or not, was reloaded
 * at start with its data (the id of every training row, the validation rows' features). A buyer
 * who created one-client, one-round, tiny-model jobs and finished them with its own client could
 * pile up any number. Now a wallet keeps at most `maxKeptTrainingJobsPerWallet` jobs, finished
 * ones included; a finished job lets go of its data and is never given it again (its status,
 * rounds and model come from a small summary); and the data of unfinished jobs is counted in bytes
 * per wallet and per server. Each refusal is a LimitExceededError naming the limit and how to free
 * a place.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob, getWeights, postUpdate, register, startFlMarket, type FlMarket, type Wallet } from './fl-helpers.js';

async function deleteJob(fl: FlMarket, who: Wallet, id: string) {
  const r = await fl.gql('mutation($id: ID!) { deleteTrainingJob(id: $id) { __typename ... on Error { message } } }', { id }, who.token);
  return r.body.data?.deleteTrainingJob ?? r.body;
}

/** Runs a one-client, one-round job to completion with a client of `who`. */
async function finishJob(fl: FlMarket, who: Wallet, jobId: string): Promise<void> {
  const client = (await register(fl, jobId, who)).body.clientId;
  const global = (await getWeights(fl, jobId, who, client)).weights as Float32Array;
  expect(
    (
      await postUpdate(
        fl,
        jobId,
        who,
        client,
        1,
        1,
        global.map((w) => w + 0.01),
      )
    ).status,
  ).toBe(200);
  expect(fl.server.market.jobs.get(jobId)?.status).toBe('completed');
}

const TINY_JOB = { clients: 1, rounds: 1, minClients: 1, dimension: 16 };

describe('finished training jobs are unbounded and each is reloaded at start with its data', () => {
  describe('with the default settings', () => {
    let fl: FlMarket;
    beforeAll(async () => {
      fl = await startFlMarket({ buyers: 1 });
    }, 120_000);
    afterAll(async () => {
      await fl?.close();
    });

    it('refuses a wallet a 17th kept job, finished ones included, also after a restart; deleting one frees its place', async () => {
      const [buyer] = fl.buyers as [Wallet];
      const ids: string[] = [];
      for (let k = 0; k < 16; k++) {
        const created = await createJob(fl, buyer, TINY_JOB);
        expect(created.__typename).toBe('CreateTrainingJobSuccess');
        ids.push(created.job.id as string);
        await finishJob(fl, buyer, created.job.id as string);
      }
      const refusal = {
        __typename: 'LimitExceededError',
        code: 'LIMIT_EXCEEDED',
        limit: 16,
        message: `wallet ${buyer.signer.address} has 16 training jobs on this server, finished ones included, the most one wallet may keep (maxKeptTrainingJobsPerWallet = 16); download the model of a finished job and delete it (deleteTrainingJob)`,
      };
      expect(await createJob(fl, buyer, TINY_JOB, '... on LimitExceededError { limit }')).toEqual(refusal);
      // Another wallet keeps its own places.
      expect((await createJob(fl, fl.seller, TINY_JOB)).__typename).toBe('CreateTrainingJobSuccess');

      await fl.restart();
      expect(await createJob(fl, buyer, TINY_JOB, '... on LimitExceededError { limit }')).toEqual(refusal);
      expect(await deleteJob(fl, buyer, ids[0] as string)).toEqual({ __typename: 'DeleteTrainingJobSuccess' });
      expect((await createJob(fl, buyer, TINY_JOB)).__typename).toBe('CreateTrainingJobSuccess');
      expect(await createJob(fl, buyer, TINY_JOB, '... on LimitExceededError { limit }')).toEqual(refusal);
    });

    it("lets go of a finished job's data and does not read it again at start; its status, rounds and model are served the same", async () => {
      const owner = fl.seller;
      const created = await createJob(fl, owner, { clients: 1, rounds: 1, minClients: 1 });
      const jobId = created.job.id as string;
      expect(fl.server.market.jobs.get(jobId)?.data?.shardOf.size).toBeGreaterThan(200);
      const client = (await register(fl, jobId, owner)).body.clientId;
      const global = (await getWeights(fl, jobId, owner, client)).weights as Float32Array;
      expect(
        (
          await postUpdate(
            fl,
            jobId,
            owner,
            client,
            1,
            1,
            global.map((w) => w + 0.01),
          )
        ).status,
      ).toBe(200);
      expect(fl.server.market.jobs.get(jobId)?.data).toBeNull();

      const query = `query($id: ID!) { trainingJob(id: $id) { status completedRounds labels trainRows validationRows accuracy rounds { round status participants accuracy }
        model { url round parameters labels dimension kind numericMeans numericStds } } }`;
      const read = async () => {
        const job = (await fl.gql(query, { id: jobId }, owner.token)).body.data.trainingJob;
        const { url, ...model } = job.model;
        const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
        return { ...job, model, bytes: Buffer.from(bytes).toString('base64') };
      };
      const before = await read();
      expect(before).toMatchObject({
        status: 'COMPLETED',
        completedRounds: 1,
        labels: ['de', 'en', 'es', 'fr', 'it'],
        model: { round: 1, parameters: 5 * 257 },
      });
      expect(before.trainRows + before.validationRows).toBeGreaterThan(290);
      expect(before.accuracy).not.toBeNull();
      // A client of a finished job gets no more of its shard.
      const shard = await fetch(`${fl.url}/fl/jobs/${jobId}/shard?client=${client}`, { headers: { authorization: `Bearer ${owner.token}` } });
      expect(shard.status).toBe(409);
      expect(await shard.json()).toEqual({ error: `job ${jobId} is completed; it serves no more shards`, code: 'JOB_FINISHED' });

      await fl.restart();
      expect(fl.server.market.jobs.get(jobId)?.status).toBe('completed');
      expect(fl.server.market.jobs.get(jobId)?.data).toBeNull();
      expect(await read()).toEqual(before);

      // A job saved before the summary was kept reads its data once at start, to save the summary.
      const file = join(fl.home, 'federated', jobId, 'job.json');
      const { summary, ...older } = JSON.parse(readFileSync(file, 'utf8')) as { summary: unknown };
      writeFileSync(file, JSON.stringify(older));
      await fl.restart();
      expect(fl.server.market.jobs.get(jobId)?.data).toBeNull();
      expect(JSON.parse(readFileSync(file, 'utf8')).summary).toEqual(summary);
      expect(await read()).toEqual(before);
    });
  });

  describe('with byte limits on the data of unfinished jobs', () => {
    let fl: FlMarket;
    /** What one job on `pages` holds: the same for every job of the same spec. */
    let jobBytes = 0;
    beforeAll(async () => {
      fl = await startFlMarket({ buyers: 2 });
      const probe = await createJob(fl, fl.seller, TINY_JOB);
      jobBytes = fl.server.market.jobs.get(probe.job.id)?.data?.sizeBytes ?? 0;
      await deleteJob(fl, fl.seller, probe.job.id);
      await fl.restart({ maxTrainingDataBytesPerWallet: Math.floor(1.5 * jobBytes), maxTrainingDataBytes: Math.floor(2.5 * jobBytes) });
    }, 120_000);
    afterAll(async () => {
      await fl?.close();
    });

    it("counts the memory of an unfinished job's data, growing with its rows, against the wallet's and the server's limits; finishing a job frees its share", async () => {
      // About 120 bytes and more per training row id, 460 and more per validation row: far more than the 4 × 5 × 17 model bytes.
      expect(jobBytes).toBeGreaterThan(300 * 120);
      const [a, b] = fl.buyers as [Wallet, Wallet];
      const first = await createJob(fl, a, TINY_JOB);
      expect(first.__typename).toBe('CreateTrainingJobSuccess');
      const perWallet = await createJob(fl, a, TINY_JOB, '... on LimitExceededError { limit }');
      expect(perWallet).toEqual({
        __typename: 'LimitExceededError',
        code: 'LIMIT_EXCEEDED',
        limit: Math.floor(1.5 * jobBytes),
        message: expect.stringMatching(
          new RegExp(
            `^dataset pages@v1: the job's data \\(the ids of \\d+ training rows and the features of \\d+ validation rows\\) holds about ${jobBytes} bytes of memory while it runs, which would bring the unfinished jobs of wallet ${a.signer.address} to ${2 * jobBytes} bytes, above maxTrainingDataBytesPerWallet = ${Math.floor(1.5 * jobBytes)}; let one finish or delete it \\(deleteTrainingJob\\)$`,
          ),
        ),
      });
      expect((await createJob(fl, b, TINY_JOB)).__typename).toBe('CreateTrainingJobSuccess');
      const server = await createJob(fl, fl.seller, TINY_JOB, '... on LimitExceededError { limit }');
      expect(server).toMatchObject({
        __typename: 'LimitExceededError',
        limit: Math.floor(2.5 * jobBytes),
        message: expect.stringContaining(
          `which would bring the server's unfinished training jobs to ${3 * jobBytes} bytes, above maxTrainingDataBytes = ${Math.floor(2.5 * jobBytes)}; wait for a job to finish, or ask the operator to raise the limit`,
        ),
      });

      // The unfinished jobs read their data again at start: the limits hold across a restart.
      await fl.restart();
      expect(await createJob(fl, a, TINY_JOB, '... on LimitExceededError { limit }')).toEqual(perWallet);
      expect(await createJob(fl, fl.seller, TINY_JOB, '... on LimitExceededError { limit }')).toEqual(server);

      await finishJob(fl, a, first.job.id);
      expect((await createJob(fl, a, TINY_JOB)).__typename).toBe('CreateTrainingJobSuccess');
    });
  });
});
