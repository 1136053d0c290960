/**
 * Issue 11, medium: one wallet could register a client for every shard of a job (other wallets
 * then got 409 "job full"), and a client flagged for a NaN update could register again at once,
 * on the same shard, be sampled again, and so use up the job's retries. Now a job takes one
 * active client per wallet unless the dataset's owner allowed more (`maxClientsPerWallet`), and a
 * flag applies to the wallet: it cannot register in that job again, across a restart too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob, getWeights, postUpdate, register, startFlMarket, type FlMarket, type Wallet } from './fl-helpers.js';

let fl: FlMarket;
let owner: Wallet;
let buyer: Wallet;
let otherBuyer: Wallet;

beforeAll(async () => {
  fl = await startFlMarket({ buyers: 2 });
  owner = fl.seller;
  [buyer, otherBuyer] = fl.buyers as [Wallet, Wallet];
}, 120_000);

afterAll(async () => {
  await fl?.close();
});

describe('one wallet registers for every shard of a job', () => {
  it('refuses a second active client of the same wallet with a clear 409, so other wallets still get shards', async () => {
    const created = await createJob(fl, buyer, { clients: 3, rounds: 1, minClients: 3 });
    const jobId = created.job.id as string;
    const first = await register(fl, jobId, buyer);
    expect(first.status).toBe(201);
    const again = await register(fl, jobId, buyer);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'WALLET_LIMIT',
      error: `job ${jobId}: wallet ${buyer.signer.address} already has an active client (${first.body.clientId}, shard ${first.body.shard}); the job takes 1 client per wallet. Keep using that client; a new one may register once it misses a round's deadline`,
    });
    expect((await register(fl, jobId, otherBuyer)).status).toBe(201);
    expect((await register(fl, jobId, owner)).status).toBe(201);
  });

  it('lets only the dataset owner allow more clients per wallet', async () => {
    expect(await createJob(fl, buyer, { clients: 3, rounds: 1, maxClientsPerWallet: 3 })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'maxClientsPerWallet',
      message: `maxClientsPerWallet: only the owner of pages@v1 may allow more than one client per wallet`,
    });
    expect(await createJob(fl, owner, { clients: 3, rounds: 1, maxClientsPerWallet: 4 })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'maxClientsPerWallet',
    });
    const created = await createJob(fl, owner, { clients: 3, rounds: 1, minClients: 3, maxClientsPerWallet: 2 });
    expect(created.__typename).toBe('CreateTrainingJobSuccess');
    const jobId = created.job.id as string;
    const job = await fl.gql('query($id: ID!) { trainingJob(id: $id) { maxClientsPerWallet } }', { id: jobId }, buyer.token);
    expect(job.body.data.trainingJob).toEqual({ maxClientsPerWallet: 2 });
    expect((await register(fl, jobId, owner)).status).toBe(201);
    expect((await register(fl, jobId, owner)).status).toBe(201);
    expect((await register(fl, jobId, owner)).body).toMatchObject({
      code: 'WALLET_LIMIT',
      error: expect.stringMatching(/already has 2 active clients .*; the job takes 2 clients per wallet/),
    });
    expect((await register(fl, jobId, buyer)).status).toBe(201);
  });
});

describe('a flagged client re-registers at once and is sampled again', () => {
  it('refuses every further registration of a wallet whose client was flagged, also after a restart', async () => {
    const created = await createJob(fl, owner, { clients: 2, rounds: 1, minClients: 2, maxFailureFraction: 0.5, roundTimeoutSeconds: 30 });
    const jobId = created.job.id as string;
    const bad = await register(fl, jobId, buyer);
    const good = await register(fl, jobId, otherBuyer);
    expect([bad.status, good.status]).toEqual([201, 201]);
    const global = (await getWeights(fl, jobId, buyer, bad.body.clientId)).weights as Float32Array;
    const nan = Float32Array.from(global);
    nan[1] = Number.NaN;
    expect((await postUpdate(fl, jobId, buyer, bad.body.clientId, 1, 1, nan)).body).toMatchObject({ accepted: false, reason: 'weight 1 is not finite' });

    // The attack: register again at once, take the freed shard and be sampled in the retry.
    const flagged = `job ${jobId}: wallet ${buyer.signer.address} was flagged (client ${bad.body.clientId}: weight 1 is not finite); it may not register in this job again`;
    const again = await register(fl, jobId, buyer);
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ code: 'WALLET_FLAGGED', error: flagged });
    const job = fl.server.market.jobs.get(jobId);
    expect([...(job?.clients.values() ?? [])].filter((c) => c.wallet === buyer.signer.address)).toHaveLength(1);

    await fl.restart();
    const afterRestart = await register(fl, jobId, buyer);
    expect(afterRestart.status).toBe(403);
    expect(afterRestart.body.error).toBe(flagged);
    // The shard the flagged client held is free for an honest wallet.
    expect((await register(fl, jobId, owner)).status).toBe(201);
  });
});
