/**
 * @module The Lumora SPL token on the localnet: a mint made by a real transaction (system
 * createAccount + token initializeMint2) under a mint authority the localnet holds, a faucet that
 * mints to a wallet's associated token account (created in the same transaction, idempotently,
 * as wallets expect), and token accounts made in advance for merchants. The authority's seed is
 * part of the saved state, so a restarted localnet keeps the same mint and can still mint.
 */
import { createNoopSigner, getAddressEncoder, lamports, type Address, type Instruction } from '@solana/kit';
import { getCreateAccountInstruction } from '@solana-program/system';
import {
  ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
  TOKEN_PROGRAM_ADDRESS,
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstruction,
  getInitializeMint2Instruction,
  getMintSize,
  getMintToInstruction,
} from '@solana-program/token';
import { ChainError, RPC_ERRORS } from './errors.js';
import { findProgramAddressSync, localKeypair, type LocalKeypair } from './local-signer.js';

/** Decimals of the Lumora token: 6, as USDC has, so prices read as dollars and cents. */
export const LUMORA_DECIMALS = 6;

/** Lamports the localnet's authority keeps for fees and rent; topped up by airdrop below half. */
const AUTHORITY_FLOAT_LAMPORTS = 10_000_000_000n;

/** A wallet's associated token account for `mint` (the address wallets look for first). */
export async function associatedTokenAddress(owner: Address, mint: Address, tokenProgram: Address = TOKEN_PROGRAM_ADDRESS): Promise<Address> {
  const [ata] = await findAssociatedTokenPda({ owner, mint, tokenProgram });
  return ata;
}

/** The same address, computed synchronously (the localnet's own transactions are synchronous). */
export function associatedTokenAddressSync(owner: Address, mint: Address, tokenProgram: Address = TOKEN_PROGRAM_ADDRESS): Address {
  const enc = getAddressEncoder();
  const seeds = [owner, tokenProgram, mint].map((a) => new Uint8Array(enc.encode(a)));
  return findProgramAddressSync(seeds, ASSOCIATED_TOKEN_PROGRAM_ADDRESS)[0];
}

/** SPL Token and Token-2022 (whose mints with extensions are longer, typed by byte 165 = 1). */
const TOKEN_2022_PROGRAM_ADDRESS = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';
const ACCOUNT_TYPE_MINT = 1;

function isMintData(program: string, data: Uint8Array): boolean {
  if (program !== TOKEN_PROGRAM_ADDRESS && program !== TOKEN_2022_PROGRAM_ADDRESS) return false;
  return data.length === getMintSize() || (program === TOKEN_2022_PROGRAM_ADDRESS && data.length > 165 && data[165] === ACCOUNT_TYPE_MINT);
}

/** What the token needs from the localnet: its own transactions go through the same `send`. */
export interface TokenHost {
  sendOwn(instructions: Instruction[], feePayer: LocalKeypair, signers: LocalKeypair[], what: string): string;
  balance(address: Address): bigint;
  account(address: Address): { exists: boolean; programAddress?: Address; data?: Uint8Array };
  airdrop(address: Address, amount: bigint): string;
  minimumBalanceForRentExemption(size: number): bigint;
}

/** The Lumora mint and authority, as the state file keeps them. */
export interface SavedLumoraToken {
  mint: string;
  /** The mint authority's 32-byte Ed25519 seed, base64. */
  authority: string;
}

export class LumoraToken {
  private mintAddress: Address | undefined;
  private readonly authority: LocalKeypair;

  constructor(
    private readonly host: TokenHost,
    saved?: SavedLumoraToken,
  ) {
    this.authority = localKeypair(saved ? new Uint8Array(Buffer.from(saved.authority, 'base64')) : undefined);
    this.mintAddress = saved?.mint as Address | undefined;
  }

  /** The mint, created by a transaction on first use. */
  mint(): Address {
    if (this.mintAddress) return this.mintAddress;
    this.fundAuthority();
    const mint = localKeypair();
    const space = getMintSize();
    const payer = createNoopSigner(this.authority.address);
    this.host.sendOwn(
      [
        getCreateAccountInstruction({
          payer,
          newAccount: createNoopSigner(mint.address),
          lamports: lamports(this.host.minimumBalanceForRentExemption(space)),
          space,
          programAddress: TOKEN_PROGRAM_ADDRESS,
        }),
        getInitializeMint2Instruction({ mint: mint.address, decimals: LUMORA_DECIMALS, mintAuthority: this.authority.address }),
      ],
      this.authority,
      [mint],
      'creating the Lumora mint',
    );
    this.mintAddress = mint.address;
    return mint.address;
  }

  /** Mints `amount` base units to `owner`'s associated token account, creating it if needed. */
  faucet(owner: Address, amount: bigint): string {
    if (amount <= 0n) throw new ChainError(`faucet to ${owner}: amount ${amount} must be positive`, { code: RPC_ERRORS.invalidParams });
    const mint = this.mint();
    this.fundAuthority();
    const ata = associatedTokenAddressSync(owner, mint);
    const payer = createNoopSigner(this.authority.address);
    return this.host.sendOwn(
      [getCreateAssociatedTokenIdempotentInstruction({ payer, ata, owner, mint }), getMintToInstruction({ mint, token: ata, mintAuthority: payer, amount })],
      this.authority,
      [],
      `faucet of ${amount} to ${owner}`,
    );
  }

  /** `owner`'s associated token account for `mint` (of either token program), created if missing. */
  ensureTokenAccount(owner: Address, mint: Address): Address {
    const mintAccount = this.host.account(mint);
    const tokenProgram = mintAccount.programAddress;
    if (!mintAccount.exists || !tokenProgram || !isMintData(tokenProgram, mintAccount.data ?? new Uint8Array())) {
      throw new ChainError(`ensureTokenAccount: ${mint} is not a token mint on this localnet`, { code: RPC_ERRORS.invalidParams });
    }
    const ata = associatedTokenAddressSync(owner, mint, tokenProgram);
    if (this.host.account(ata).exists) return ata;
    this.fundAuthority();
    this.host.sendOwn(
      [getCreateAssociatedTokenIdempotentInstruction({ payer: createNoopSigner(this.authority.address), ata, owner, mint, tokenProgram })],
      this.authority,
      [],
      `creating the token account of ${owner} for ${mint}`,
    );
    return ata;
  }

  toJSON(): SavedLumoraToken | undefined {
    return this.mintAddress ? { mint: this.mintAddress, authority: Buffer.from(this.authority.secret).toString('base64') } : undefined;
  }

  private fundAuthority(): void {
    if (this.host.balance(this.authority.address) < AUTHORITY_FLOAT_LAMPORTS / 2n) this.host.airdrop(this.authority.address, AUTHORITY_FLOAT_LAMPORTS);
  }
}
