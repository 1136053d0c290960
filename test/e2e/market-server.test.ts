import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generateKeyPairSigner, getBase64EncodedWireTransaction, getTransactionDecoder, signTransaction, type KeyPairSigner } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lumoraAsync, lumoraSpawn, ROOT } from './helpers.js';
import { buildFixtureDataset, fundedWallet, ORDER_FIELDS, signIn, startTestMarket, type TestMarket } from './market-helpers.js';

let m: TestMarket;
let buyer: KeyPairSigner;
let token: string;
let datasetDir: string;

beforeAll(async () => {
  m = await startTestMarket({ rateLimitPerIpPerMinute: 0, rateLimitPerWalletPerMinute: 40 });
  const seller = await generateKeyPairSigner();
  datasetDir = await buildFixtureDataset(m.home);
  await m.server.market.catalog.publish(datasetDir, {
    slug: 'pages',
    owner: seller.address,
    price: { amount: 5_000_000n, currency: 'SOL', mint: null },
    status: 'listed',
  });
  buyer = await fundedWallet(m);
  token = await signIn(m, buyer);
}, 120_000);

afterAll(async () => {
  await m?.server.close();
  if (m) rmSync(m.home, { recursive: true, force: true });
});

describe('Solana Pay transaction requests', () => {
  it('builds the payment for the wallet, which only signs and sends it', async () => {
    const created = await m.gql(`mutation { createOrder(datasetId: "pages") { ... on CreateOrderSuccess { order { ${ORDER_FIELDS} } } } }`, {}, token);
    const order = created.body.data.createOrder.order;
    const get = await fetch(`${m.url}/pay/${order.id}`);
    expect(await get.json()).toEqual({ label: 'Lumora', icon: `${m.url}/icon.svg` });
    expect((await fetch(`${m.url}/icon.svg`)).headers.get('content-type')).toBe('image/svg+xml');
    const post = await fetch(`${m.url}/pay/${order.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: buyer.address }),
    });
    expect(post.status).toBe(200);
    const { transaction, message } = (await post.json()) as { transaction: string; message: string };
    expect(message).toBe(`Lumora order ${order.id} for pages@v1`);
    const signed = await signTransaction([buyer.keyPair], getTransactionDecoder().decode(Buffer.from(transaction, 'base64')));
    const sig = await m.rpc.sendTransaction(getBase64EncodedWireTransaction(signed), { encoding: 'base64' }).send();
    m.server.market.localnet?.advanceSlots(1);
    const confirmed = await m.gql(
      `mutation($o: ID!, $s: String!) { confirmOrder(orderId: $o, signature: $s) { __typename ... on ConfirmOrderSuccess { order { status } } } }`,
      { o: order.id, s: sig },
      token,
    );
    expect(confirmed.body.data.confirmOrder).toEqual({ __typename: 'ConfirmOrderSuccess', order: { status: 'PAID' } });
  });

  it('refuses a body without a valid account', async () => {
    const created = await m.gql('mutation { createOrder(datasetId: "pages") { ... on CreateOrderSuccess { order { id } } } }', {}, token);
    const res = await fetch(`${m.url}/pay/${created.body.data.createOrder.order.id}`, { method: 'POST', body: JSON.stringify({ account: 'nope' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'account must be the payer’s base58 public key' });
  });
});

describe('the HTTP edge', () => {
  it('refuses a GraphQL GET without the CSRF header, and serves it with one', async () => {
    const q = encodeURIComponent('{ datasets(first: 1) { edges { node { id } } } }');
    const bare = await fetch(`${m.url}/graphql?query=${q}`);
    expect(bare.status).toBe(403);
    const ok = await fetch(`${m.url}/graphql?query=${q}`, { headers: { 'x-lumora-csrf': '1' } });
    expect(ok.status).toBe(200);
  });

  it('answers a bad argument with an error result, never a 500', async () => {
    expect((await fetch(`${m.url}/pay/%E0`)).status).toBe(400);
    for (const query of [
      '{ datasets(first: 1000000) { edges { cursor } } }',
      '{ datasets(first: 101) { edges { cursor } } }',
      '{ datasets(first: 0) { edges { cursor } } }',
      '{ datasets(first: 2, after: "bogus") { edges { cursor } } }',
      '{ datasets(first: 2, filter: { maxPrice: "-1" }) { edges { cursor } } }',
    ]) {
      const r = await m.gql(query);
      expect(r.status, query).toBe(200);
      expect(r.body.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
    }
  });

  it('limits mutations per wallet with 429 and a retry hint', async () => {
    let limited: Awaited<ReturnType<TestMarket['gql']>> | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const r = await m.gql('mutation { createOrder(datasetId: "pages") { __typename } }', {}, token);
      if (r.body.errors) limited = r;
    }
    expect(limited?.status).toBe(429);
    expect(limited?.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^too many requests; retry in \d+ s$/),
      extensions: { code: 'RATE_LIMITED' },
    });
  });

  it('keeps serving while another process publishes into the same catalog', async () => {
    const publishes = Promise.all([1, 2, 3].map((i) => lumoraAsync(['publish', datasetDir, '--home', m.home, '--name', `concurrent-${i}`])));
    let queries = 0;
    let done = false;
    void publishes.then(() => (done = true));
    while (!done) {
      const r = await m.gql('{ datasets(first: 5) { edges { node { id } } } }');
      expect(r.body.errors).toBeUndefined();
      queries++;
    }
    for (const r of await publishes) expect(r.status, r.stderr).toBe(0);
    expect(queries).toBeGreaterThan(0);
    // The server looks for other processes' publishes every 100 ms.
    await new Promise((r) => setTimeout(r, 150));
    const all = await m.server.market.catalog.searchDatasets({ first: 20, filter: { statuses: ['draft'] } });
    expect(all.edges.map((e) => e.node.slug).sort()).toEqual(['concurrent-1', 'concurrent-2', 'concurrent-3']);
  });
});

describe('lumora serve --demo', () => {
  it('publishes the fixture datasets, one in SOL and one in the Lumora token, ready to buy', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lumora-serve-'));
    const child = lumoraSpawn(['serve', '--home', home, '--port', '0', '--demo']);
    try {
      const lines: string[] = [];
      const reader = createInterface({ input: child.stdout });
      reader.on('line', (l) => lines.push(l));
      while (!lines.some((l) => l.startsWith('Try:'))) await once(reader, 'line');
      const url = /Lumora marketplace on (\S+)/.exec(lines[0] ?? '')?.[1] as string;
      expect(lines.filter((l) => l.trim().startsWith('listed'))).toEqual([
        expect.stringContaining('fixture-web@v1 for 0.05 SOL'),
        expect.stringContaining('fixture-pages@v1 for 25 LUM'),
      ]);
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ datasets(first: 10, sort: PRICE_ASC) { edges { node { id price { currency display } } } } }' }),
      });
      const body = (await res.json()) as { data: { datasets: { edges: Array<{ node: { id: string; price: { currency: string } } }> } } };
      expect(body.data.datasets.edges.map((e) => [e.node.id, e.node.price.currency]).sort()).toEqual([
        ['fixture-pages@v1', 'SPL'],
        ['fixture-web@v1', 'SOL'],
      ]);
      // The README's worked example, as a buyer runs it: once in SOL, once in the Lumora token.
      for (const id of ['fixture-web', 'fixture-pages']) {
        const run = spawnSync(process.execPath, [join(ROOT, 'examples', 'buy-dataset.mjs'), url, id, join(home, 'downloads')], {
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toMatch(/downloaded 1 file\(s\) to .*downloads\//);
        expect(run.stdout).toContain('lang');
      }
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
      rmSync(home, { recursive: true, force: true });
    }
  }, 120_000);
});
