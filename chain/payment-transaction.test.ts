import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSolanaRpc,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  getTransactionDecoder,
  lamports,
  signTransaction,
  type KeyPairSigner,
  type Rpc,
  type SolanaRpcApi,
} from '@solana/kit';
import {
  buildPaymentTransaction,
  LUMORA_DECIMALS,
  Localnet,
  parseTransactionRequestPost,
  transactionRequestGet,
  transactionRequestPost,
  verifyPayment,
  type PaymentTransactionRequest,
} from './index.js';
import { serveLocalnet } from './localnet.test-helpers.js';

const net = Localnet.open({ slotMs: 0 });
let server: { url: string; close: () => void };
let rpc: Rpc<SolanaRpcApi>;
let buyer: KeyPairSigner;

beforeAll(async () => {
  server = await serveLocalnet(net);
  rpc = createSolanaRpc(server.url);
  buyer = await generateKeyPairSigner();
  await rpc.requestAirdrop(buyer.address, lamports(5_000_000_000n)).send();
});
afterAll(() => server.close());

/** What a wallet does with the POST answer: decode, sign as the payer, send. Then a slot passes. */
async function signAndSend(transaction: string) {
  const tx = getTransactionDecoder().decode(Buffer.from(transaction, 'base64'));
  const signed = await signTransaction([buyer.keyPair], tx);
  const signature = await rpc.sendTransaction(getBase64EncodedWireTransaction(signed), { encoding: 'base64' }).send();
  net.advanceSlots(1);
  return signature;
}

async function order(extra: Partial<PaymentTransactionRequest> = {}): Promise<PaymentTransactionRequest> {
  return {
    payer: buyer.address,
    recipient: (await generateKeyPairSigner()).address,
    amount: 2_500_000n,
    reference: (await generateKeyPairSigner()).address,
    memo: 'order-42',
    ...extra,
  };
}

describe('payment transactions for Solana Pay transaction requests', () => {
  it('builds an unsigned SOL payment that, signed by the wallet and sent, verifies as paid', async () => {
    const o = await order();
    const built = await buildPaymentTransaction(rpc, o);
    const tx = getTransactionDecoder().decode(Buffer.from(built.transaction, 'base64'));
    expect(Object.entries(tx.signatures)).toEqual([[buyer.address, null]]); // the payer signs, and only it
    expect(built.lastValidBlockHeight).toBeGreaterThan(BigInt(net.currentSlot));
    const signature = await signAndSend(built.transaction);
    expect(await verifyPayment(rpc, o)).toMatchObject({ status: 'paid', signature });
  });

  it('builds an SPL payment between associated token accounts with the decimals read from the mint', async () => {
    const mint = net.lumoraMint();
    net.faucet(buyer.address, 10_000_000n);
    const o = await order({ mint });
    net.ensureTokenAccount(o.recipient, mint);
    const signature = await signAndSend((await buildPaymentTransaction(rpc, o)).transaction);
    expect(await verifyPayment(rpc, o)).toMatchObject({ status: 'paid', signature });
    const got = await rpc.getTransaction(signature, { commitment: 'confirmed', encoding: 'json', maxSupportedTransactionVersion: 0 }).send();
    const received = got!.meta!.postTokenBalances!.find((b) => b.owner === o.recipient);
    expect(received?.uiTokenAmount).toMatchObject({ amount: '2500000', decimals: LUMORA_DECIMALS, uiAmountString: '2.5' });
  });

  it('a payment built for the wrong recipient is invalid, with the reason', async () => {
    const o = await order();
    const other = (await generateKeyPairSigner()).address;
    await signAndSend((await buildPaymentTransaction(rpc, { ...o, recipient: other })).transaction);
    expect(await verifyPayment(rpc, o)).toMatchObject({ status: 'invalid', reasons: [expect.stringMatching(/pays the recipient nothing/)] });
  });

  it('refuses a token payment to a recipient without a token account, and a mint that is not one', async () => {
    const mint = net.lumoraMint();
    await expect(buildPaymentTransaction(rpc, await order({ mint }))).rejects.toThrow(/has no token account for mint/);
    await expect(buildPaymentTransaction(rpc, await order({ mint: buyer.address }))).rejects.toThrow(
      new RegExp(`mint ${buyer.address} is not an SPL token mint`),
    );
  });

  it('shapes the GET and POST bodies of the spec, and checks the wallet account', () => {
    expect(transactionRequestGet({ label: 'Lumora', iconUrl: 'https://lumora.example/icon.svg' })).toEqual({
      label: 'Lumora',
      icon: 'https://lumora.example/icon.svg',
    });
    expect(transactionRequestPost({ transaction: 'AQ==', message: 'Thanks' })).toEqual({ transaction: 'AQ==', message: 'Thanks' });
    expect(parseTransactionRequestPost({ account: buyer.address })).toBe(buyer.address);
    expect(() => parseTransactionRequestPost({ account: 'nope' })).toThrow(/"account" is not a base58 public key/);
    expect(() => parseTransactionRequestPost({})).toThrow(/"account" is missing/);
  });
});
