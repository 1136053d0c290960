/**
 * Issue 11, high: a buyer who joined the owner's training job as a client could GET the job's
 * weights after it completed and so receive the final model, which GraphQL gives only to the job's
 * creator and the dataset's owner. Now every place that serves weights asks one rule
 * (api/access.ts): the creator and the owner get the model; a client gets the global
 * weights only for the round it is sampled for and has not answered yet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLink } from '../../api/signed-links.js';
import { assignment, createJob, getWeights, postUpdate, register, startFlMarket, type FlMarket, type Wallet } from './fl-helpers.js';

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

/** A small honest step away from the round's global weights. */
function step(global: Float32Array): Float32Array {
  return global.map((w) => w + 0.01);
}

async function modelUrl(jobId: string, who: Wallet): Promise<string | null> {
  const r = await fl.gql('query($id: ID!) { trainingJob(id: $id) { model { url } } }', { id: jobId }, who.token);
  return r.body.data.trainingJob.model?.url ?? null;
}

describe("a buyer gets the owner's model", () => {
  it("refuses a buyer's client the weights once the job completed, while the owner's link serves the model", async () => {
    const created = await createJob(fl, owner, { clients: 2, rounds: 1, minClients: 2, roundTimeoutSeconds: 30 });
    expect(created.__typename).toBe('CreateTrainingJobSuccess');
    const jobId = created.job.id as string;
    const b = await register(fl, jobId, buyer);
    const o = await register(fl, jobId, owner);
    expect([b.status, o.status]).toEqual([201, 201]);

    // While round 1 is open the buyer's client trains on the round's global weights.
    const start = await getWeights(fl, jobId, buyer, b.body.clientId);
    expect(start.status).toBe(200);
    const update = step(start.weights as Float32Array);
    expect((await postUpdate(fl, jobId, buyer, b.body.clientId, 1, 1, update)).status).toBe(200);
    expect((await postUpdate(fl, jobId, owner, o.body.clientId, 1, 1, update)).status).toBe(200);
    const job = fl.server.market.jobs.get(jobId);
    expect(job?.status).toBe('completed');

    // The attack: the buyer's client asks for the weights after the last round.
    const after = await getWeights(fl, jobId, buyer, b.body.clientId);
    expect(after.status).toBe(403);
    expect(after.weights).toBeNull();
    expect(await modelUrl(jobId, buyer)).toBeNull();

    // The owner still gets the final model, through the signed link.
    const url = await modelUrl(jobId, owner);
    expect(url).not.toBeNull();
    const res = await fetch(url as string);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer()).byteLength).toBe(16 + 4 * (job?.model.size ?? 0));
  });

  it('gives a client the global weights only for the round it is sampled for and has not answered', async () => {
    // Three shards, two clients a round: the third client to register waits, unsampled.
    const created = await createJob(fl, owner, { clients: 3, rounds: 3, minClients: 2, fraction: 0.5, roundTimeoutSeconds: 30, maxFailureFraction: 0.5 });
    const jobId = created.job.id as string;
    const b = (await register(fl, jobId, buyer)).body.clientId;
    const o = (await register(fl, jobId, owner)).body.clientId;
    const waiting = (await register(fl, jobId, otherBuyer)).body.clientId;
    expect(await assignment(fl, jobId, otherBuyer, waiting)).toMatchObject({ state: 'wait' });
    expect((await getWeights(fl, jobId, otherBuyer, waiting)).status).toBe(409);

    const mine = await getWeights(fl, jobId, buyer, b);
    expect(mine).toMatchObject({ status: 200, round: 0 });
    expect((await postUpdate(fl, jobId, buyer, b, 1, 1, step(mine.weights as Float32Array))).status).toBe(200);
    // Answered: the client has nothing more to train in this round, so it gets nothing more.
    expect((await getWeights(fl, jobId, buyer, b)).status).toBe(409);
    expect((await postUpdate(fl, jobId, owner, o, 1, 1, step(mine.weights as Float32Array))).status).toBe(200);

    // Round 2 samples two of the three; a sampled buyer's client sends a NaN and is flagged.
    const job = fl.server.market.jobs.get(jobId);
    expect(job?.openRound?.round).toBe(2);
    const sampledBuyer = [
      { who: buyer, id: b },
      { who: otherBuyer, id: waiting },
    ].find((c) => job?.openRound?.sampled.includes(c.id));
    if (!sampledBuyer) throw new Error('round 2 sampled no buyer');
    const round2 = await getWeights(fl, jobId, sampledBuyer.who, sampledBuyer.id);
    expect(round2).toMatchObject({ status: 200, round: 1 });
    const bad = Float32Array.from(round2.weights as Float32Array);
    bad[0] = Number.NaN;
    expect((await postUpdate(fl, jobId, sampledBuyer.who, sampledBuyer.id, 2, 1, bad)).status).toBe(422);
    expect((await getWeights(fl, jobId, sampledBuyer.who, sampledBuyer.id)).status).toBe(403);
  });

  it('serves a signed model link only to a wallet the same rule allows', async () => {
    const created = await createJob(fl, owner, { clients: 2, rounds: 1, minClients: 2 });
    const jobId = created.job.id as string;
    // A link signed by this server's key, but for a buyer: the route checks the wallet it names.
    const expiresAt = new Date(Date.now() + 60_000);
    const path = `/fl/jobs/${jobId}/model`;
    const forBuyer = await fetch(`${fl.url}${signLink(fl.server.market.keys.downloadKey, { path, buyer: buyer.signer.address, expiresAt })}`);
    expect(forBuyer.status).toBe(403);
    await forBuyer.body?.cancel();
    const forOwner = await fetch(`${fl.url}${signLink(fl.server.market.keys.downloadKey, { path, buyer: owner.signer.address, expiresAt })}`);
    expect(forOwner.status).toBe(200);
    await forOwner.body?.cancel();
  });
});
