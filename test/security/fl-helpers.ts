/**
 * @module Helpers for the federated security tests: a real server on loopback with a dataset the
 * seller owns and buyers paid for on the embedded chain, restartable on the same home (jobs,
 * sessions and entitlements are read back from it), and the client protocol's calls.
 */
import { rmSync } from 'node:fs';
import { generateKeyPairSigner, type KeyPairSigner } from '@solana/kit';
import { parseServeConfig, startServer, type MarketServer } from '../../api/index.js';
import { decodeWeights, encodeWeights } from '../../federated/index.js';
import { buildFixtureDataset, fundedWallet, graphqlClient, ORDER_FIELDS, pay, signIn, startTestMarket, type TestMarket } from '../e2e/market-helpers.js';

export interface Wallet {
  signer: KeyPairSigner;
  token: string;
}

export interface FlMarket {
  /** The current server (a new one after `restart`). */
  readonly server: MarketServer;
  readonly url: string;
  readonly home: string;
  seller: Wallet;
  buyers: Wallet[];
  gql: TestMarket['gql'];
  /** Stops the server and starts a new one on the same home with the same settings, or with `config` from now on. */
  restart(config?: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

const JOB_RESULT = `__typename ... on CreateTrainingJobSuccess { job { id status } } ... on Error { message code } ... on InvalidInputError { field }`;

/** A server whose dataset `pages` (300 news items, five languages) the seller owns and each buyer bought. */
export async function startFlMarket(opts: { buyers?: number; config?: Record<string, unknown> } = {}): Promise<FlMarket> {
  const config = opts.config ?? {};
  let current = config;
  const first = await startTestMarket(config);
  let server = first.server;
  const m: TestMarket = { ...first, gql: graphqlClient(() => server.url) };
  const sellerSigner = await generateKeyPairSigner();
  const dir = await buildFixtureDataset(first.home, 'pages', 'fixtures/jsonl/languages.jsonl');
  await server.market.catalog.publish(dir, {
    slug: 'pages',
    owner: sellerSigner.address,
    price: { amount: 5_000_000n, currency: 'SOL', mint: null },
    status: 'listed',
  });
  const seller = { signer: sellerSigner, token: await signIn(m, sellerSigner) };
  const buyers = await Promise.all(Array.from({ length: opts.buyers ?? 1 }, () => buyDataset(m)));
  return {
    get server() {
      return server;
    },
    get url() {
      return server.url;
    },
    home: first.home,
    seller,
    buyers,
    gql: m.gql,
    async restart(next) {
      if (next) current = next;
      await server.close();
      server = await startServer(parseServeConfig({ home: first.home, port: 0, slotMs: 0, rateLimitPerIpPerMinute: 0, ...current }));
    },
    async close() {
      await server.close();
      rmSync(first.home, { recursive: true, force: true });
    },
  };
}

/** A new wallet that pays for `pages` on the embedded chain and signs in. */
async function buyDataset(m: TestMarket): Promise<Wallet> {
  const signer = await fundedWallet(m);
  const token = await signIn(m, signer);
  const created = await m.gql(`mutation { createOrder(datasetId: "pages") { ... on CreateOrderSuccess { order { ${ORDER_FIELDS} } } } }`, {}, token);
  const order = created.body.data.createOrder.order;
  const sig = await pay(m, signer, { recipient: order.recipient, amount: BigInt(order.amount), reference: order.reference, memo: order.memo });
  m.server.market.localnet?.advanceSlots(1);
  const confirmed = await m.gql('mutation($o: ID!, $s: String!) { confirmOrder(orderId: $o, signature: $s) { __typename } }', { o: order.id, s: sig }, token);
  if (confirmed.body.data?.confirmOrder?.__typename !== 'ConfirmOrderSuccess') throw new Error(`buying pages failed: ${JSON.stringify(confirmed.body)}`);
  return { signer, token };
}

/** createTrainingJob on `pages` (label `lang`, 256 buckets unless given); the result union's member, with `extra` selected too. */
export async function createJob(fl: FlMarket, who: Wallet, input: Record<string, unknown>, extra = '') {
  const r = await fl.gql(
    `mutation($i: CreateTrainingJobInput!) { createTrainingJob(input: $i) { ${JOB_RESULT} ${extra} } }`,
    { i: { datasetId: 'pages', labelColumn: 'lang', dimension: 256, ...input } },
    who.token,
  );
  return r.body.data?.createTrainingJob ?? r.body;
}

export interface Registration {
  status: number;
  body: { clientId: string; shard: number; examples: number; job: { modelSize: number }; error?: string; code?: string };
}

export async function register(fl: FlMarket, jobId: string, who: Wallet): Promise<Registration> {
  const res = await fetch(`${fl.url}/fl/jobs/${jobId}/clients`, { method: 'POST', headers: { authorization: `Bearer ${who.token}` } });
  return { status: res.status, body: (await res.json()) as Registration['body'] };
}

export async function assignment(fl: FlMarket, jobId: string, who: Wallet, clientId: string, waitS = 0) {
  const res = await fetch(`${fl.url}/fl/jobs/${jobId}/assignment?client=${clientId}&wait=${waitS}`, { headers: { authorization: `Bearer ${who.token}` } });
  return (await res.json()) as { state: string; round?: number; attempt?: number; reason?: string; status?: string };
}

/** GET weights as a client: the status and, on 200, the decoded weights. */
export async function getWeights(
  fl: FlMarket,
  jobId: string,
  who: Wallet,
  clientId: string,
): Promise<{ status: number; weights: Float32Array | null; round: number | null }> {
  const res = await fetch(`${fl.url}/fl/jobs/${jobId}/weights?client=${clientId}`, { headers: { authorization: `Bearer ${who.token}` } });
  if (res.status !== 200) {
    await res.body?.cancel();
    return { status: res.status, weights: null, round: null };
  }
  const message = decodeWeights(new Uint8Array(await res.arrayBuffer()));
  return { status: 200, weights: message.weights, round: message.round };
}

/** POSTs an update for round/attempt: `weights` as given, one example. */
export async function postUpdate(fl: FlMarket, jobId: string, who: Wallet, clientId: string, round: number, attempt: number, weights: Float32Array) {
  const res = await fetch(`${fl.url}/fl/jobs/${jobId}/updates?client=${clientId}&round=${round}&attempt=${attempt}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.token}`, 'x-lumora-loss': '0.5' },
    body: encodeWeights({ round, weights, numExamples: 1 }) as Uint8Array<ArrayBuffer>,
  });
  return { status: res.status, body: (await res.json()) as { accepted: boolean; reason?: string } };
}
