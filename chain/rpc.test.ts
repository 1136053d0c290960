import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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
  net = Localnet.open({ stateFile: join(dir, 'localnet.json') });
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
    const tx = await rpc.getTransaction(sig, { encoding: 'json', maxSupportedTransactionVersion: 0 }).send();
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
    expect(statuses.value[0]).toMatchObject({ err: null, confirmationStatus: 'finalized' });
    expect(statuses.value[1]).not.toBeNull();
    expect((await rpc.getBalance(payee.address).send()).value).toBe(1_000_000n);

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
    const rpc = createSolanaRpc(url);
    const broke = await generateKeyPairSigner();
    const payee = await generateKeyPairSigner();
    const tx = await transfer(rpc, broke, payee.address, 1n);
    const wire = getBase64EncodedWireTransaction(tx);
    const sim = await rpc.simulateTransaction(wire, { encoding: 'base64' }).send();
    expect(sim.value.err).not.toBeNull();
    await expect(rpc.sendTransaction(wire, { encoding: 'base64' }).send()).rejects.toThrow();
    expect(await rpc.getTransaction(getSignatureFromTransaction(tx), { encoding: 'json', maxSupportedTransactionVersion: 0 }).send()).toBeNull();
  });

  it('answers malformed requests with JSON-RPC errors, not exceptions', () => {
    expect(JSON.parse(handleJsonRpc(net, 'not json'))).toMatchObject({ error: { code: -32700 } });
    expect(JSON.parse(handleJsonRpc(net, '{"jsonrpc":"2.0","id":1,"method":"nope"}'))).toMatchObject({ id: 1, error: { code: -32601 } });
    expect(JSON.parse(handleJsonRpc(net, '{"jsonrpc":"2.0","id":2,"method":"getBalance","params":["not-a-key"]}'))).toMatchObject({
      id: 2,
      error: { code: -32602, message: 'Invalid params: address is not a base58 public key' },
    });
    const batch = JSON.parse(handleJsonRpc(net, '[{"jsonrpc":"2.0","id":1,"method":"getHealth"},{"jsonrpc":"2.0","id":2,"method":"getSlot"}]')) as Array<{ result: unknown }>;
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
  });
});
