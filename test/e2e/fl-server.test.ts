/**
 * Federated training over HTTP on loopback: a dataset built from the fixture news items in five
 * languages (fixtures/jsonl/languages.jsonl), bought with a
 * real payment on the embedded chain; the owner creates a job that lets one wallet run 10 clients
 * and runs 10 `lumora fl client` processes; 3 are killed during round 2; the job still completes
 * its 5 rounds.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { tableFromIPC } from 'apache-arrow';
import { generateKeyPairSigner, type KeyPairSigner } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWeights, encodeWeights, isValidationRow, runFederatedClient, TrainingJobs } from '../../federated/index.js';
import { lumoraSpawn } from './helpers.js';
import { buildFixtureDataset, fundedWallet, ORDER_FIELDS, pay, signIn, startTestMarket, type TestMarket } from './market-helpers.js';

let m: TestMarket;
let seller: KeyPairSigner;
let buyer: KeyPairSigner;
let buyerToken: string;
let sellerToken: string;

const JOB_FIELDS = `id status statusReason completedRounds registeredClients labels validationRows accuracy
  rounds { round attempt status sampled participants dropouts rejected { clientId reason } loss accuracy epsilon note }`;

beforeAll(async () => {
  m = await startTestMarket();
  seller = await generateKeyPairSigner();
  // 300 items in five languages: about 24 training rows for each of ten clients.
  const dir = await buildFixtureDataset(m.home, 'pages', 'fixtures/jsonl/languages.jsonl');
  await m.server.market.catalog.publish(dir, {
    slug: 'pages',
    owner: seller.address,
    price: { amount: 5_000_000n, currency: 'SOL', mint: null },
    status: 'listed',
  });
  buyer = await fundedWallet(m);
  buyerToken = await signIn(m, buyer);
  sellerToken = await signIn(m, seller);
  const created = await m.gql(`mutation { createOrder(datasetId: "pages") { ... on CreateOrderSuccess { order { ${ORDER_FIELDS} } } } }`, {}, buyerToken);
  const order = created.body.data.createOrder.order;
  const sig = await pay(m, buyer, { recipient: order.recipient, amount: BigInt(order.amount), reference: order.reference, memo: order.memo });
  m.server.market.localnet?.advanceSlots(1);
  const confirmed = await m.gql(
    'mutation($o: ID!, $s: String!) { confirmOrder(orderId: $o, signature: $s) { __typename } }',
    { o: order.id, s: sig },
    buyerToken,
  );
  expect(confirmed.body.data.confirmOrder.__typename).toBe('ConfirmOrderSuccess');
}, 180_000);

afterAll(async () => {
  await m?.server.close();
  if (m) rmSync(m.home, { recursive: true, force: true });
});

async function createJob(input: Record<string, unknown>, token = buyerToken) {
  const r = await m.gql(
    `mutation($i: CreateTrainingJobInput!) { createTrainingJob(input: $i) { __typename ... on CreateTrainingJobSuccess { job { id status clients } } ... on Error { message code } ... on InvalidInputError { field } } }`,
    { i: input },
    token,
  );
  return r.body.data?.createTrainingJob ?? r.body;
}

async function job(id: string, token = buyerToken) {
  return (await m.gql(`query($id: ID!) { trainingJob(id: $id) { ${JOB_FIELDS} } }`, { id }, token)).body.data.trainingJob;
}

function register(jobId: string, token = buyerToken) {
  return fetch(`${m.url}/fl/jobs/${jobId}/clients`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
}

describe('federated training over HTTP', () => {
  it('trains 5 rounds with 10 client processes, 3 of them killed in round 2', async () => {
    const created = await createJob(
      {
        datasetId: 'pages',
        labelColumn: 'lang',
        clients: 10,
        rounds: 5,
        minClients: 7,
        roundTimeoutSeconds: 8,
        maxFailureFraction: 0.35,
        dimension: 4096,
        epochs: 2,
        batchSize: 5,
        maxClientsPerWallet: 10,
      },
      sellerToken,
    );
    expect(created.__typename).toBe('CreateTrainingJobSuccess');
    const jobId = created.job.id as string;
    expect(created.job).toMatchObject({ status: 'WAITING', clients: 10 });

    const clients = Array.from({ length: 10 }, () => {
      const child = lumoraSpawn(['fl', 'client', '--server', m.url, '--job', jobId, '--token', sellerToken, '--json', '--poll-seconds', '5']);
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const registered = new Promise<string>((resolve) => {
        createInterface({ input: child.stderr }).on('line', (line) => {
          if (process.env.FL_DEBUG) process.stderr.write(`client: ${line}\n`);
          const id = /^registered as (\S+) on shard/.exec(line)?.[1];
          if (id) resolve(id);
        });
      });
      const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
      return { child, registered, exited, stdout: () => stdout };
    });
    const ids = await Promise.all(clients.map((c) => c.registered));
    expect(new Set(ids).size).toBe(10);

    // Kill three clients as soon as round 2 is open.
    const jobState = m.server.market.jobs.get(jobId);
    if (!jobState) throw new Error('job not in the server');
    while (!(jobState.openRound?.round === 2 || jobState.completedRounds >= 2)) await new Promise((r) => setTimeout(r, 5));
    const killed = clients.slice(0, 3);
    for (const c of killed) c.child.kill('SIGKILL');
    const killedIds = new Set(ids.slice(0, 3));

    const survivors = clients.slice(3);
    const exits = await Promise.all(survivors.map((c) => c.exited));
    for (const [code] of exits) expect(code).toBe(0);
    for (const c of survivors) expect(JSON.parse(c.stdout())).toMatchObject({ status: 'completed', reason: null });

    const final = await job(jobId, sellerToken);
    expect(final.status).toBe('COMPLETED');
    expect(final.completedRounds).toBe(5);
    const aggregated = final.rounds.filter((r: { status: string }) => r.status === 'AGGREGATED');
    expect(aggregated.map((r: { round: number }) => r.round)).toEqual([1, 2, 3, 4, 5]);
    expect(final.rounds.flatMap((r: { rejected: unknown[] }) => r.rejected)).toEqual([]);
    // Each killed client drops out of exactly one round (the first it was sampled for after dying), then is never sampled again.
    const dropouts = jobState.rounds.flatMap((r) => r.dropouts);
    for (const id of killedIds) expect(dropouts.filter((d) => d === id)).toHaveLength(1);
    const lastRound = jobState.rounds.at(-1);
    for (const id of killedIds) expect(lastRound?.sampled).not.toContain(id);
    expect(aggregated.at(-1).participants).toBe(7);
    // The stated level: 0.9 on the validation split (five balanced languages: chance is 0.2).
    expect(final.validationRows).toBeGreaterThan(40);
    expect(final.accuracy).toBeGreaterThanOrEqual(0.9);
    for (const r of aggregated) expect(r.loss).toBeGreaterThan(0);

    // The creator downloads the model; its length is the model's.
    const model = (await m.gql(`query($id: ID!) { trainingJob(id: $id) { model { url round parameters labels dimension kind } } }`, { id: jobId }, sellerToken))
      .body.data.trainingJob.model;
    expect(model).toMatchObject({ round: 5, dimension: 4096, kind: 'LOGREG', labels: final.labels });
    const bytes = new Uint8Array(await (await fetch(model.url)).arrayBuffer());
    const weights = decodeWeights(bytes, model.parameters);
    expect(weights.round).toBe(5);
    expect(weights.weights).toEqual(jobState.weights);
    const tampered = await fetch(model.url.replace(/sig=[^&]+/, 'sig=AAAA'));
    expect(tampered.status).toBe(403);
  }, 240_000);

  it('gives each client its own shard, only the columns it needs, no validation row', async () => {
    const created = await createJob({ datasetId: 'pages', labelColumn: 'lang', clients: 3, rounds: 1, minClients: 3, dimension: 256, roundTimeoutSeconds: 30 });
    const jobId = created.job.id as string;
    const regs = await Promise.all([register(jobId), register(jobId, sellerToken)]);
    expect(regs.map((r) => r.status)).toEqual([201, 201]);
    const [a, b] = (await Promise.all(regs.map((r) => r.json()))) as Array<{ clientId: string; shard: number; examples: number }>;
    const shard = async (clientId: string, token: string) => {
      const r = await fetch(`${m.url}/fl/jobs/${jobId}/shard?client=${clientId}`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status).toBe(200);
      return tableFromIPC(new Uint8Array(await r.arrayBuffer()));
    };
    const ta = await shard((a as { clientId: string }).clientId, buyerToken);
    const tb = await shard((b as { clientId: string }).clientId, sellerToken);
    expect(ta.schema.fields.map((f) => f.name)).toEqual(['id', 'text', 'label']);
    expect(ta.numRows).toBe(a?.examples);
    expect(tb.numRows).toBe(b?.examples);
    const idsA = new Set(ta.getChild('id')?.toArray() as string[]);
    const idsB = tb.getChild('id')?.toArray() as string[];
    expect(idsA.size).toBeGreaterThan(0);
    for (const id of idsB) expect(idsA.has(id)).toBe(false);
    for (const id of [...idsA, ...idsB]) expect(isValidationRow(id)).toBe(false);
    // Another wallet cannot use this client id, and a client id cannot be guessed into another's shard.
    const stolen = await fetch(`${m.url}/fl/jobs/${jobId}/shard?client=${a?.clientId}`, { headers: { authorization: `Bearer ${sellerToken}` } });
    expect(stolen.status).toBe(403);
    expect(((await stolen.json()) as { error: string }).error).toMatch(/has no client .* registered by this wallet/);
  });

  it('rejects a bad update with its reason over HTTP and flags the client', async () => {
    const created = await createJob({
      datasetId: 'pages',
      labelColumn: 'lang',
      clients: 2,
      rounds: 1,
      minClients: 2,
      dimension: 256,
      roundTimeoutSeconds: 30,
      maxFailureFraction: 0.5,
    });
    const jobId = created.job.id as string;
    const [a] = (await Promise.all([register(jobId), register(jobId, sellerToken)].map(async (r) => (await r).json()))) as Array<{
      clientId: string;
      job: { modelSize: number };
    }>;
    const auth = { authorization: `Bearer ${buyerToken}` };
    const assignment = (await (await fetch(`${m.url}/fl/jobs/${jobId}/assignment?client=${a?.clientId}&wait=1`, { headers: auth })).json()) as {
      state: string;
      round: number;
      attempt: number;
    };
    expect(assignment).toMatchObject({ state: 'train', round: 1, attempt: 1 });
    const weights = new Float32Array(a?.job.modelSize ?? 0);
    weights[7] = Number.POSITIVE_INFINITY;
    const post = (body: Uint8Array, loss = '0.5') =>
      fetch(`${m.url}/fl/jobs/${jobId}/updates?client=${a?.clientId}&round=1&attempt=1`, {
        method: 'POST',
        headers: { ...auth, 'x-lumora-loss': loss },
        body: body as Uint8Array<ArrayBuffer>,
      });
    const short = await post(new Uint8Array(10));
    expect(short.status).toBe(400);
    expect(await short.json()).toEqual({ error: 'weights message: 10 bytes is shorter than the 16-byte header' });
    const noLoss = await post(encodeWeights({ round: 1, weights, numExamples: 1 }), 'abc');
    expect(noLoss.status).toBe(400);
    const bad = await post(encodeWeights({ round: 1, weights, numExamples: 1 }));
    expect(bad.status).toBe(422);
    expect(await bad.json()).toEqual({ accepted: false, status: 'rejected', reason: 'weight 7 is not finite' });
    const next = (await (await fetch(`${m.url}/fl/jobs/${jobId}/assignment?client=${a?.clientId}`, { headers: auth })).json()) as {
      state: string;
      reason: string;
    };
    expect(next).toMatchObject({ state: 'done', reason: 'this client was flagged: weight 7 is not finite' });
    const seen = await job(jobId);
    expect(seen.rounds[0].rejected).toEqual([{ clientId: a?.clientId, reason: 'weight 7 is not finite' }]);
  });

  it('trains a regression on a numeric label, and a classifier on numeric columns alone', async () => {
    const regression = await createJob(
      {
        datasetId: 'pages',
        task: 'REGRESSION',
        labelColumn: 'quality_score',
        numericColumns: ['lang_score'],
        tfidf: true,
        clients: 3,
        rounds: 4,
        minClients: 3,
        dimension: 1024,
        learningRate: 0.2,
        maxClientsPerWallet: 3,
      },
      sellerToken,
    );
    expect(regression.__typename).toBe('CreateTrainingJobSuccess');
    const numericOnly = await createJob(
      {
        datasetId: 'pages',
        labelColumn: 'lang',
        textColumn: '',
        numericColumns: ['lang_score', 'quality_score'],
        clients: 2,
        rounds: 2,
        minClients: 2,
        maxClientsPerWallet: 2,
      },
      sellerToken,
    );
    expect(numericOnly.__typename).toBe('CreateTrainingJobSuccess');
    const run = (id: string) => runFederatedClient({ server: m.url, job: id, token: sellerToken, pollSeconds: 2 });
    const results = await Promise.all([...[1, 2, 3].map(() => run(regression.job.id)), run(numericOnly.job.id), run(numericOnly.job.id)]);
    for (const r of results) expect(r).toMatchObject({ status: 'completed', reason: null });
    const reg = (
      await m.gql(
        `query($id: ID!) { trainingJob(id: $id) { task labels rounds { validationLoss accuracy } model { kind numericColumns numericMeans parameters } } }`,
        { id: regression.job.id },
        sellerToken,
      )
    ).body.data.trainingJob;
    expect(reg).toMatchObject({ task: 'REGRESSION', labels: [], model: { kind: 'LINREG', numericColumns: ['lang_score'], parameters: 1024 + 1 + 1 } });
    const mse = reg.rounds.map((r: { validationLoss: number }) => r.validationLoss);
    // From weights at zero (predicting 0 for a score near 0.8) the squared error must fall round on round.
    for (let i = 1; i < mse.length; i++) expect(mse[i]).toBeLessThan(mse[i - 1]);
    expect(reg.model.numericMeans[0]).toBeGreaterThan(0.5);
    const num = (await m.gql(`query($id: ID!) { trainingJob(id: $id) { status textColumn model { parameters } } }`, { id: numericOnly.job.id }, sellerToken))
      .body.data.trainingJob;
    // Five classes × (2 inputs + 1 bias).
    expect(num).toMatchObject({ status: 'COMPLETED', textColumn: null, model: { parameters: 15 } });
    expect(await createJob({ datasetId: 'pages', task: 'REGRESSION', labelColumn: 'lang', clients: 2, rounds: 1 })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'labelColumn',
      message: 'labelColumn: a regression job needs a numeric label; "lang" of pages@v1 is VARCHAR',
    });
    expect(await createJob({ datasetId: 'pages', labelColumn: 'lang', numericColumns: ['url'], clients: 2, rounds: 1 })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'numericColumns',
    });
  });

  it('streams assignments as server-sent events', async () => {
    const created = await createJob({ datasetId: 'pages', labelColumn: 'lang', clients: 2, rounds: 1, minClients: 2, dimension: 256 });
    const jobId = created.job.id as string;
    const a = (await (await register(jobId)).json()) as { clientId: string };
    const controller = new AbortController();
    const res = await fetch(`${m.url}/fl/jobs/${jobId}/events?client=${a.clientId}`, {
      headers: { authorization: `Bearer ${buyerToken}` },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const nextEvent = async () => {
      while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
      const [event, rest] = [text.slice(0, text.indexOf('\n\n')), text.slice(text.indexOf('\n\n') + 2)];
      text = rest;
      return JSON.parse(
        event
          .split('\n')
          .find((l) => l.startsWith('data: '))
          ?.slice(6) ?? 'null',
      ) as { state: string; round?: number };
    };
    expect(await nextEvent()).toMatchObject({ state: 'wait', reason: 'waiting for clients: 1 active, 2 needed' });
    await register(jobId, sellerToken);
    expect(await nextEvent()).toMatchObject({ state: 'train', round: 1, attempt: 1 });
    controller.abort();
  });

  it('saves jobs under the home and resumes them from the last aggregated round', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lumora-jobs-'));
    try {
      const jobs = await TrainingJobs.open({ home, catalog: m.server.market.catalog });
      const job = await jobs.create({ dataset: 'pages', labelColumn: 'lang', clients: 2, rounds: 3, minClients: 2, dimension: 256 }, buyer.address, {
        maxTrainingJobsPerWallet: 10,
        maxKeptTrainingJobsPerWallet: 10,
        maxTrainingModelBytesPerWallet: 1 << 30,
        maxTrainingModelBytes: 1 << 30,
        maxTrainingDataBytesPerWallet: 1 << 30,
        maxTrainingDataBytes: 1 << 30,
      });
      const [a, b] = [job.register('w101'), job.register('w102')];
      for (const c of [a, b]) {
        const { weights, loss } = job.model.train(job.weights, job.data?.validation ?? [], job.spec.local, Math.random);
        expect(job.submit(c.id, 1, 1, { weights, numExamples: 1, loss })).toEqual({ accepted: true });
      }
      expect(job.completedRounds).toBe(1);
      const weights = Float32Array.from(job.weights);
      jobs.close();
      const errors: unknown[] = [];
      const reopened = await TrainingJobs.open({ home, catalog: m.server.market.catalog, onError: (_w, e) => errors.push(e) });
      expect(errors).toEqual([]);
      const again = reopened.get(job.id);
      expect(again?.completedRounds).toBe(1);
      expect(again?.weights).toEqual(weights);
      expect(again?.openRound).toMatchObject({ round: 2, attempt: 1 });
      expect(again?.assignment(a.id)).toMatchObject({ state: 'train', round: 2 });
      reopened.close();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('lets only the owner or a buyer create a job or join one, and names a bad argument', async () => {
    const stranger = await generateKeyPairSigner();
    const strangerToken = await signIn(m, stranger);
    expect(await createJob({ datasetId: 'pages', labelColumn: 'lang', clients: 2, rounds: 1 }, strangerToken)).toMatchObject({
      __typename: 'NotAuthorizedError',
      message: `wallet ${stranger.address} neither owns nor bought pages@v1; only they may train on it`,
    });
    expect(await createJob({ datasetId: 'pages', labelColumn: 'lang', clients: 2, rounds: 1 }, sellerToken)).toMatchObject({
      __typename: 'CreateTrainingJobSuccess',
    });
    expect(await createJob({ datasetId: 'pages', labelColumn: 'nope', clients: 2, rounds: 1 })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'labelColumn',
      message: expect.stringMatching(/^labelColumn: dataset pages@v1 has no column "nope" \(columns: id, /),
    });
    expect(await createJob({ datasetId: 'pages', labelColumn: 'lang', clients: 0, rounds: 1 })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'clients',
    });
    expect(await createJob({ datasetId: 'pages', labelColumn: 'url', clients: 2, rounds: 1 })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'labelColumn',
      message: expect.stringMatching(/distinct values in pages@v1; a classifier takes at most 1000, and at most one per two rows \(is it a label\?\)$/),
    });
    expect(await createJob({ datasetId: 'pages', labelColumn: 'lang', textColumn: 'lang', clients: 2, rounds: 1 })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'labelColumn',
    });
    expect(await createJob({ datasetId: 'pages', labelColumn: 'lang', clients: 2, rounds: 1, model: 'MLP', hidden: 4096, dimension: 16777216 })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'dimension',
      message: expect.stringMatching(/above the limit of 67108864; lower dimension or hidden$/),
    });
    expect(await createJob({ datasetId: 'pages', labelColumn: 'lang', clients: 2, rounds: 1, roundTimeoutSeconds: 0 })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'roundTimeoutSeconds',
      message: 'roundTimeoutSeconds: must be from 0.1 to 86400, got 0',
    });
    expect(
      await createJob({ datasetId: 'pages', labelColumn: 'lang', clients: 2, rounds: 1, strategy: 'krum', dp: { noiseMultiplier: 1, clipNorm: 1 } }),
    ).toMatchObject({ __typename: 'InvalidInputError', field: 'dp' });
    // Fields the job spec nests (local training, the MLP) are flat in the input, and named so.
    expect(await createJob({ datasetId: 'pages', labelColumn: 'lang', clients: 2, rounds: 1, epochs: 0 })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'epochs',
      message: 'epochs: must be a whole number from 1 to 1000, got 0',
    });
    expect(await createJob({ datasetId: 'pages', labelColumn: 'lang', clients: 2, rounds: 1, model: 'MLP', hidden: 0 })).toMatchObject({
      __typename: 'InvalidInputError',
      field: 'hidden',
      message: 'hidden: must be a whole number from 1 to 4096, got 0',
    });
    expect(
      await createJob({ datasetId: 'pages', labelColumn: 'lang', clients: 2, rounds: 1, dp: { noiseMultiplier: 1, clipNorm: 1, delta: 2 } }),
    ).toMatchObject({ __typename: 'InvalidInputError', field: 'dp.delta', message: 'dp.delta: must be a number > 0 and < 1, got 2' });
    expect(await createJob({ datasetId: 'nope', labelColumn: 'lang', clients: 2, rounds: 1 })).toMatchObject({ __typename: 'NotFoundError' });
    const signedOut = await m.gql('mutation { createTrainingJob(input: { datasetId: "pages", labelColumn: "lang", clients: 2, rounds: 1 }) { __typename } }');
    expect(signedOut.body.data.createTrainingJob.__typename).toBe('NotAuthorizedError');

    const created = await createJob({ datasetId: 'pages', labelColumn: 'lang', clients: 2, rounds: 1, dimension: 256 });
    const r = await register(created.job.id, strangerToken);
    expect(r.status).toBe(403);
    expect(await job(created.job.id, strangerToken)).toBeNull();
    expect(await job(created.job.id, sellerToken)).toMatchObject({ status: 'WAITING' });
    const anonymous = await fetch(`${m.url}/fl/jobs/${created.job.id}/clients`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
  });
});
