// Issue 11, high: one user could break everyone's payment confirmation. The server verified
// payments by calling its own /solana over HTTP, so those calls drew on 127.0.0.1's rate limit:
// ten requests from another address, each with 29 aliased confirmOrder mutations, emptied it and
// real buyers' confirmOrder failed with "Unexpected error.". Now the server reaches its embedded
// chain in process, and a request costs its caller one unit per mutation (or JSON-RPC call) it holds.
import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { generateKeyPairSigner, getBase58Decoder, type KeyPairSigner } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureDataset, fundedWallet, pay, signIn, startTestMarket, type TestMarket } from '../e2e/market-helpers.js';

/** POSTs JSON from a given loopback address (127.0.0.2 is another client than 127.0.0.1). */
function postFrom(localAddress: string, url: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        let data = '';
        res.on('data', (d: Buffer) => (data += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

const CONFIRM =
  'mutation($o: ID!, $s: String!) { confirmOrder(orderId: $o, signature: $s) { __typename ... on ConfirmOrderSuccess { order { status } } ... on Error { message } } }';

let m: TestMarket;
let seller: KeyPairSigner;

beforeAll(async () => {
  m = await startTestMarket({ rateLimitPerIpPerMinute: 1200, rateLimitPerWalletPerMinute: 120 });
  seller = await generateKeyPairSigner();
  await m.server.market.catalog.publish(await buildFixtureDataset(m.home), {
    slug: 'pages',
    owner: seller.address,
    price: { amount: 5_000_000n, currency: 'SOL', mint: null },
    status: 'listed',
  });
}, 120_000);

afterAll(async () => {
  await m?.server.close();
  if (m) rmSync(m.home, { recursive: true, force: true });
});

describe("one user can break everyone's payment confirmation", () => {
  it("confirms a buyer's payment while another address floods confirmOrder through aliases", async () => {
    // Ten wallets (each with its own per-wallet allowance), one address, each request 29 confirmOrders of a real order.
    const fakeSignature = getBase58Decoder().decode(new Uint8Array(64).fill(7));
    const flood = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const attacker = await generateKeyPairSigner();
        const attackerToken = await signIn(m, attacker);
        const own = await m.gql('mutation { createOrder(datasetId: "pages") { ... on CreateOrderSuccess { order { id } } } }', {}, attackerToken);
        const orderId = own.body.data.createOrder.order.id as string;
        const aliases = Array.from({ length: 29 }, (_, i) => `c${i}: confirmOrder(orderId: "${orderId}", signature: "${fakeSignature}") { __typename }`).join(
          '\n',
        );
        return postFrom('127.0.0.2', `${m.url}/graphql`, { query: `mutation { ${aliases} }` }, attackerToken);
      }),
    );
    expect(flood.every((r) => r.status === 200 || r.status === 429)).toBe(true);

    const buyer = await fundedWallet(m);
    const token = await signIn(m, buyer);
    const created = await m.gql(
      'mutation { createOrder(datasetId: "pages") { ... on CreateOrderSuccess { order { id recipient amount reference memo } } } }',
      {},
      token,
    );
    const order = created.body.data.createOrder.order;
    const signature = await pay(m, buyer, { recipient: order.recipient, amount: BigInt(order.amount), reference: order.reference, memo: order.memo });
    m.server.market.localnet?.advanceSlots(1);
    const confirmed = await m.gql(CONFIRM, { o: order.id, s: signature }, token);
    expect(confirmed.body.errors).toBeUndefined();
    expect(confirmed.body.data.confirmOrder).toEqual({ __typename: 'ConfirmOrderSuccess', order: { status: 'PAID' } });
  });

  it("counts each aliased mutation against the caller's per-IP limit", async () => {
    // The per-wallet (here per-IP sign-in) limit is set high, so only the per-IP request limit can stop the aliases.
    const limited = await startTestMarket({ rateLimitPerIpPerMinute: 120, rateLimitPerWalletPerMinute: 100_000 });
    try {
      const wallet = await generateKeyPairSigner();
      const aliases = Array.from({ length: 40 }, (_, i) => `s${i}: requestSignIn(address: "${wallet.address}") { nonce }`).join('\n');
      const r = await postFrom('127.0.0.3', `${limited.url}/graphql`, { query: `mutation { ${aliases} }` });
      expect(r.status).toBe(429);
      expect(r.body.errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(r.body.data ?? null).toBeNull();
      // Another address is untouched.
      expect((await postFrom('127.0.0.4', `${limited.url}/graphql`, { query: '{ viewer { address } }' })).status).toBe(200);
    } finally {
      await limited.server.close();
      rmSync(limited.home, { recursive: true, force: true });
    }
  });

  it('refuses outright a request running more mutations than the burst could ever pay for', async () => {
    // 400/min allows a burst of 100; 150 mutations stay within the 500-selection limit.
    const small = await startTestMarket({ rateLimitPerIpPerMinute: 400, rateLimitPerWalletPerMinute: 100_000 });
    try {
      const wallet = await generateKeyPairSigner();
      const aliases = Array.from({ length: 150 }, (_, i) => `s${i}: requestSignIn(address: "${wallet.address}") { nonce }`).join('\n');
      const r = await postFrom('127.0.0.7', `${small.url}/graphql`, { query: `mutation { ${aliases} }` });
      expect(r.status).toBe(429);
      expect(r.body.errors[0].message).toContain('one request may run at most 100');
    } finally {
      await small.server.close();
      rmSync(small.home, { recursive: true, force: true });
    }
  });

  it("counts each call of a JSON-RPC batch against the caller's per-IP limit", async () => {
    const batch = Array.from({ length: 400 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'getHealth' }));
    const r = await postFrom('127.0.0.5', `${m.url}/solana`, batch);
    expect(r.status).toBe(429);
    expect(r.body.error).toContain('at most 300');
    expect((await postFrom('127.0.0.6', `${m.url}/solana`, batch.slice(0, 50))).status).toBe(200);
  });
});
