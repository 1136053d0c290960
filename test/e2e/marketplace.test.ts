import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { generateKeyPairSigner, type Address, type KeyPairSigner } from '@solana/kit';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSolanaPayUrl } from '../../chain/index.js';
import { buildFixtureDataset, fundedWallet, ORDER_FIELDS, ownToken, pay, signIn, signText, startTestMarket, type TestMarket } from './market-helpers.js';

const CONFIRM = `mutation($o: ID!, $s: String!) { confirmOrder(orderId: $o, signature: $s) {
  __typename ... on ConfirmOrderSuccess { order { status signature } } ... on Error { message code } ... on PaymentInvalidError { reasons } } }`;
const CREATE = `mutation($d: ID!) { createOrder(datasetId: $d) { __typename ... on CreateOrderSuccess { order { ${ORDER_FIELDS} } } ... on Error { message code } } }`;
const DOWNLOAD = `query($id: ID!) { dataset(id: $id) { id rows download { url expiresAt arrowUrl files { name url bytes sha256 } } } }`;

let m: TestMarket;
let seller: KeyPairSigner;
let buyer: KeyPairSigner;
let buyerToken: string;
let sellerToken: string;
let mint: string;
const SOL_PRICE = 10_000_000n;
const LUM_PRICE = 25_000_000n;

beforeAll(async () => {
  m = await startTestMarket();
  seller = await generateKeyPairSigner();
  mint = m.server.market.lumoraMint as string;
  const dir = await buildFixtureDataset(m.home);
  const catalog = m.server.market.catalog;
  await catalog.publish(dir, {
    slug: 'pages-sol',
    owner: seller.address,
    title: 'Pages for SOL',
    tags: ['web'],
    price: { amount: SOL_PRICE, currency: 'SOL', mint: null },
    status: 'listed',
  });
  m.server.market.localnet?.ensureTokenAccount(seller.address, mint as Address);
  await catalog.publish(dir, {
    slug: 'pages-lum',
    owner: seller.address,
    title: 'Pages for LUM',
    tags: ['web'],
    price: { amount: LUM_PRICE, currency: 'SPL', mint },
    status: 'listed',
    privateColumns: ['url'],
  });
  buyer = await fundedWallet(m);
  buyerToken = await signIn(m, buyer);
  sellerToken = await signIn(m, seller);
}, 120_000);

afterAll(async () => {
  await m?.server.close();
  if (m) rmSync(m.home, { recursive: true, force: true });
});

async function order(datasetId: string, token = buyerToken) {
  const r = await m.gql(CREATE, { d: datasetId }, token);
  expect(r.body.data?.createOrder.__typename, JSON.stringify(r.body)).toBe('CreateOrderSuccess');
  return r.body.data.createOrder.order as {
    id: string;
    reference: string;
    amount: string;
    recipient: string;
    memo: string;
    paymentUrl: string;
    mint: string | null;
  };
}

async function confirm(orderId: string, signature: string, token = buyerToken) {
  return (await m.gql(CONFIRM, { o: orderId, s: signature }, token)).body.data.confirmOrder;
}

describe('buying a dataset end to end', () => {
  it('lists the published datasets with the contract fields', async () => {
    const r = await m.gql(
      '{ datasets(first: 10, search: "pages") { edges { cursor node { id slug title rows bytes price { amount currency mint } } } pageInfo { hasNextPage endCursor } } }',
    );
    const nodes = r.body.data.datasets.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toHaveLength(2);
    expect(nodes).toContainEqual(expect.objectContaining({ id: 'pages-sol@v1', price: { amount: String(SOL_PRICE), currency: 'SOL', mint: null } }));
    expect(nodes).toContainEqual(expect.objectContaining({ id: 'pages-lum@v1', price: { amount: String(LUM_PRICE), currency: 'SPL', mint } }));
    expect(r.body.data.datasets.pageInfo.hasNextPage).toBe(false);
  });

  it('signs in, pays in SOL per the Solana Pay URL, confirms once the slot is confirmed, downloads every file and reads the Arrow stream', async () => {
    const o = await order('pages-sol@v1');
    const url = parseSolanaPayUrl(o.paymentUrl);
    expect(url).toMatchObject({ kind: 'transfer', recipient: seller.address, amount: SOL_PRICE, references: [o.reference], memo: o.memo });
    const before = await m.gql(DOWNLOAD, { id: 'pages-sol@v1' }, buyerToken);
    expect(before.body.data.dataset.download).toBeNull();

    const sig = await pay(m, buyer, { recipient: o.recipient, amount: BigInt(o.amount), reference: o.reference, memo: o.memo });
    const pending = await confirm(o.id, sig);
    expect(pending).toMatchObject({ __typename: 'PaymentPendingError', code: 'PAYMENT_PENDING' });
    expect(pending.message).toBe(`transaction ${sig} for order ${o.id} is not yet confirmed; try again in a few seconds`);
    m.server.market.localnet?.advanceSlots(1);
    expect(await confirm(o.id, sig)).toEqual({ __typename: 'ConfirmOrderSuccess', order: { status: 'PAID', signature: sig } });
    // Confirming again is harmless.
    expect((await confirm(o.id, sig)).__typename).toBe('ConfirmOrderSuccess');

    const d = (await m.gql(DOWNLOAD, { id: 'pages-sol@v1' }, buyerToken)).body.data.dataset;
    expect(d.download.files.length).toBeGreaterThan(0);
    for (const f of d.download.files) {
      const res = await fetch(f.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe(String(f.bytes));
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
      const part = await fetch(f.url, { headers: { range: 'bytes=4-11' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 4-11/${f.bytes}`);
      expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(4, 12));
    }
    const manifest = (await (await fetch(d.download.url)).json()) as { files: Array<{ sha256: string }> };
    expect(manifest.files.map((f) => f.sha256)).toEqual(d.download.files.map((f: { sha256: string }) => f.sha256));

    const arrow = await fetch(d.download.arrowUrl);
    expect(arrow.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
    expect(table.numRows).toBe(d.rows);
    const firstId = table.getChild('id')?.get(0) as string;
    const one = tableFromIPC(
      new Uint8Array(await (await fetch(`${d.download.arrowUrl}&columns=id,lang&where=id=${encodeURIComponent(firstId)}`)).arrayBuffer()),
    );
    expect(one.schema.fields.map((f) => f.name)).toEqual(['id', 'lang']);
    expect(one.numRows).toBe(1);
    expect(one.getChild('id')?.get(0)).toBe(firstId);
    const none = tableFromIPC(new Uint8Array(await (await fetch(`${d.download.arrowUrl}&columns=id&where=lang=zz`)).arrayBuffer()));
    expect([none.numRows, none.schema.fields.map((f) => f.name)]).toEqual([0, ['id']]);
    for (const [where, message] of [
      ['quality_flags=x', /^where quality_flags=: column quality_flags is VARCHAR\[\]; only scalar columns can be compared$/],
      ['fetched_at=notadate', /the where values do not match the column types|a where value may not convert/],
    ] as const) {
      const refused = await fetch(`${d.download.arrowUrl}&where=${encodeURIComponent(where)}`);
      expect(refused.status, where).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toMatch(message);
    }
    const bad = await fetch(`${d.download.arrowUrl}&columns=id,nope`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^columns: dataset pages-sol@v1 has no column "nope" \(columns: id, url, /);
  });

  it('pays in the Lumora token to the seller’s token account', async () => {
    const o = await order('pages-lum');
    expect(o.mint).toBe(mint);
    const sig = await pay(m, buyer, { recipient: o.recipient, amount: BigInt(o.amount), mint, decimals: 6, reference: o.reference, memo: o.memo });
    m.server.market.localnet?.advanceSlots(1);
    expect(await confirm(o.id, sig)).toMatchObject({ __typename: 'ConfirmOrderSuccess', order: { status: 'PAID' } });
    expect((await m.gql(DOWNLOAD, { id: 'pages-lum@v1' }, buyerToken)).body.data.dataset.download).not.toBeNull();
  });

  it('never shows a private column in the preview', async () => {
    const r = await m.gql('{ dataset(id: "pages-lum") { columns { name private } preview(limit: 3) { columns rows } } }');
    const d = r.body.data.dataset;
    expect(d.columns).toContainEqual({ name: 'url', private: true });
    expect(d.preview.columns).not.toContain('url');
    expect(d.preview.rows.length).toBe(3);
    for (const row of d.preview.rows) expect(Object.keys(row)).not.toContain('url');
  });
});

describe('payments that do not pay', () => {
  const rejection = async (parts: (o: Awaited<ReturnType<typeof order>>) => Parameters<typeof pay>[2]) => {
    const o = await order('pages-sol@v1');
    const sig = await pay(m, buyer, parts(o));
    m.server.market.localnet?.advanceSlots(1);
    return { o, sig, result: await confirm(o.id, sig) };
  };

  it('rejects a payment of the wrong amount', async () => {
    const { sig, result } = await rejection((o) => ({ recipient: o.recipient, amount: BigInt(o.amount) - 1n, reference: o.reference, memo: o.memo }));
    expect(result).toMatchObject({ __typename: 'PaymentInvalidError', code: 'PAYMENT_INVALID' });
    expect(result.reasons).toEqual([`${sig}: it pays ${SOL_PRICE - 1n} base units, less than the ${SOL_PRICE} asked`]);
  });

  it('rejects a payment to the wrong recipient', async () => {
    const other = await generateKeyPairSigner();
    const { sig, result } = await rejection((o) => ({ recipient: other.address, amount: BigInt(o.amount), reference: o.reference, memo: o.memo }));
    expect(result.reasons).toEqual([`${sig}: it pays the recipient nothing`]);
  });

  it('rejects a payment in the wrong token', async () => {
    const o = await order('pages-lum@v1');
    const other = await ownToken(m, buyer, o.recipient, LUM_PRICE);
    const sig = await pay(m, buyer, { recipient: o.recipient, amount: BigInt(o.amount), mint: other, decimals: 6, reference: o.reference, memo: o.memo });
    m.server.market.localnet?.advanceSlots(1);
    const result = await confirm(o.id, sig);
    expect(result).toMatchObject({ __typename: 'PaymentInvalidError', code: 'PAYMENT_INVALID' });
    expect(result.reasons).toEqual([`${sig}: it pays the recipient in another token; it pays the recipient nothing`]);
  });

  it('rejects SOL for an order priced in the Lumora token', async () => {
    const o = await order('pages-lum@v1');
    const sig = await pay(m, buyer, { recipient: o.recipient, amount: BigInt(o.amount), reference: o.reference, memo: o.memo });
    m.server.market.localnet?.advanceSlots(1);
    expect((await confirm(o.id, sig)).reasons).toEqual([`${sig}: it pays the recipient nothing`]);
  });

  it('rejects a payment without the reference', async () => {
    const { sig, result } = await rejection((o) => ({ recipient: o.recipient, amount: BigInt(o.amount), reference: null, memo: o.memo }));
    expect(result).toMatchObject({ __typename: 'PaymentInvalidError', reasons: [`${sig}: the reference is not among its accounts`] });
  });

  it('rejects a payment without the memo', async () => {
    const { sig, result } = await rejection((o) => ({ recipient: o.recipient, amount: BigInt(o.amount), reference: o.reference, memo: null }));
    expect(result.reasons).toEqual([`${sig}: the memo is missing or different`]);
  });

  it('never lets one transaction pay for two orders', async () => {
    const first = await order('pages-sol@v1');
    const second = await order('pages-sol@v1');
    const sig = await pay(m, buyer, { recipient: first.recipient, amount: SOL_PRICE, reference: first.reference, memo: first.memo });
    m.server.market.localnet?.advanceSlots(1);
    expect((await confirm(first.id, sig)).__typename).toBe('ConfirmOrderSuccess');
    const reused = await confirm(second.id, sig);
    expect(reused).toMatchObject({ __typename: 'PaymentInvalidError', message: `transaction ${sig} already paid for order ${first.id}` });
  });

  it('says a payment nobody sent is not found', async () => {
    const o = await order('pages-sol@v1');
    const fake = await signText(buyer, 'not a transaction');
    const result = await confirm(o.id, fake);
    expect(result).toMatchObject({ __typename: 'PaymentNotFoundError', code: 'PAYMENT_NOT_FOUND' });
    expect(result.message).toBe(`no transaction mentions order ${o.id}'s reference ${o.reference} yet (transaction ${fake} was not found)`);
  });

  it('refuses an order that expired unpaid', async () => {
    const o = await order('pages-sol@v1');
    m.clock.offsetMs = 31 * 60_000;
    try {
      const result = await confirm(o.id, await signText(buyer, 'late'), await signIn(m, buyer));
      expect(result).toMatchObject({ __typename: 'OrderExpiredError', code: 'ORDER_EXPIRED' });
      expect(result.message).toMatch(new RegExp(`^order ${o.id} expired at .* and no transaction paid it$`));
    } finally {
      m.clock.offsetMs = 0;
    }
  });

  it('asks for sign-in before an order, as data', async () => {
    const r = await m.gql(CREATE, { d: 'pages-sol@v1' });
    expect(r.body.data.createOrder).toEqual({
      __typename: 'NotAuthorizedError',
      code: 'NOT_AUTHORIZED',
      message: 'sign in first: send Authorization: Bearer TOKEN from Mutation.signIn',
    });
    const forged = await m.gql(CREATE, { d: 'pages-sol@v1' }, `${buyerToken.split('.')[0]}.AAAA`);
    expect(forged.body.data.createOrder.message).toBe('the session token is invalid or expired; sign in again');
  });
});

describe('sign-in', () => {
  const SIGN_IN =
    'mutation($a: String!, $m: String!, $s: String!) { signIn(address: $a, message: $m, signature: $s) { __typename ... on SignInSuccess { token } ... on SignInFailedError { reason message } } }';
  const challenge = async (address: string) =>
    (await m.gql('mutation($a: String!) { requestSignIn(address: $a) { message } }', { a: address })).body.data.requestSignIn.message as string;

  it('issues a message with domain, nonce, issued-at and expiry', async () => {
    const text = await challenge(buyer.address);
    expect(text).toMatch(new RegExp(`^127\\.0\\.0\\.1:\\d+ wants you to sign in with your Solana account:\\n${buyer.address}\\n`));
    expect(text).toMatch(/\nNonce: [1-9A-HJ-NP-Za-km-z]{16,}\nIssued At: \d{4}-\d\d-\d\dT.*Z\nExpiration Time: .*Z$/);
  });

  it('refuses a replayed message', async () => {
    const text = await challenge(buyer.address);
    const s = await signText(buyer, text);
    expect((await m.gql(SIGN_IN, { a: buyer.address, m: text, s })).body.data.signIn.__typename).toBe('SignInSuccess');
    expect((await m.gql(SIGN_IN, { a: buyer.address, m: text, s })).body.data.signIn).toEqual({
      __typename: 'SignInFailedError',
      reason: 'NONCE_ALREADY_USED',
      message: 'this sign-in message was already used; request a new one',
    });
  });

  it('refuses an expired message', async () => {
    const text = await challenge(buyer.address);
    m.clock.offsetMs = 11 * 60_000;
    try {
      const r = (await m.gql(SIGN_IN, { a: buyer.address, m: text, s: await signText(buyer, text) })).body.data.signIn;
      expect(r).toMatchObject({ __typename: 'SignInFailedError', reason: 'EXPIRED' });
    } finally {
      m.clock.offsetMs = 0;
    }
  });

  it('refuses a forged signature', async () => {
    const text = await challenge(buyer.address);
    const mallory = await generateKeyPairSigner();
    const r = (await m.gql(SIGN_IN, { a: buyer.address, m: text, s: await signText(mallory, text) })).body.data.signIn;
    expect(r).toEqual({
      __typename: 'SignInFailedError',
      reason: 'BAD_SIGNATURE',
      message: `the signature does not verify for address ${buyer.address} over this message`,
    });
  });

  it('answers an invalid address with an error result, not a crash', async () => {
    const r = await m.gql('mutation { requestSignIn(address: "not-an-address") { message } }');
    expect(r.status).toBe(200);
    expect(r.body.errors?.[0]?.message).toBe('address "not-an-address" is not a base58 Solana address');
  });
});

describe('downloads and listings', () => {
  it('refuses an expired or tampered download link', async () => {
    const d = (await m.gql(DOWNLOAD, { id: 'pages-sol@v1' }, buyerToken)).body.data.dataset;
    const url = new URL(d.download.files[0].url);
    const tampered = new URL(url);
    tampered.searchParams.set('buyer', seller.address);
    const bad = await fetch(tampered);
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as { error: string }).error).toContain('the link signature does not match');
    m.clock.offsetMs = 16 * 60_000;
    try {
      const late = await fetch(url);
      expect(late.status).toBe(410);
      expect(((await late.json()) as { error: string }).error).toMatch(/the link expired at .*; ask for dataset.download again/);
    } finally {
      m.clock.offsetMs = 0;
    }
  });

  it('lets only the owner change a listing', async () => {
    const UPDATE =
      'mutation($d: ID!, $p: String!) { updateListing(datasetId: $d, input: { price: { amount: $p, currency: SOL } }) { __typename ... on ListingSuccess { dataset { price { amount } } } ... on Error { message code } } }';
    const denied = (await m.gql(UPDATE, { d: 'pages-sol@v1', p: '1' }, buyerToken)).body.data.updateListing;
    expect(denied).toEqual({
      __typename: 'NotAuthorizedError',
      code: 'NOT_AUTHORIZED',
      message: 'dataset pages-sol@v1 belongs to another wallet; only its owner may change its listing',
    });
    const ok = (await m.gql(UPDATE, { d: 'pages-sol@v1', p: String(SOL_PRICE) }, sellerToken)).body.data.updateListing;
    expect(ok).toEqual({ __typename: 'ListingSuccess', dataset: { price: { amount: String(SOL_PRICE) } } });
  });

  it('lets the owner put a draft on sale with publishDataset, and hides drafts from everyone else', async () => {
    const dir = await buildFixtureDataset(m.home, 'drafted');
    await m.server.market.catalog.publish(dir, { owner: seller.address });
    expect((await m.gql('{ dataset(id: "drafted") { id } }', {}, buyerToken)).body.data.dataset).toBeNull();
    expect((await m.gql('{ dataset(id: "drafted") { status } }', {}, sellerToken)).body.data.dataset).toEqual({ status: 'draft' });
    const PUBLISH =
      'mutation($i: ListingInput) { publishDataset(datasetId: "drafted", input: $i) { __typename ... on ListingSuccess { dataset { status title price { amount currency } } } ... on Error { message code } } }';
    const noPrice = (await m.gql(PUBLISH, {}, sellerToken)).body.data.publishDataset;
    expect(noPrice).toEqual({ __typename: 'InvalidInputError', code: 'INVALID_INPUT', message: 'dataset drafted@v1 has no price; give price to publish it' });
    expect((await m.gql(PUBLISH, { i: { price: { amount: '7', currency: 'SOL' } } }, buyerToken)).body.data.publishDataset.code).toBe('NOT_AUTHORIZED');
    const listed = (await m.gql(PUBLISH, { i: { title: 'Drafted pages', price: { amount: '7000000', currency: 'SOL' } } }, sellerToken)).body.data
      .publishDataset;
    expect(listed).toEqual({
      __typename: 'ListingSuccess',
      dataset: { status: 'listed', title: 'Drafted pages', price: { amount: '7000000', currency: 'SOL' } },
    });
    const found = await m.gql('{ datasets(first: 5, search: "drafted") { edges { node { id } } } }');
    expect(found.body.data.datasets.edges).toEqual([{ node: { id: 'drafted@v1' } }]);
  });

  it('refuses an over-deep query before running it', async () => {
    const deep = '{ datasets(first: 1) { edges { node { versions { versions { versions { versions { versions { versions { versions { id } } } } } } } } } } }';
    const r = await m.gql(deep);
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^the query is \d+ levels deep; the limit is 10$/),
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
  });
});
