import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyPairSigner } from '@solana/kit';
import { TOKEN_PROGRAM_ADDRESS } from '@solana-program/token';
import { associatedTokenAddress, LUMORA_DECIMALS, Localnet } from './index.js';
import { associatedTokenAddressSync } from './lumora-token.js';

const dir = mkdtempSync(join(tmpdir(), 'lumora-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Lumora token on the localnet', () => {
  it('creates the mint by a recorded transaction, and the faucet mints to the wallet’s associated token account', async () => {
    const net = Localnet.open({ slotMs: 0 });
    const mint = net.lumoraMint();
    expect(net.lumoraMint()).toBe(mint);
    const mintAccount = net.account(mint);
    expect(mintAccount.exists && mintAccount.programAddress).toBe(TOKEN_PROGRAM_ADDRESS);
    expect(mintAccount.exists && mintAccount.data[44]).toBe(LUMORA_DECIMALS);
    expect(net.signaturesFor(mint).length).toBe(1); // the createAccount + initializeMint2 transaction

    const wallet = (await generateKeyPairSigner()).address;
    const first = net.faucet(wallet, 3_000_000n);
    const second = net.faucet(wallet, 3_000_000n); // same request, same slot: still its own transaction
    expect(second).not.toBe(first);
    const ata = await associatedTokenAddress(wallet, mint);
    expect(net.tokenBalance(ata)).toMatchObject({ amount: '6000000', owner: wallet, mint, uiAmountString: '6' });
    expect(net.signaturesFor(ata).map((r) => r.signature)).toEqual([second, first]);
    expect(net.transaction(first)?.err).toBeNull();
  });

  it('creates a merchant’s token account in advance, once', async () => {
    const net = Localnet.open({ slotMs: 0 });
    const mint = net.lumoraMint();
    const merchant = (await generateKeyPairSigner()).address;
    const ata = net.ensureTokenAccount(merchant, mint);
    expect(ata).toBe(await associatedTokenAddress(merchant, mint));
    expect(net.tokenBalance(ata)).toMatchObject({ amount: '0', owner: merchant });
    expect(net.ensureTokenAccount(merchant, mint)).toBe(ata);
    expect(net.signaturesFor(ata)).toHaveLength(1);
    expect(() => net.ensureTokenAccount(merchant, merchant)).toThrow(new RegExp(`${merchant} is not a token mint`));
  });

  it('keeps the same mint and authority across a restart, so the faucet still mints', async () => {
    const stateFile = join(dir, 'localnet.json');
    const net = Localnet.open({ stateFile, slotMs: 0 });
    const mint = net.lumoraMint();
    const wallet = (await generateKeyPairSigner()).address;
    net.faucet(wallet, 1_000_000n);
    net.save();
    const reopened = Localnet.open({ stateFile, slotMs: 0 });
    expect(reopened.lumoraMint()).toBe(mint);
    reopened.faucet(wallet, 500_000n);
    expect(reopened.tokenBalance(await associatedTokenAddress(wallet, mint))?.amount).toBe('1500000');
  });

  it('derives associated token addresses synchronously exactly as @solana-program/token does', async () => {
    const owner = (await generateKeyPairSigner()).address;
    const mint = (await generateKeyPairSigner()).address;
    expect(associatedTokenAddressSync(owner, mint)).toBe(await associatedTokenAddress(owner, mint));
  });
});
