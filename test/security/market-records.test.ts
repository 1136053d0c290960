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
  await m.server.market.catalog.publish(await buildFixtureDataset(m.home), { slug: 'pages', owner: seller.address, price: { amount: 5_000_000n, currency: 'SOL', mint: null }, status: 'listed' });
  sellerToken = await signIn(m, seller);
}, 120_000);

afterAll(async () => {
  await m?.server.close();
  if (m) rmSync(m.home, { recursive: true, force: true });
});

const ORDER = 'mutation { createOrder(datasetId: "pages") { __typename ... on CreateOrderSuccess { order { id recipient amount reference memo } } ... on LimitExceededError { limit message } } }';
const CONFIRM = 'mutation($o: ID!, $s: String!) { confirmOrder(orderId: $o, signature: $s) { __typename ... on ConfirmOrderSuccess { order { status } } ... on PaymentInvalidError { message reasons } } }';

describe('sign-in nonces and expired orders are never deleted', () => {
  it('deletes expired nonces, and unpaid orders a week after they expired unless a transaction mentions them', async () => {
    const buyer = await fundedWallet(m);
    const token = await signIn(m, buyer);
    const unpaid = (await m.gql(ORDER, {}, token)).body.data.createOrder.order;
    const paidLate = (await m.gql(ORDER, {}, token)).body.data.createOrder.order;
    // Paid after it expired: the order cannot be confirmed, but the payment must stay on record.
    m.clock.offsetMs += 31 * 60_000;
    await pay(m, buyer, { recipient: paidLate.recipient, amount: BigInt(paidLate.amount), reference: paidLate.reference, memo: paidLate.memo });
    m.server.market.localnet?.advanceSlots(1);
    const issued = await m.gql('mutation($a: String!) { requestSignIn(address: $a) { nonce } }', { a: buyer.address });
    const nonce = issued.body.data.requestSignIn.nonce as string;
    const store = m.server.market.store;
    expect(await store.getNonce(nonce)).not.toBeNull();

    m.clock.offsetMs += 8 * 24 * 60 * 60_000;
    await m.server.market.sweep();
    expect(await store.getNonce(nonce)).toBeNull();
    expect(await store.getOrder(unpaid.id)).toBeNull();
    expect(await store.getOrder(paidLate.id)).not.toBeNull();
    m.clock.offsetMs = 0;
  });

  it('caps the unpaid orders one wallet can hold at once', async () => {
    const buyer = await fundedWallet(m);
    const token = await signIn(m, buyer);
    const kinds: string[] = [];
    for (let i = 0; i < 21; i++) kinds.push((await m.gql(ORDER, {}, token)).body.data.createOrder.__typename);
    expect(kinds.slice(0, 20).every((k) => k === 'CreateOrderSuccess')).toBe(true);
    const last = (await m.gql(ORDER, {}, token)).body.data.createOrder;
    expect(last).toMatchObject({ __typename: 'LimitExceededError', limit: 20 });
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

    const seen = await m.gql(`{ order(id: "${order.id}") { status extraPayments { signature amount currency buyer } } }`, {}, token);
    expect(seen.body.data.order.status).toBe('PAID');
    expect(seen.body.data.order.extraPayments).toEqual([
      { signature: second, amount: order.amount, currency: 'SOL', buyer: buyer.address },
      { signature: third, amount: order.amount, currency: 'SOL', buyer: buyer.address },
    ]);
    const owed = await m.gql('{ paymentsToRefund { signature orderId buyer amount } }', {}, sellerToken);
    expect(owed.body.data.paymentsToRefund).toEqual(
      expect.arrayContaining([
        { signature: second, orderId: order.id, buyer: buyer.address, amount: order.amount },
        { signature: third, orderId: order.id, buyer: buyer.address, amount: order.amount },
      ]),
    );
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
