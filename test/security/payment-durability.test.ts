// Issue 11, high: a paid order could outlive its payment. The localnet saved its state only when a
// text match found "method":"sendTransaction" in the request body (so "send\u0054ransaction", valid
// JSON, skipped the save), and then only 250 ms later: a `kill -9` in between lost the transaction
// while the order stayed PAID. Now every transaction is flushed to the localnet's write-ahead log
// before its signature is returned, so nothing the market has seen can be lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendTransactionMessageInstructions,
  createSolanaRpc,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type KeyPairSigner,
} from '@solana/kit';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentInstructions, signText } from '../e2e/market-helpers.js';
import { gqlAt, startServeProcess, type ServeProcess } from './serve-process.js';

const homes: string[] = [];
const servers: ServeProcess[] = [];

afterAll(async () => {
  for (const s of servers) await s.kill9();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

async function serve(home: string): Promise<ServeProcess> {
  const s = await startServeProcess(home, ['--demo']);
  servers.push(s);
  return s;
}

async function signIn(url: string, wallet: KeyPairSigner): Promise<string> {
  const req = await gqlAt(url, 'mutation($a: String!) { requestSignIn(address: $a) { message } }', { a: wallet.address });
  const message = req.body.data.requestSignIn.message as string;
  const res = await gqlAt(
    url,
    'mutation($a: String!, $m: String!, $s: String!) { signIn(address: $a, message: $m, signature: $s) { ... on SignInSuccess { token } } }',
    {
      a: wallet.address,
      m: message,
      s: await signText(wallet, message),
    },
  );
  return res.body.data.signIn.token as string;
}

/** Sends a signed transaction with the method name escaped, as any JSON encoder may write it. */
async function sendEscaped(url: string, wire: string): Promise<string> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sendTransaction', params: [wire, { encoding: 'base64' }] }).replace(
    '"sendTransaction"',
    '"send\\u0054ransaction"',
  );
  const res = await fetch(`${url}/solana`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const answer = (await res.json()) as { result?: string; error?: unknown };
  if (!answer.result) throw new Error(`sendTransaction failed: ${JSON.stringify(answer.error)}`);
  return answer.result;
}

async function balance(url: string, who: string): Promise<bigint> {
  return (
    await createSolanaRpc(`${url}/solana`)
      .getBalance(who as Address)
      .send()
  ).value;
}

async function confirmedTransaction(url: string, signature: string): Promise<unknown> {
  const rpc = createSolanaRpc(`${url}/solana`);
  for (let i = 0; i < 40; i++) {
    const tx = await rpc.getTransaction(signature as never, { commitment: 'confirmed', maxSupportedTransactionVersion: 0, encoding: 'json' }).send();
    if (tx) return tx;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

const CONFIRM =
  'mutation($o: ID!, $s: String!) { confirmOrder(orderId: $o, signature: $s) { __typename ... on ConfirmOrderSuccess { order { status } } ... on Error { message } } }';

async function confirmUntilSettled(url: string, token: string, orderId: string, signature: string): Promise<string> {
  for (let i = 0; i < 40; i++) {
    const r = await gqlAt(url, CONFIRM, { o: orderId, s: signature }, token);
    const kind = r.body.data.confirmOrder.__typename as string;
    if (kind !== 'PaymentPendingError') return kind;
    await new Promise((res) => setTimeout(res, 150));
  }
  return 'PaymentPendingError';
}

describe('a paid order can outlive its payment', () => {
  it('keeps every transaction and the paid order through a kill -9 at each step of a purchase', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lumora-durable-'));
    homes.push(home);
    let server = await serve(home);
    const restart = async () => {
      await server.kill9();
      server = await serve(home);
    };
    const buyer = await generateKeyPairSigner();

    // Step 1: the faucet's transactions are durable as soon as it answers.
    const faucet = await gqlAt(server.url, 'mutation($a: String!) { faucet(address: $a) { __typename } }', { a: buyer.address });
    expect(faucet.body.data.faucet.__typename).toBe('FaucetSuccess');
    const funded = await balance(server.url, buyer.address);
    expect(funded).toBeGreaterThan(0n);
    await restart();
    expect(await balance(server.url, buyer.address)).toBe(funded);

    // Step 2: the order survives.
    let token = await signIn(server.url, buyer);
    const created = await gqlAt(
      server.url,
      'mutation { createOrder(datasetId: "fixture-web") { ... on CreateOrderSuccess { order { id recipient amount reference memo } } } }',
      {},
      token,
    );
    const order = created.body.data.createOrder.order as { id: string; recipient: string; amount: string; reference: string; memo: string };
    await restart();
    token = await signIn(server.url, buyer);
    expect((await gqlAt(server.url, `{ order(id: "${order.id}") { status } }`, {}, token)).body.data.order.status).toBe('PENDING');

    // Step 3: the payment, sent with the method name escaped and killed at once, is still on chain.
    const sellerBefore = await balance(server.url, order.recipient);
    const rpc = createSolanaRpc(`${server.url}/solana`);
    const { value: blockhash } = await rpc.getLatestBlockhash().send();
    const ixs = await paymentInstructions(buyer, { recipient: order.recipient, amount: BigInt(order.amount), reference: order.reference, memo: order.memo });
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(buyer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
      (m) => appendTransactionMessageInstructions(ixs, m),
    );
    const signature = await sendEscaped(server.url, getBase64EncodedWireTransaction(await signTransactionMessageWithSigners(message)));
    await restart();
    expect(await confirmedTransaction(server.url, signature)).not.toBeNull();
    expect(await balance(server.url, order.recipient)).toBe(sellerBefore + BigInt(order.amount));

    // Step 4: the order is paid against a transaction that exists, and stays so.
    token = await signIn(server.url, buyer);
    expect(await confirmUntilSettled(server.url, token, order.id, signature)).toBe('ConfirmOrderSuccess');
    await restart();
    token = await signIn(server.url, buyer);
    const after = await gqlAt(server.url, `{ order(id: "${order.id}") { status signature } dataset(id: "fixture-web") { entitled } }`, {}, token);
    expect(after.body.data.order).toEqual({ status: 'PAID', signature });
    expect(after.body.data.dataset.entitled).toBe(true);
    expect(await confirmedTransaction(server.url, signature)).not.toBeNull();
    expect(await balance(server.url, order.recipient)).toBe(sellerBefore + BigInt(order.amount));
  }, 120_000);
});
