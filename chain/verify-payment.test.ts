import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccountRole,
  address,
  createSolanaRpc,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  lamports,
  type Address,
  type Instruction,
  type KeyPairSigner,
} from '@solana/kit';
import { getTransferSolInstruction } from '@solana-program/system';
import { Localnet, verifyPayment, type ExpectedPayment } from './index.js';
import { sendInstructions, serveLocalnet, signInstructions } from './localnet.test-helpers.js';

const MEMO_PROGRAM = address('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr');
let server: { url: string; close: () => void };
let url: string;
let buyer: KeyPairSigner;
/** A stopped clock: slots pass only when a test says so, so commitment is deterministic. */
const net = Localnet.open({ slotMs: 0 });

beforeAll(async () => {
  server = await serveLocalnet(net);
  url = server.url;
  buyer = await generateKeyPairSigner();
  await createSolanaRpc(url).requestAirdrop(buyer.address, lamports(10_000_000_000n)).send();
});
afterAll(() => server.close());

/** A SOL payment as a wallet builds it for a Solana Pay request: transfer (+ reference key), memo. */
/** Pays and lets one slot pass, so the payment is confirmed. */
async function pay(to: Address, amount: bigint, reference: Address | undefined, memo: string | undefined) {
  const signature = await payProcessed(to, amount, reference, memo);
  net.advanceSlots(1);
  return signature;
}

/** Pays; the payment stays in the current slot, processed only. */
function payProcessed(to: Address, amount: bigint, reference: Address | undefined, memo: string | undefined) {
  const transfer = getTransferSolInstruction({ source: buyer, destination: to, amount: lamports(amount) });
  const withReference: Instruction = reference
    ? { ...transfer, accounts: [...(transfer.accounts ?? []), { address: reference, role: AccountRole.READONLY }] }
    : transfer;
  const instructions: Instruction[] = [withReference];
  if (memo !== undefined) instructions.push({ programAddress: MEMO_PROGRAM, data: new TextEncoder().encode(memo) });
  return sendInstructions(createSolanaRpc(url), buyer, instructions);
}

async function order(memo = 'order-1'): Promise<ExpectedPayment & { recipient: Address; reference: Address }> {
  return { recipient: (await generateKeyPairSigner()).address, amount: 1_000_000n, reference: (await generateKeyPairSigner()).address, memo };
}

describe('verifyPayment over JSON-RPC', () => {
  it('is not found before payment, and paid after, even when a junk transaction used the reference first', async () => {
    const o = await order();
    const rpc = createSolanaRpc(url);
    expect(await verifyPayment(rpc, o)).toEqual({ status: 'not_found' });
    await pay((await generateKeyPairSigner()).address, 1_000_000n, o.reference, 'order-1'); // front-runner pays someone else
    const junk = await verifyPayment(rpc, o);
    expect(junk.status).toBe('invalid');
    const sig = await pay(o.recipient, 1_000_000n, o.reference, 'order-1');
    expect(await verifyPayment(rpc, o)).toMatchObject({ status: 'paid', signature: sig });
  });

  it('names what is wrong: amount, recipient, memo, a reused signature', async () => {
    const rpc = createSolanaRpc(url);
    const short = await order();
    await pay(short.recipient, 999_999n, short.reference, 'order-1');
    expect(await verifyPayment(rpc, short)).toMatchObject({
      status: 'invalid',
      reasons: [expect.stringMatching(/pays 999999 base units, less than the 1000000 asked/)],
    });

    const elsewhere = await order();
    await pay((await generateKeyPairSigner()).address, 1_000_000n, elsewhere.reference, 'order-1');
    expect(await verifyPayment(rpc, elsewhere)).toMatchObject({ status: 'invalid', reasons: [expect.stringMatching(/pays the recipient nothing/)] });

    const noMemo = await order();
    await pay(noMemo.recipient, 1_000_000n, noMemo.reference, undefined);
    expect(await verifyPayment(rpc, noMemo)).toMatchObject({ status: 'invalid', reasons: [expect.stringMatching(/memo is missing or different/)] });

    const once = await order();
    const sig = await pay(once.recipient, 1_000_000n, once.reference, 'order-1');
    expect(await verifyPayment(rpc, once, { alreadyUsed: (s) => s === sig })).toMatchObject({
      status: 'invalid',
      reasons: [`${sig}: already paid for another order`],
    });
  });

  it('is pending while the payment is only processed, and paid once a later slot confirms it', async () => {
    const rpc = createSolanaRpc(url);
    const o = await order();
    const sig = await payProcessed(o.recipient, 1_000_000n, o.reference, 'order-1');
    // History methods start at confirmed, as on a validator: unreported, the payment is not seen yet.
    expect(await verifyPayment(rpc, o)).toEqual({ status: 'not_found' });
    expect(await verifyPayment(rpc, o, { signature: sig })).toEqual({ status: 'pending', signature: sig });
    net.advanceSlots(1);
    expect(await verifyPayment(rpc, o, { signature: sig })).toMatchObject({ status: 'paid', signature: sig });
    expect(await verifyPayment(rpc, o)).toMatchObject({ status: 'paid', signature: sig });
  });

  it('under finalized commitment stays pending until 32 slots have passed', async () => {
    const rpc = createSolanaRpc(url);
    const o = await order();
    const sig = await pay(o.recipient, 1_000_000n, o.reference, 'order-1');
    expect(await verifyPayment(rpc, o, { commitment: 'finalized' })).toEqual({ status: 'pending', signature: sig });
    net.advanceSlots(30); // 31 slots after the payment's
    expect(await verifyPayment(rpc, o, { commitment: 'finalized' })).toEqual({ status: 'pending', signature: sig });
    net.advanceSlots(1);
    expect(await verifyPayment(rpc, o, { commitment: 'finalized' })).toMatchObject({ status: 'paid', signature: sig });
  });

  it('names a reported signature whose transaction failed', async () => {
    const rpc = createSolanaRpc(url);
    const o = await order();
    const kit = createSolanaRpc(url);
    const poor = await generateKeyPairSigner();
    await kit.requestAirdrop(poor.address, lamports(10_000_000n)).send();
    const transfer = getTransferSolInstruction({ source: poor, destination: o.recipient, amount: lamports(1_000_000_000n) });
    const tx = await signInstructions(kit, poor, [{ ...transfer, accounts: [...transfer.accounts, { address: o.reference, role: AccountRole.READONLY }] }]);
    const sig = await kit.sendTransaction(getBase64EncodedWireTransaction(tx), { encoding: 'base64', skipPreflight: true }).send();
    expect(await verifyPayment(rpc, o, { signature: sig })).toEqual({ status: 'invalid', reasons: [`${sig}: the transaction failed`] });
    net.advanceSlots(1);
    expect(await verifyPayment(rpc, o)).toMatchObject({ status: 'invalid', reasons: [expect.stringMatching(/the transaction failed/)] });
  });
});
