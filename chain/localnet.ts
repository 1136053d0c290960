/**
 * @module The embedded localnet: a LiteSVM instance (Solana's runtime, in process) plus what an
 * RPC node keeps beside the bank and LiteSVM does not: each transaction's wire bytes, slot,
 * block time, fee and balances before and after, and an index of signatures by address, so that
 * `getTransaction` and `getSignaturesForAddress` answer as a validator does. Every transaction
 * gets its own slot. State can be saved to and loaded from the data home: every account a
 * transaction touched, and the transaction log (LiteSVM 1.4 has no snapshot of its own).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  getBase58Decoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  getSignatureFromTransaction,
  lamports,
  type Address,
  type Transaction,
} from '@solana/kit';
import { FailedTransactionMetadata, LiteSVM } from 'litesvm';
import { ChainError, RPC_ERRORS } from './errors.js';

/** Classic SPL Token and Token-2022: accounts they own have the same first 165 bytes. */
export const TOKEN_PROGRAMS: readonly string[] = ['TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA', 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb'];

/** A token account's balance, as `getTransaction` reports it in `preTokenBalances`. */
export interface TokenBalance {
  accountIndex: number;
  mint: string;
  owner: string;
  programId: string;
  uiTokenAmount: { amount: string; decimals: number; uiAmount: number | null; uiAmountString: string };
}

/** What the localnet remembers of a processed transaction. */
export interface TransactionRecord {
  signature: string;
  slot: number;
  /** Unix seconds. */
  blockTime: number;
  /** The transaction as sent, base64. */
  wire: string;
  /** Null on success, else Solana's error object (`{ InstructionError: [0, …] }`). */
  err: unknown;
  fee: number;
  /** The message's static account keys, in order, with their balances around the transaction. */
  accountKeys: string[];
  preBalances: number[];
  postBalances: number[];
  preTokenBalances: TokenBalance[];
  postTokenBalances: TokenBalance[];
  logs: string[];
  computeUnits: number;
  /** The message version: 'legacy', 0 or 1. */
  version: 0 | 1 | 'legacy';
}

interface SavedState {
  slot: number;
  records: TransactionRecord[];
  accounts: Array<{ address: string; lamports: string; programAddress: string; executable: boolean; data: string }>;
}

/** Lamports a signature costs on a default validator (and in LiteSVM). */
const LAMPORTS_PER_SIGNATURE = 5000;

export class Localnet {
  private slot = 1;
  private readonly records = new Map<string, TransactionRecord>();
  /** Signatures that mention an address, oldest first. */
  private readonly byAddress = new Map<string, string[]>();

  private constructor(
    private readonly svm: LiteSVM,
    private readonly stateFile: string | undefined,
  ) {}

  /** A fresh chain, or the one saved at `stateFile` (accounts and transaction log). */
  static open(opts: { stateFile?: string } = {}): Localnet {
    const file = opts.stateFile;
    const net = new Localnet(new LiteSVM(), file);
    if (file && existsSync(file)) {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
      for (const a of saved.accounts) {
        const data = new Uint8Array(Buffer.from(a.data, 'base64'));
        net.svm.setAccount({
          address: a.address as Address,
          lamports: lamports(BigInt(a.lamports)),
          programAddress: a.programAddress as Address,
          executable: a.executable,
          data,
          space: BigInt(data.length),
        });
      }
      for (const r of saved.records) net.remember(r);
      net.slot = saved.slot;
      net.svm.warpToSlot(BigInt(saved.slot));
    }
    return net;
  }

  /** Writes every account a transaction touched, and the transaction log, replacing the file atomically. */
  save(): void {
    if (!this.stateFile) return;
    const accounts: SavedState['accounts'] = [];
    for (const address of this.byAddress.keys()) {
      const a = this.svm.getAccount(address as Address);
      if (!a.exists || a.executable) continue;
      accounts.push({ address, lamports: a.lamports.toString(), programAddress: a.programAddress, executable: a.executable, data: Buffer.from(a.data).toString('base64') });
    }
    const state: SavedState = { slot: this.slot, records: [...this.records.values()], accounts };
    writeFileSync(`${this.stateFile}.tmp`, JSON.stringify(state));
    renameSync(`${this.stateFile}.tmp`, this.stateFile);
  }

  get currentSlot(): number {
    return this.slot;
  }

  latestBlockhash(): { blockhash: string; lastValidBlockHeight: number } {
    // A blockhash stays valid for 150 blocks on a validator; the localnet keeps the same rule.
    return { blockhash: this.svm.latestBlockhash(), lastValidBlockHeight: this.slot + 150 };
  }

  balance(address: Address): bigint {
    return this.svm.getBalance(address) ?? 0n;
  }

  account(address: Address) {
    return this.svm.getAccount(address);
  }

  minimumBalanceForRentExemption(size: number): bigint {
    return this.svm.minimumBalanceForRentExemption(BigInt(size));
  }

  /** Funds an address, as `requestAirdrop` does on a test validator; returns the signature. */
  airdrop(address: Address, amount: bigint): string {
    const result = this.svm.airdrop(address, lamports(amount));
    if (!result || result instanceof FailedTransactionMetadata) {
      const reason = result ? String(serializeError(result.err())) : 'no result';
      throw new ChainError(`airdrop to ${address} failed: ${reason}`, { code: RPC_ERRORS.invalidParams });
    }
    const signature = String(result.signature());
    this.remember({
      signature, slot: this.nextSlot(), blockTime: nowSeconds(), wire: '', err: null, fee: 0,
      accountKeys: [address], preBalances: [0], postBalances: [Number(this.balance(address))], preTokenBalances: [], postTokenBalances: [],
      logs: result.logs(), computeUnits: Number(result.computeUnitsConsumed()), version: 'legacy',
    });
    return signature;
  }

  /**
   * Executes a signed transaction (wire bytes). A transaction that fails in the runtime is still
   * recorded (with its error and the fee charged), as on a validator; one the runtime refuses
   * outright (bad signature, unknown blockhash) throws.
   */
  send(wire: Uint8Array): TransactionRecord {
    const { tx, accountKeys, version } = decode(wire);
    const pre = accountKeys.map((k) => Number(this.balance(k as Address)));
    const preTokens = this.tokenBalances(accountKeys);
    const result = this.svm.sendTransaction(tx);
    const failed = result instanceof FailedTransactionMetadata;
    const meta = failed ? result.meta() : result;
    const err = failed ? result.err() : null;
    const post = accountKeys.map((k) => Number(this.balance(k as Address)));
    // A transaction the runtime refused changed nothing, not even the fee payer's balance.
    if (failed && pre[0] === post[0]) {
      throw new ChainError(`Transaction simulation failed: ${String(result.toString())}`, {
        code: RPC_ERRORS.preflightFailure,
        data: { err: serializeError(err), logs: meta.logs() },
      });
    }
    const record: TransactionRecord = {
      signature: getSignatureFromTransaction(tx),
      slot: this.nextSlot(),
      blockTime: nowSeconds(),
      wire: Buffer.from(wire).toString('base64'),
      err: serializeError(err),
      fee: LAMPORTS_PER_SIGNATURE * Object.keys(tx.signatures).length,
      accountKeys,
      preBalances: pre,
      postBalances: post,
      preTokenBalances: preTokens,
      postTokenBalances: this.tokenBalances(accountKeys),
      logs: meta.logs(),
      computeUnits: Number(meta.computeUnitsConsumed()),
      version,
    };
    this.remember(record);
    return record;
  }

  /** Runs a transaction without changing state; returns its error (or null), logs and compute units. */
  simulate(wire: Uint8Array): { err: unknown; logs: string[]; unitsConsumed: number } {
    const { tx } = decode(wire);
    const result = this.svm.simulateTransaction(tx);
    if (result instanceof FailedTransactionMetadata) {
      const meta = result.meta();
      return { err: serializeError(result.err()), logs: meta.logs(), unitsConsumed: Number(meta.computeUnitsConsumed()) };
    }
    const meta = result.meta();
    return { err: null, logs: meta.logs(), unitsConsumed: Number(meta.computeUnitsConsumed()) };
  }

  /** The balance of a token account, or undefined when `address` is not one. */
  tokenBalance(address: string): (TokenBalance['uiTokenAmount'] & { mint: string; owner: string; programId: string }) | undefined {
    const account = this.svm.getAccount(address as Address);
    if (!account.exists || !TOKEN_PROGRAMS.includes(account.programAddress) || account.data.length < 165) return undefined;
    const data = Buffer.from(account.data);
    const mint = getBase58Decoder().decode(data.subarray(0, 32));
    const owner = getBase58Decoder().decode(data.subarray(32, 64));
    const amount = data.readBigUInt64LE(64);
    const mintAccount = this.svm.getAccount(mint as Address);
    const decimals = mintAccount.exists && mintAccount.data.length >= 45 ? (mintAccount.data[44] as number) : 0;
    const uiAmountString = formatUnits(amount, decimals);
    return { mint, owner, programId: account.programAddress, amount: amount.toString(), decimals, uiAmount: Number(uiAmountString), uiAmountString };
  }

  private tokenBalances(accountKeys: string[]): TokenBalance[] {
    const out: TokenBalance[] = [];
    accountKeys.forEach((key, accountIndex) => {
      const b = this.tokenBalance(key);
      if (!b) return;
      const { mint, owner, programId, ...uiTokenAmount } = b;
      out.push({ accountIndex, mint, owner, programId, uiTokenAmount });
    });
    return out;
  }

  transaction(signature: string): TransactionRecord | undefined {
    return this.records.get(signature);
  }

  /** Signatures mentioning `address`, newest first, as `getSignaturesForAddress` lists them. */
  signaturesFor(address: string): TransactionRecord[] {
    return (this.byAddress.get(address) ?? []).map((s) => this.records.get(s) as TransactionRecord).reverse();
  }

  private nextSlot(): number {
    this.slot++;
    this.svm.warpToSlot(BigInt(this.slot));
    return this.slot;
  }

  private remember(record: TransactionRecord): void {
    this.records.set(record.signature, record);
    for (const key of new Set(record.accountKeys)) {
      let list = this.byAddress.get(key);
      if (!list) this.byAddress.set(key, (list = []));
      list.push(record.signature);
    }
  }
}

/** Base units as a decimal string: 1500000 with 6 decimals is "1.5". */
export function formatUnits(amount: bigint, decimals: number): string {
  if (decimals === 0) return amount.toString();
  const s = amount.toString().padStart(decimals + 1, '0');
  const whole = s.slice(0, s.length - decimals);
  const fraction = s.slice(s.length - decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The wire transaction, its static account keys and its message version. */
function decode(wire: Uint8Array): { tx: Transaction; accountKeys: string[]; version: 0 | 1 | 'legacy' } {
  let tx: Transaction;
  let message;
  try {
    tx = getTransactionDecoder().decode(wire) as Transaction;
    message = getCompiledTransactionMessageDecoder().decode(tx.messageBytes);
  } catch (cause) {
    throw new ChainError('failed to deserialize the transaction: not a valid wire-format transaction', { code: RPC_ERRORS.invalidParams, cause });
  }
  return { tx, accountKeys: message.staticAccounts.map(String), version: message.version };
}

/** LiteSVM's error classes as Solana's JSON error values (`"InsufficientFundsForFee"`, `{ InstructionError: [0, …] }`). */
function serializeError(err: unknown): unknown {
  if (err === null || err === undefined) return null;
  const text = String((err as { toString(): string }).toString());
  return text.length > 0 ? text : 'TransactionError';
}

