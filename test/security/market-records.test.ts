// Issue 11, low: records the market kept or lost. Sign-in nonces and expired orders were never
// deleted (tables that grow forever); a second payment for an already-paid order was kept
// silently; a `columns=` list repeated in an Arrow link multiplied the output (12 KB URL → 34.6 MB).
import { rmSync } from 'node:fs';
import { generateKeyPairSigner, type KeyPairSigner } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureDataset, fundedWallet, pay, signIn, startTestMarket, type TestMarket } from '../e2e/market-helpers.js';

let m: TestMarket;
let seller: KeyPairSigner;
let sellerToken: string;

beforeAll(async () => {
  m = await startTestMarket({ rateLimitPerWalletPerMinute: 10_000 });
  seller = await generateKeyPairSigner();
  await m.server.market.catalog.publish(await buildFixtureDataset(m.home), {
    slug: 'pages',
    owner: seller.address,
    price: { amount: 5_000_000n, currency: 'SOL', mint: null },
    status: 'listed',
  });
  sellerToken = await signIn(m, seller);
}, 120_000);

afterAll(async () => {
  await m?.server.close();
  if (m) rmSync(m.home, { recursive: true, force: true });
});

const ORDER =
  'mutation { createOrder(datasetId: "pages") { __typename ... on CreateOrderSuccess { order { id recipient amount reference memo } } ... on LimitExceededError { limit message } } }';
const CONFIRM =
  'mutation($o: ID!, $s: String!) { confirmOrder(orderId: $o, signature: $s) { __typename ... on ConfirmOrderSuccess { order { status } } ... on PaymentInvalidError { message reasons } } }';

describe('sign-in nonces and expired orders are never deleted', () => {
  it('deletes expired nonces, and settles each long-expired order once: deleted unpaid, granted if paid in time, kept with its payment recorded if paid late', async () => {
    // Orders expire after 1.5 s of real time here: the localnet stamps transactions with the real clock.
    const quick = await startTestMarket({ orderTtlMs: 1500 });
    try {
      await quick.server.market.catalog.publish(await buildFixtureDataset(quick.home), {
        slug: 'pages',
        owner: seller.address,
        price: { amount: 5_000_000n, currency: 'SOL', mint: null },
        status: 'listed',
      });
      const buyer = await fundedWallet(quick);
      const token = await signIn(quick, buyer);
      const create = async () => (await quick.gql(ORDER, {}, token)).body.data.createOrder.order;
      const payFor = (o: any, amount = BigInt(o.amount)) => pay(quick, buyer, { recipient: o.recipient, amount, reference: o.reference, memo: o.memo });
      const unpaid = await create();
      const dust = await create();
      const inTime = await create();
      const late = await create();
      await payFor(inTime); // the buyer never comes back to confirm
      await payFor(dust, 1n); // mentions the order, pays nothing like its price
      // Block times are whole seconds: wait past the expiry by more than one.
      await new Promise((r) => setTimeout(r, 2700));
      const lateSignature = await payFor(late);
      quick.server.market.localnet?.advanceSlots(1);
      // The buyer who reports a late payment is told it is recorded for a refund.
      const told = await quick.gql(
        'mutation($o: ID!, $s: String!) { confirmOrder(orderId: $o, signature: $s) { __typename ... on Error { message } } }',
        { o: late.id, s: lateSignature },
        token,
      );
      expect(told.body.data.confirmOrder.__typename).toBe('OrderExpiredError');
      expect(told.body.data.confirmOrder.message).toContain('recorded for a refund');
      const nonce = (await quick.gql('mutation($a: String!) { requestSignIn(address: $a) { nonce } }', { a: buyer.address })).body.data.requestSignIn
        .nonce as string;
      const store = quick.server.market.store;
      expect(await store.getNonce(nonce)).not.toBeNull();

      quick.clock.offsetMs = 8 * 24 * 60 * 60_000;
      await quick.server.market.sweep();
      expect(await store.getNonce(nonce)).toBeNull();
      expect(await store.getOrder(unpaid.id)).toBeNull();
      expect(await store.getOrder(dust.id)).toBeNull();
      expect((await store.getOrder(inTime.id))?.status).toBe('paid');
      expect(await store.entitledDatasets(buyer.address, ['pages@v1'])).toEqual(new Set(['pages@v1']));
      expect((await store.getOrder(late.id))?.status).toBe('pending');
      const owed = await store.extraPayments({ orderId: late.id });
      expect(owed.map((p) => [p.signature, p.amount])).toEqual([[lateSignature, BigInt(late.amount)]]);
      // Settled once: a second sweep changes nothing.
      await quick.server.market.sweep();
      expect(await store.extraPayments({ orderId: late.id })).toHaveLength(1);
    } finally {
      await quick.server.close();
      rmSync(quick.home, { recursive: true, force: true });
    }
  });

  it('does not stall behind long-expired orders it keeps: each is settled once, and the ones after it are reached', async () => {
    const quick = await startTestMarket({ orderTtlMs: 1000 });
    try {
      await quick.server.market.catalog.publish(await buildFixtureDataset(quick.home), {
        slug: 'pages',
        owner: seller.address,
        price: { amount: 5_000_000n, currency: 'SOL', mint: null },
        status: 'listed',
      });
      const buyer = await fundedWallet(quick);
      const token = await signIn(quick, buyer);
      const kept = [];
      for (let i = 0; i < 3; i++) kept.push((await quick.gql(ORDER, {}, token)).body.data.createOrder.order);
      const unpaid = (await quick.gql(ORDER, {}, token)).body.data.createOrder.order;
      await new Promise((r) => setTimeout(r, 2200));
      for (const o of kept) {
        await pay(quick, buyer, { recipient: o.recipient, amount: BigInt(o.amount), reference: o.reference, memo: o.memo });
        quick.server.market.localnet?.advanceSlots(1);
      }
      quick.clock.offsetMs = 8 * 24 * 60 * 60_000;
      // Two orders a pass: the three kept ones come first, the unpaid one last.
      for (let pass = 0; pass < 2; pass++) await quick.server.market.orders.settleOrders({ recheckAfterMs: 60_000, limit: 2 });
      expect(await quick.server.market.store.getOrder(unpaid.id)).toBeNull();
      for (const o of kept) expect(await quick.server.market.store.extraPayments({ orderId: o.id })).toHaveLength(1);
    } finally {
      await quick.server.close();
      rmSync(quick.home, { recursive: true, force: true });
    }
  });

  it('caps the unpaid orders one wallet can hold at once, also against parallel requests', async () => {
    const buyer = await fundedWallet(m);
    const token = await signIn(m, buyer);
    const kinds = await Promise.all(Array.from({ length: 25 }, async () => (await m.gql(ORDER, {}, token)).body.data.createOrder.__typename as string));
    expect(kinds.filter((k) => k === 'CreateOrderSuccess')).toHaveLength(20);
    const next = (await m.gql(ORDER, {}, token)).body.data.createOrder;
    expect(next).toMatchObject({ __typename: 'LimitExceededError', limit: 20 });
  });
});

describe('a second payment for an already-paid order is kept silently', () => {
  it('records every further payment of a paid order and shows it to the buyer and the seller for a refund', async () => {
    const buyer = await fundedWallet(m);
    const token = await signIn(m, buyer);
    const order = (await m.gql(ORDER, {}, token)).body.data.createOrder.order;
    const parts = { recipient: order.recipient, amount: BigInt(order.amount), reference: order.reference, memo: order.memo };
    // A slot apart, so each has its own blockhash (and so its own signature), as a wallet's retry does.
    const first = await pay(m, buyer, parts);
    m.server.market.localnet?.advanceSlots(1);
    const second = await pay(m, buyer, parts);
    m.server.market.localnet?.advanceSlots(1);
    expect((await m.gql(CONFIRM, { o: order.id, s: first }, token)).body.data.confirmOrder.__typename).toBe('ConfirmOrderSuccess');

    // A third payment after the order was paid, reported by the buyer's wallet.
    const third = await pay(m, buyer, parts);
    m.server.market.localnet?.advanceSlots(1);
    const again = (await m.gql(CONFIRM, { o: order.id, s: third }, token)).body.data.confirmOrder;
    expect(again.__typename).toBe('PaymentInvalidError');
    expect(again.message).toContain('recorded for a refund');

    // A fourth, still unconfirmed when the buyer reports it, is recorded once it is (the sweep looks again).
    const fourth = await pay(m, buyer, parts);
    const pending = (
      await m.gql('mutation($o: ID!, $s: String!) { confirmOrder(orderId: $o, signature: $s) { __typename } }', { o: order.id, s: fourth }, token)
    ).body.data.confirmOrder;
    expect(pending.__typename).toBe('PaymentPendingError');
    m.server.market.localnet?.advanceSlots(1);
    m.clock.offsetMs = 11 * 60_000;
    try {
      await m.server.market.sweep();
    } finally {
      m.clock.offsetMs = 0;
    }

    const seen = await m.gql(`{ order(id: "${order.id}") { status extraPayments { signature amount currency buyer } } }`, {}, token);
    expect(seen.body.data.order.status).toBe('PAID');
    expect(seen.body.data.order.extraPayments).toEqual([
      { signature: second, amount: order.amount, currency: 'SOL', buyer: buyer.address },
      { signature: third, amount: order.amount, currency: 'SOL', buyer: buyer.address },
      { signature: fourth, amount: order.amount, currency: 'SOL', buyer: buyer.address },
    ]);
    const owed = await m.gql('{ paymentsToRefund { signature orderId buyer amount } }', {}, sellerToken);
    expect(owed.body.data.paymentsToRefund).toEqual(
      expect.arrayContaining([
        { signature: second, orderId: order.id, buyer: buyer.address, amount: order.amount },
        { signature: third, orderId: order.id, buyer: buyer.address, amount: order.amount },
      ]),
    );
    // A page at a time, after the last signature of the page before.
    const page1 = (await m.gql('{ paymentsToRefund(first: 2) { signature } }', {}, sellerToken)).body.data.paymentsToRefund;
    const page2 = (await m.gql('query($a: String) { paymentsToRefund(first: 2, after: $a) { signature } }', { a: page1[1].signature }, sellerToken)).body.data
      .paymentsToRefund;
    expect([...page1, ...page2].map((p: { signature: string }) => p.signature)).toEqual(
      owed.body.data.paymentsToRefund.map((p: { signature: string }) => p.signature).slice(0, 4),
    );
    expect(page2).toHaveLength(1);
    // Neither extra payment can be passed off as paying another order.
    const other = (await m.gql(ORDER, {}, token)).body.data.createOrder.order;
    expect((await m.gql(CONFIRM, { o: other.id, s: second }, token)).body.data.confirmOrder.__typename).toBe('PaymentInvalidError');
  });
});

describe('columns= repeated in an Arrow link multiplies the output', () => {
  it('refuses a column listed twice, and the parameter given twice', async () => {
    const link = await m.gql('{ dataset(id: "pages") { download { arrowUrl } } }', {}, sellerToken);
    const arrowUrl = link.body.data.dataset.download.arrowUrl as string;
    const twice = await fetch(`${arrowUrl}&columns=${Array.from({ length: 500 }, () => 'text').join(',')}`);
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { error: string }).error).toContain('"text" is listed twice');
    const repeated = await fetch(`${arrowUrl}&columns=text&columns=text`);
    expect(repeated.status).toBe(400);
    const ok = await fetch(`${arrowUrl}&columns=id,text`);
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
  });
});
