import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_TRANSACTION_SIGNATURE_VERIFICATION_FAILURE,
  SOLANA_ERROR__TRANSACTION_ERROR__ACCOUNT_NOT_FOUND,
  SOLANA_ERROR__TRANSACTION_ERROR__ALREADY_PROCESSED,
  SOLANA_ERROR__TRANSACTION_ERROR__BLOCKHASH_NOT_FOUND,
  SolanaError,
  createSolanaRpc,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  isSolanaError,
  lamports,
  type Address,
  type KeyPairSigner,
  type Rpc,
  type SolanaRpcApi,
} from '@solana/kit';
import { getTransferSolInstruction } from '@solana-program/system';
import { getTransferCheckedInstruction } from '@solana-program/token';
import { getAddMemoInstruction, LEGACY_MEMO_PROGRAM_ADDRESS_V3 } from '@solana-program/memo';
import { associatedTokenAddress, handleJsonRpc, LUMORA_DECIMALS, Localnet } from './index.js';
import { serveLocalnet, signInstructions } from './localnet.test-helpers.js';

const net = Localnet.open({ slotMs: 0 });
let server: { url: string; close: () => void };
let rpc: Rpc<SolanaRpcApi>;
let payer: KeyPairSigner;

beforeAll(async () => {
  server = await serveLocalnet(net);
  rpc = createSolanaRpc(server.url);
  payer = await generateKeyPairSigner();
  await rpc.requestAirdrop(payer.address, lamports(1_000_000_000n)).send();
});
afterAll(() => server.close());

/** The error a kit call rejected with. */
async function rejection(p: Promise<unknown>): Promise<SolanaError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SolanaError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

function send(wire: string, skipPreflight = false) {
  return rpc.sendTransaction(wire as Parameters<typeof rpc.sendTransaction>[0], { encoding: 'base64', skipPreflight }).send();
}

async function overdraw(to: Address) {
  return signInstructions(rpc, payer, [getTransferSolInstruction({ source: payer, destination: to, amount: lamports(5_000_000_000n) })]);
}

describe('Solana JSON-RPC error shapes', () => {
  it('refuses a system transfer beyond the balance with -32002 and {"InstructionError":[0,{"Custom":1}]}, which kit decodes', async () => {
    const tx = await overdraw((await generateKeyPairSigner()).address);
    const e = await rejection(send(getBase64EncodedWireTransaction(tx)));
    expect(isSolanaError(e, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE)).toBe(true);
    expect(isSolanaError(e.cause, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)).toBe(true);
    expect((e.cause as SolanaError).context).toMatchObject({ code: 1, index: 0 });
    // The exact JSON, as a validator sends it.
    const raw = JSON.parse(
      handleJsonRpc(
        net,
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sendTransaction', params: [getBase64EncodedWireTransaction(tx), { encoding: 'base64' }] }),
      ),
    );
    expect(raw.error).toMatchObject({
      code: -32002,
      message: 'Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1',
      data: { err: { InstructionError: [0, { Custom: 1 }] }, accounts: null, returnData: null, unitsConsumed: expect.any(Number) },
    });
    expect(raw.error.data.logs.join('\n')).toMatch(/insufficient lamports/);
    expect(await rpc.getSignatureStatuses([getSignatureFromTransaction(tx)]).send()).toMatchObject({ value: [null] });
  });

  it('refuses an SPL transfer beyond the token balance with the instruction index of the transfer', async () => {
    const mint = net.lumoraMint();
    const buyer = await generateKeyPairSigner();
    await rpc.requestAirdrop(buyer.address, lamports(100_000_000n)).send();
    net.faucet(buyer.address, 1_000_000n);
    const seller = (await generateKeyPairSigner()).address;
    const sellerAta = net.ensureTokenAccount(seller, mint);
    const tx = await signInstructions(rpc, buyer, [
      getAddMemoInstruction({ memo: 'order-7' }, { programAddress: LEGACY_MEMO_PROGRAM_ADDRESS_V3 }),
      getTransferCheckedInstruction({
        source: await associatedTokenAddress(buyer.address, mint),
        mint,
        destination: sellerAta,
        authority: buyer,
        amount: 2_000_000n,
        decimals: LUMORA_DECIMALS,
      }),
    ]);
    const e = await rejection(send(getBase64EncodedWireTransaction(tx)));
    expect(isSolanaError(e.cause, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)).toBe(true);
    expect((e.cause as SolanaError).context).toMatchObject({ code: 1, index: 1 });
  });

  it('records a failing transaction sent with skipPreflight, with Solana error JSON in its status and meta, and the fee charged', async () => {
    const tx = await overdraw((await generateKeyPairSigner()).address);
    const before = net.balance(payer.address);
    const sig = await send(getBase64EncodedWireTransaction(tx), true);
    expect(net.balance(payer.address)).toBe(before - 5000n);
    const [status] = (await rpc.getSignatureStatuses([sig]).send()).value;
    // kit turns the JSON numbers into bigints.
    expect(status).toMatchObject({ err: { InstructionError: [0n, { Custom: 1n }] }, confirmationStatus: 'processed', confirmations: 0n });
    net.advanceSlots(1);
    const got = await rpc.getTransaction(sig, { commitment: 'confirmed', encoding: 'json', maxSupportedTransactionVersion: 0 }).send();
    expect(got?.meta?.err).toEqual({ InstructionError: [0n, { Custom: 1n }] });
  });

  it('names an unfunded fee payer, an unknown blockhash and a replay by their Solana error names', async () => {
    const broke = await generateKeyPairSigner();
    const unfunded = await signInstructions(rpc, broke, [getTransferSolInstruction({ source: broke, destination: payer.address, amount: lamports(1n) })]);
    const e1 = await rejection(send(getBase64EncodedWireTransaction(unfunded)));
    expect(isSolanaError(e1.cause, SOLANA_ERROR__TRANSACTION_ERROR__ACCOUNT_NOT_FOUND)).toBe(true);

    const ok = await signInstructions(rpc, payer, [getTransferSolInstruction({ source: payer, destination: broke.address, amount: lamports(1_000_000n) })]);
    await send(getBase64EncodedWireTransaction(ok));
    const e2 = await rejection(send(getBase64EncodedWireTransaction(ok)));
    expect(isSolanaError(e2.cause, SOLANA_ERROR__TRANSACTION_ERROR__ALREADY_PROCESSED)).toBe(true);

    const stale = await signInstructions(rpc, payer, [getTransferSolInstruction({ source: payer, destination: broke.address, amount: lamports(2_000_000n) })]);
    net.advanceSlots(151);
    const e3 = await rejection(send(getBase64EncodedWireTransaction(stale)));
    expect(isSolanaError(e3.cause, SOLANA_ERROR__TRANSACTION_ERROR__BLOCKHASH_NOT_FOUND)).toBe(true);
    expect(e3.cause).toBeDefined();
  });

  it('answers a transaction whose signature does not verify with -32003', async () => {
    const tx = await signInstructions(rpc, payer, [getTransferSolInstruction({ source: payer, destination: payer.address, amount: lamports(1n) })]);
    const forged = { ...tx, signatures: Object.fromEntries(Object.keys(tx.signatures).map((k) => [k, new Uint8Array(64).fill(7)])) } as typeof tx;
    const e = await rejection(send(getBase64EncodedWireTransaction(forged)));
    expect(isSolanaError(e, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_TRANSACTION_SIGNATURE_VERIFICATION_FAILURE)).toBe(true);
    expect(e.context).toMatchObject({ __code: -32003 });
  });
});
