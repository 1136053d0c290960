import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  address,
  createSolanaRpc,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  lamports,
  type Address,
  type KeyPairSigner,
} from '@solana/kit';
import { getCreateAccountInstruction, getTransferSolInstruction } from '@solana-program/system';
import {
  TOKEN_PROGRAM_ADDRESS,
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstruction,
  getInitializeMint2Instruction,
  getMintSize,
  getMintToInstruction,
  getTransferCheckedInstruction,
} from '@solana-program/token';
import { handleJsonRpc, Localnet } from './index.js';
import { sendInstructions, serveLocalnet, signInstructions } from './localnet.test-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lumora-chain-'));
let net: Localnet;
let server: { url: string; close: () => void };
let url: string;

beforeAll(async () => {
  net = Localnet.open({ stateFile: join(dir, 'localnet.json'), slotMs: 0 });
  server = await serveLocalnet(net);
  url = server.url;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function transfer(rpc: ReturnType<typeof createSolanaRpc>, from: KeyPairSigner, to: Address, amount: bigint) {
  return signInstructions(rpc, from, [getTransferSolInstruction({ source: from, destination: to, amount: lamports(amount) })]);
}

describe('localnet JSON-RPC, through @solana/kit unchanged', () => {
  it('runs the SPL Token program: mint, token accounts, a checked transfer, and token balances', async () => {
    const rpc = createSolanaRpc(url);
    const payer = await generateKeyPairSigner();
    const mint = await generateKeyPairSigner();
    const buyer = await generateKeyPairSigner();
    const seller = await generateKeyPairSigner();
    await rpc.requestAirdrop(payer.address, lamports(5_000_000_000n)).send();
    const space = BigInt(getMintSize());
    const rent = await rpc.getMinimumBalanceForRentExemption(space).send();
    const [buyerAta] = await findAssociatedTokenPda({ mint: mint.address, owner: buyer.address, tokenProgram: TOKEN_PROGRAM_ADDRESS });
    const [sellerAta] = await findAssociatedTokenPda({ mint: mint.address, owner: seller.address, tokenProgram: TOKEN_PROGRAM_ADDRESS });
    await sendInstructions(rpc, payer, [
      getCreateAccountInstruction({ payer, newAccount: mint, lamports: rent, space, programAddress: TOKEN_PROGRAM_ADDRESS }),
      getInitializeMint2Instruction({ mint: mint.address, decimals: 6, mintAuthority: payer.address }),
      getCreateAssociatedTokenIdempotentInstruction({ payer, ata: buyerAta, owner: buyer.address, mint: mint.address }),
      getCreateAssociatedTokenIdempotentInstruction({ payer, ata: sellerAta, owner: seller.address, mint: mint.address }),
      getMintToInstruction({ mint: mint.address, token: buyerAta, mintAuthority: payer, amount: 5_000_000n }),
    ]);
    expect((await rpc.getTokenAccountBalance(buyerAta).send()).value).toMatchObject({ amount: '5000000', decimals: 6, uiAmountString: '5' });

    const sig = await sendInstructions(rpc, payer, [
      getTransferCheckedInstruction({ source: buyerAta, mint: mint.address, destination: sellerAta, authority: buyer, amount: 1_500_000n, decimals: 6 }),
    ]);
    expect((await rpc.getTokenAccountBalance(sellerAta).send()).value.uiAmountString).toBe('1.5');
    net.advanceSlots(1);
    const tx = await rpc.getTransaction(sig, { commitment: 'confirmed', encoding: 'json', maxSupportedTransactionVersion: 0 }).send();
    const keys = tx!.transaction.message.accountKeys;
    const post = tx!.meta!.postTokenBalances!.find((b) => keys[b.accountIndex] === sellerAta);
    const pre = tx!.meta!.preTokenBalances!.find((b) => keys[b.accountIndex] === sellerAta);
    expect(post).toMatchObject({ mint: mint.address, owner: seller.address, uiTokenAmount: { amount: '1500000', decimals: 6 } });
    expect(pre?.uiTokenAmount.amount).toBe('0');
    await expect(rpc.getTokenAccountBalance(payer.address).send()).rejects.toThrow(/not a Token account/);
  });

  it('airdrops, transfers with a signed transaction, and reports it as a validator does', async () => {
    const rpc = createSolanaRpc(url);
    const payer = await generateKeyPairSigner();
    const payee = await generateKeyPairSigner();
    const airdrop = await rpc.requestAirdrop(payer.address, lamports(2_000_000_000n)).send();
    expect((await rpc.getBalance(payer.address).send()).value).toBe(2_000_000_000n);

    const tx = await transfer(rpc, payer, payee.address, 1_000_000n);
    const signature = await rpc.sendTransaction(getBase64EncodedWireTransaction(tx), { encoding: 'base64' }).send();
    expect(signature).toBe(getSignatureFromTransaction(tx));

    const statuses = await rpc.getSignatureStatuses([signature, airdrop]).send();
    expect(statuses.value[0]).toMatchObject({ err: null, confirmationStatus: 'processed', confirmations: 0n });
    expect(statuses.value[1]).not.toBeNull();
    expect((await rpc.getBalance(payee.address).send()).value).toBe(1_000_000n);
    // While only processed, history at kit's default commitment (confirmed) does not show it.
    expect(await rpc.getTransaction(signature, { encoding: 'json', maxSupportedTransactionVersion: 0 }).send()).toBeNull();
    expect(await rpc.getSignaturesForAddress(payee.address).send()).toEqual([]);
    net.advanceSlots(1);
    expect((await rpc.getSignatureStatuses([signature]).send()).value[0]).toMatchObject({ confirmationStatus: 'confirmed', confirmations: 1n });
    expect((await rpc.getSignaturesForAddress(payee.address, { commitment: 'confirmed' }).send()).map((h) => h.confirmationStatus)).toEqual(['confirmed']);
    net.advanceSlots(31);
    expect((await rpc.getSignatureStatuses([signature]).send()).value[0]).toMatchObject({ confirmationStatus: 'finalized', confirmations: null });

    const got = await rpc.getTransaction(signature, { encoding: 'json', maxSupportedTransactionVersion: 0 }).send();
    expect(got?.meta?.err).toBeNull();
    expect(got?.meta?.fee).toBe(5000n);
    const keys = got!.transaction.message.accountKeys;
    const payeeIndex = keys.indexOf(payee.address);
    expect(got!.meta!.postBalances[payeeIndex]! - got!.meta!.preBalances[payeeIndex]!).toBe(1_000_000n);
    const raw = await rpc.getTransaction(signature, { encoding: 'base64', maxSupportedTransactionVersion: 0 }).send();
    expect(raw?.transaction[0]).toBe(getBase64EncodedWireTransaction(tx));

    const history = await rpc.getSignaturesForAddress(payee.address).send();
    expect(history.map((h) => h.signature)).toEqual([signature]);
    expect((await rpc.getSignaturesForAddress(payer.address).send()).map((h) => h.signature)).toEqual([signature, airdrop]);

    const account = await rpc.getAccountInfo(payee.address, { encoding: 'base64' }).send();
    expect(account.value?.lamports).toBe(1_000_000n);
    expect(await rpc.getMinimumBalanceForRentExemption(165n).send()).toBeGreaterThan(0n);
  });

  it('simulates without changing state, and refuses an unfunded payer with the preflight error', async () => {
    net.advanceSlots(1); // a fresh blockhash for this test's transactions
    const rpc = createSolanaRpc(url);
    const broke = await generateKeyPairSigner();
    const payee = await generateKeyPairSigner();
    const tx = await transfer(rpc, broke, payee.address, 1n);
    const wire = getBase64EncodedWireTransaction(tx);
    const sim = await rpc.simulateTransaction(wire, { encoding: 'base64' }).send();
    expect(sim.value.err).not.toBeNull();
    await expect(rpc.sendTransaction(wire, { encoding: 'base64' }).send()).rejects.toThrow();
    expect(await rpc.getSignatureStatuses([getSignatureFromTransaction(tx)]).send()).toMatchObject({ value: [null] });
  });

  it('answers malformed requests with JSON-RPC errors, not exceptions', () => {
    expect(JSON.parse(handleJsonRpc(net, 'not json'))).toMatchObject({ error: { code: -32700 } });
    expect(JSON.parse(handleJsonRpc(net, '{"jsonrpc":"2.0","id":1,"method":"nope"}'))).toMatchObject({ id: 1, error: { code: -32601 } });
    expect(JSON.parse(handleJsonRpc(net, '{"jsonrpc":"2.0","id":2,"method":"getBalance","params":["not-a-key"]}'))).toMatchObject({
      id: 2,
      error: { code: -32602, message: 'Invalid params: address is not a base58 public key' },
    });
    const batch = JSON.parse(handleJsonRpc(net, '[{"jsonrpc":"2.0","id":1,"method":"getHealth"},{"jsonrpc":"2.0","id":2,"method":"getSlot"}]')) as Array<{
      result: unknown;
    }>;
    expect(batch[0]!.result).toBe('ok');
  });

  it('saves accounts and the transaction log, and a reopened chain answers the same', async () => {
    const rpc = createSolanaRpc(url);
    const someone = await generateKeyPairSigner();
    const sig = await rpc.requestAirdrop(someone.address, lamports(1_000_000n)).send();
    net.save();
    const reopened = Localnet.open({ stateFile: join(dir, 'localnet.json') });
    expect(reopened.balance(someone.address)).toBe(1_000_000n);
    expect(reopened.transaction(sig)?.slot).toBe(net.transaction(sig)?.slot);
    expect(reopened.currentSlot).toBe(net.currentSlot);
    expect(reopened.commitmentOf(reopened.transaction(sig)!.slot)).toBe(net.commitmentOf(net.transaction(sig)!.slot));
  });

  it('refuses history below confirmed, and answers slots at each commitment', async () => {
    const rpc = createSolanaRpc(url);
    const someone = await generateKeyPairSigner();
    await expect(rpc.getSignaturesForAddress(someone.address, { commitment: 'processed' as 'confirmed' }).send()).rejects.toThrow(
      /does not support commitment below `confirmed`/,
    );
    const tip = BigInt(net.advanceSlots(40));
    expect(await rpc.getSlot({ commitment: 'processed' }).send()).toBe(tip);
    expect(await rpc.getSlot({ commitment: 'confirmed' }).send()).toBe(tip - 1n);
    expect(await rpc.getSlot({ commitment: 'finalized' }).send()).toBe(tip - 32n);
    // kit asks for `confirmed` when the caller names no commitment; the RPC's own default is finalized.
    expect(await rpc.getSlot().send()).toBe(tip - 1n);
    expect(JSON.parse(handleJsonRpc(net, '{"jsonrpc":"2.0","id":1,"method":"getSlot"}')).result).toBe(Number(tip) - 32);
    expect((await rpc.getEpochInfo({ commitment: 'processed' }).send()).blockHeight).toBe(tip);
    expect((await rpc.getBalance(someone.address, { commitment: 'processed' }).send()).value).toBe(0n);
  });

  it('keeps a blockhash valid for 150 slots, up to the lastValidBlockHeight it announced', async () => {
    const rpc = createSolanaRpc(url);
    const { value } = await rpc.getLatestBlockhash({ commitment: 'processed' }).send();
    expect(value.lastValidBlockHeight).toBe(BigInt(net.currentSlot + 150));
    net.advanceSlots(150);
    expect((await rpc.isBlockhashValid(value.blockhash).send()).value).toBe(true);
    net.advanceSlots(1);
    expect((await rpc.isBlockhashValid(value.blockhash).send()).value).toBe(false);
    expect((await rpc.getLatestBlockhash().send()).value.blockhash).not.toBe(value.blockhash);
  });

  it('keeps the Clock sysvar at the current slot', async () => {
    const rpc = createSolanaRpc(url);
    net.advanceSlots(3);
    const clock = await rpc.getAccountInfo(address('SysvarC1ock11111111111111111111111111111111'), { encoding: 'base64' }).send();
    const data = Buffer.from(clock.value!.data[0], 'base64');
    expect(Number(data.readBigUInt64LE(0))).toBe(net.currentSlot);
    expect(Math.abs(Number(data.readBigInt64LE(32)) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('loads a state file written before commitment levels and the Lumora mint', async () => {
    const someone = await generateKeyPairSigner();
    const old = {
      slot: 7,
      records: [],
      accounts: [{ address: someone.address, lamports: '42', programAddress: '11111111111111111111111111111111', executable: false, data: '' }],
    };
    const file = join(dir, 'old.json');
    writeFileSync(file, JSON.stringify(old));
    const reopened = Localnet.open({ stateFile: file, slotMs: 0 });
    expect(reopened.currentSlot).toBe(7);
    expect(reopened.balance(someone.address)).toBe(42n);
  });
});
