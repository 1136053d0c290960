/**
 * Issue 11, medium: any buyer could create unlimited training jobs of up to 2^26 weights (each
 * hundreds of MB on disk and in memory, reloaded at every start). Now a wallet may have a limited
 * number of unfinished jobs (`maxTrainingJobsPerWallet`, refused with LimitExceededError), and the
 * models the server keeps are bounded in bytes per wallet (`maxTrainingModelBytesPerWallet`) and in
 * all (`maxTrainingModelBytes`), refused with InvalidInputError on `dimension`; the counts come
 * from the jobs saved under the home, so they hold across a restart; deleting a job frees its share.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignment, createJob, getWeights, postUpdate, register, startFlMarket, type FlMarket, type Wallet } from './fl-helpers.js';

/** 5 classes × (1024 buckets + 1 bias) float32 weights. */
const JOB_BYTES = 4 * 5 * (1024 + 1);
const SMALL_BYTES = 4 * 5 * (64 + 1);

async function deleteJob(fl: FlMarket, who: Wallet, id: string) {
  const r = await fl.gql('mutation($id: ID!) { deleteTrainingJob(id: $id) { __typename ... on Error { message } } }', { id }, who.token);
  return r.body.data?.deleteTrainingJob ?? r.body;
}

/** Resolves once `condition` holds, checking every 5 ms; fails after 20 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met in 20 s: ${condition.toString()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('any buyer can create unlimited jobs of up to 2^26 weights', () => {
  describe('with the default settings', () => {
    let fl: FlMarket;
    beforeAll(async () => {
      fl = await startFlMarket({ buyers: 1 });
    }, 120_000);
    afterAll(async () => {
      await fl?.close();
    });

    it('refuses a wallet a fifth unfinished job, naming the limit, also after a restart; a finished or deleted job frees its place', async () => {
      const [buyer] = fl.buyers as [Wallet];
      const ids: string[] = [];
      for (let k = 0; k < 4; k++) {
        const created = await createJob(fl, buyer, { clients: 1, rounds: 1, minClients: 1 });
        expect(created.__typename).toBe('CreateTrainingJobSuccess');
        ids.push(created.job.id as string);
      }
      const refusal = {
        __typename: 'LimitExceededError',
        code: 'LIMIT_EXCEEDED',
        message: `wallet ${buyer.signer.address} has 4 unfinished training jobs, the most one wallet may have (maxTrainingJobsPerWallet = 4); let one finish or delete it (deleteTrainingJob)`,
      };
      expect(await createJob(fl, buyer, { clients: 1, rounds: 1 })).toEqual(refusal);
      expect(await createJob(fl, buyer, { clients: 1, rounds: 1 }, '... on LimitExceededError { limit }')).toEqual({ ...refusal, limit: 4 });
      // Another wallet is not held back by this one's jobs.
      expect((await createJob(fl, fl.seller, { clients: 1, rounds: 1 })).__typename).toBe('CreateTrainingJobSuccess');

      await fl.restart();
      expect(await createJob(fl, buyer, { clients: 1, rounds: 1 })).toEqual(refusal);

      // Run one job to completion: a finished job no longer counts.
      const client = (await register(fl, ids[0] as string, buyer)).body.clientId;
      const global = (await getWeights(fl, ids[0] as string, buyer, client)).weights as Float32Array;
      expect(
        (
          await postUpdate(
            fl,
            ids[0] as string,
            buyer,
            client,
            1,
            1,
            global.map((w) => w + 0.01),
          )
        ).status,
      ).toBe(200);
      expect(fl.server.market.jobs.get(ids[0] as string)?.status).toBe('completed');
      expect((await createJob(fl, buyer, { clients: 1, rounds: 1 })).__typename).toBe('CreateTrainingJobSuccess');
      expect(await createJob(fl, buyer, { clients: 1, rounds: 1 })).toEqual(refusal);
      expect(await deleteJob(fl, buyer, ids[1] as string)).toEqual({ __typename: 'DeleteTrainingJobSuccess' });
      expect((await createJob(fl, buyer, { clients: 1, rounds: 1 })).__typename).toBe('CreateTrainingJobSuccess');
    });
  });

  describe('with byte limits set', () => {
    let fl: FlMarket;
    beforeAll(async () => {
      fl = await startFlMarket({
        buyers: 2,
        config: { maxTrainingModelBytesPerWallet: Math.floor(1.5 * JOB_BYTES), maxTrainingModelBytes: Math.floor(2.5 * JOB_BYTES) },
      });
    }, 120_000);
    afterAll(async () => {
      await fl?.close();
    });

    it("refuses a job whose model passes the wallet's or the server's byte limit, naming the limit, also after a restart", async () => {
      const [a, b] = fl.buyers as [Wallet, Wallet];
      const job = { clients: 1, rounds: 1, dimension: 1024 };
      const first = await createJob(fl, a, job);
      expect(first.__typename).toBe('CreateTrainingJobSuccess');
      const perWallet = (bytes: number) => ({
        __typename: 'InvalidInputError',
        code: 'INVALID_INPUT',
        field: 'dimension',
        message: `dimension: the model's ${JOB_BYTES} bytes would bring the models of wallet ${a.signer.address} to ${bytes} bytes, above maxTrainingModelBytesPerWallet = ${Math.floor(1.5 * JOB_BYTES)}; lower dimension or hidden, or delete a job (deleteTrainingJob)`,
      });
      expect(await createJob(fl, a, job)).toEqual(perWallet(2 * JOB_BYTES));
      // A smaller model still fits the wallet's share.
      expect((await createJob(fl, a, { ...job, dimension: 64 })).__typename).toBe('CreateTrainingJobSuccess');
      expect((await createJob(fl, b, job)).__typename).toBe('CreateTrainingJobSuccess');
      const total = await createJob(fl, fl.seller, job);
      expect(total).toMatchObject({
        __typename: 'InvalidInputError',
        field: 'dimension',
        message: expect.stringMatching(
          /^dimension: the model's \d+ bytes would bring the server's training models to \d+ bytes, above maxTrainingModelBytes = \d+; lower dimension or hidden, or ask the operator to raise the limit$/,
        ),
      });

      await fl.restart();
      expect(await createJob(fl, a, job)).toEqual(perWallet(2 * JOB_BYTES + SMALL_BYTES));
      expect(await createJob(fl, fl.seller, job)).toEqual(total);
      expect(await deleteJob(fl, a, first.job.id)).toEqual({ __typename: 'DeleteTrainingJobSuccess' });
      expect((await createJob(fl, fl.seller, job)).__typename).toBe('CreateTrainingJobSuccess');
    });

    it('lets only the creator or the dataset owner delete a job, tells its waiting clients and removes its files', async () => {
      const [a, b] = fl.buyers as [Wallet, Wallet];
      const created = await createJob(fl, a, { clients: 2, rounds: 1, minClients: 2, dimension: 16 });
      const jobId = created.job.id as string;
      const client = (await register(fl, jobId, b)).body.clientId;
      expect(existsSync(join(fl.home, 'federated', jobId, 'job.json'))).toBe(true);
      expect(await deleteJob(fl, b, jobId)).toMatchObject({ __typename: 'NotAuthorizedError' });
      const waiting = assignment(fl, jobId, b, client, 30);
      // Delete only once the long poll waits on the job: deleted earlier, the poll would find no job (404).
      await until(() => fl.server.market.jobs.get(jobId)?.listenerCount === 1);
      expect(await deleteJob(fl, fl.seller, jobId)).toEqual({ __typename: 'DeleteTrainingJobSuccess' });
      expect(await waiting).toEqual({ state: 'done', status: 'stopped', reason: 'the job was deleted' });
      expect(await deleteJob(fl, a, jobId)).toMatchObject({ __typename: 'NotFoundError' });
      expect(fl.server.market.jobs.get(jobId)).toBeUndefined();
      expect(existsSync(join(fl.home, 'federated', jobId))).toBe(false);
    });
  });
});
