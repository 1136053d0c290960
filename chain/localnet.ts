/**
 * @module The embedded localnet: a LiteSVM instance (Solana's runtime, in process) plus what an
 * RPC node keeps beside the bank and LiteSVM does not: a slot clock with commitment levels, the
 * recent blockhashes, each transaction's wire bytes, slot, block time, fee and balances before and
 * after, and an index of signatures by address, so that `getTransaction` and
 * `getSignaturesForAddress` answer as a validator does. Transactions run in the current slot
 * (several may share one). State can be saved to and loaded from the data home: every account a
 * transaction touched, the transaction log, the clock, and the Lumora mint's authority (LiteSVM
 * 1.4 has no snapshot of its own).
 *
 * @example
 * const net = Localnet.open({ stateFile: '.lumora/localnet.json' });
 * const mint = net.lumoraMint();
 * net.faucet(wallet, 25_000_000n); // 25 LUMORA to the wallet's token account
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  getBase58Decoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  lamports,
  type Address,
  type Instruction,
  type Transaction,
} from '@solana/kit';
import { FailedTransactionMetadata, LiteSVM } from 'litesvm';
import { BlockhashQueue, type IssuedBlockhash } from './blockhash-queue.js';
import { ChainError, RPC_ERRORS } from './errors.js';
import { signedWire, type LocalKeypair } from './local-signer.js';
import { LumoraToken, type SavedLumoraToken } from './lumora-token.js';
import { COMMITMENT_RANK, SlotClock, type CommitmentLevel } from './slot-clock.js';
import { readTokenBalance, type TokenAccountBalance, type TokenBalance } from './token-balance.js';
import {
  describeTransactionError,
  preflightFailure,
  SIGNATURE_FAILURE,
  signatureFailure,
  toTransactionError,
  type TransactionErrorJson,
} from './transaction-error.js';
import { WriteAheadLog } from './write-ahead-log.js';

/** What the localnet remembers of a processed transaction. */
export interface TransactionRecord {
  signature: string;
  slot: number;
  /** Unix seconds. */
  blockTime: number;
  /** The transaction as sent, base64. */
  wire: string;
  /** Null on success, else Solana's JSON TransactionError (`{ InstructionError: [0, { Custom: 1 }] }`). */
  err: TransactionErrorJson | null;
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

interface SavedAccount {
  address: string;
  lamports: string;
  programAddress: string;
  executable: boolean;
  /** base64 */
  data: string;
}

/** An account a transaction closed or drained to zero: on replay it must be gone, not restored from an older state. */
interface DeletedAccount {
  address: string;
  deleted: true;
}

/** One write-ahead log entry: a transaction and the accounts as it left them, or a new Lumora mint. */
interface ChainChange {
  record?: TransactionRecord;
  accounts: Array<SavedAccount | DeletedAccount>;
  lumora?: SavedLumoraToken;
}

interface SavedState {
  /** The last log entry the snapshot holds; absent in state files written before the log. */
  seq?: number;
  slot: number;
  records: TransactionRecord[];
  accounts: SavedAccount[];
  /** Absent in state files written before commitment levels. */
  blockhashes?: IssuedBlockhash[];
  /** Absent until the Lumora mint exists. */
  lumora?: SavedLumoraToken;
}

export interface LocalnetOptions {
  /**
   * Where the chain lives on disk; none keeps it in memory only. Every transaction is appended to
   * `<stateFile>.log` and flushed before `send` returns; `save()` writes the snapshot and empties the log.
   */
  stateFile?: string;
  /** Log entries after which the localnet writes a snapshot by itself (default 1,000). */
  compactEvery?: number;
  /** Milliseconds per slot (default 400, as a validator); 0 stops the clock, for tests: see `advanceSlots`. */
  slotMs?: number;
  /** A monotonic millisecond clock for the slot clock (default `performance.now`). */
  nowMs?: () => number;
}

/** The outcome of a simulation, as `simulateTransaction` reports it. */
export interface SimulationResult {
  err: TransactionErrorJson | null;
  logs: string[];
  unitsConsumed: number;
  /** Set when the simulation ran with `replaceRecentBlockhash`. */
  replacementBlockhash?: { blockhash: string; lastValidBlockHeight: number };
}

/** Lamports a signature costs on a default validator (and in LiteSVM). */
const LAMPORTS_PER_SIGNATURE = 5000;
const DEFAULT_COMPACT_EVERY = 1000;
const SYSTEM_PROGRAM = '11111111111111111111111111111111' as Address;

export class Localnet {
  private readonly records = new Map<string, TransactionRecord>();
  /** Signatures that mention an address, oldest first. */
  private readonly byAddress = new Map<string, string[]>();
  private readonly token: LumoraToken;
  /** The slot LiteSVM's Clock sysvar was last set to. */
  private svmSlot = -1;
  /** The Lumora token's state as last made durable (JSON), to log it once when it changes. */
  private loggedLumora: string;

  private constructor(
    private readonly svm: LiteSVM,
    private readonly clock: SlotClock,
    private readonly blockhashes: BlockhashQueue,
    private readonly stateFile: string | undefined,
    lumora: SavedLumoraToken | undefined,
    private readonly log: WriteAheadLog<ChainChange> | undefined,
    private readonly compactEvery: number,
  ) {
    this.loggedLumora = JSON.stringify(lumora ?? null);
    this.token = new LumoraToken(
      {
        sendOwn: (instructions, feePayer, signers, what) => this.sendOwn(instructions, feePayer, signers, what),
        balance: (a) => this.balance(a),
        account: (a) => this.svm.getAccount(a),
        airdrop: (a, amount) => this.airdrop(a, amount),
        minimumBalanceForRentExemption: (size) => this.minimumBalanceForRentExemption(size),
      },
      lumora,
    );
  }

  /** A fresh chain, or the one at `stateFile`: the snapshot, then every logged change after it. */
  static open(opts: LocalnetOptions = {}): Localnet {
    const file = opts.stateFile;
    const saved = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SavedState) : undefined;
    const savedSeq = saved?.seq ?? 0;
    const opened = file ? WriteAheadLog.open<ChainChange>(`${file}.log`, { firstSeq: savedSeq + 1 }) : undefined;
    // Entries at or below the snapshot's seq were already in it (a crash between writing the snapshot and emptying the log).
    const replay = (opened?.entries ?? []).filter((e) => e.seq > savedSeq).map((e) => e.change);
    const lumora = replay.reduce<SavedLumoraToken | undefined>((l, c) => c.lumora ?? l, saved?.lumora);
    // One slot past the last one seen: a restart takes longer than a slot, and what was confirmed before stays confirmed.
    const lastSlot = replay.reduce((slot, c) => Math.max(slot, c.record?.slot ?? 0), saved?.slot ?? 0);
    const startSlot = replay.length > 0 ? lastSlot + 1 : Math.max(1, lastSlot);
    // LiteSVM accepts only its one latest blockhash; the queue applies the validator's 150-slot rule instead.
    const svm = new LiteSVM().withBlockhashCheck(false);
    const clock = new SlotClock({ slotMs: opts.slotMs, startSlot, nowMs: opts.nowMs });
    const net = new Localnet(svm, clock, new BlockhashQueue(saved?.blockhashes), file, lumora, opened?.log, opts.compactEvery ?? DEFAULT_COMPACT_EVERY);
    for (const a of saved?.accounts ?? []) net.restoreAccount(a);
    for (const r of saved?.records ?? []) net.remember(r);
    for (const change of replay) {
      for (const a of change.accounts) net.restoreAccount(a);
      if (change.record && !net.records.has(change.record.signature)) net.remember(change.record);
    }
    net.syncSvm();
    return net;
  }

  /**
   * Writes the snapshot (every account a transaction touched, the transaction log, the clock),
   * replacing the file atomically and durably, then empties the write-ahead log it now holds.
   */
  save(): void {
    if (!this.stateFile) return;
    const accounts: SavedAccount[] = [];
    for (const address of this.byAddress.keys()) {
      const a = this.accountState(address);
      if (a && !('deleted' in a)) accounts.push(a);
    }
    const state: SavedState = {
      seq: (this.log?.seq ?? 1) - 1,
      slot: this.clock.slot,
      records: [...this.records.values()],
      accounts,
      blockhashes: this.blockhashes.toJSON(),
      lumora: this.token.toJSON(),
    };
    const tmp = `${this.stateFile}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(state));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.stateFile);
    syncDirectory(dirname(this.stateFile));
    this.log?.reset();
  }

  /** Writes the snapshot and releases the log file. */
  close(): void {
    this.save();
    this.log?.close();
  }

  /** The current (processed) slot; block height equals it, as no slot is ever skipped here. */
  get currentSlot(): number {
    return this.clock.slot;
  }

  /** Milliseconds per slot; 0 when only `advanceSlots` moves the clock. */
  get slotMs(): number {
    return this.clock.slotMs;
  }

  /** Moves the clock `n` slots forward; returns the new slot. With `slotMs: 0` this is the only way time passes. */
  advanceSlots(n = 1): number {
    const slot = this.clock.advance(n);
    this.syncSvm();
    return slot;
  }

  /** The newest slot at `commitment`: the tip, the one before it, or the tip minus FINALIZATION_DEPTH_SLOTS. */
  slotAt(commitment: CommitmentLevel): number {
    return this.clock.slotAt(commitment);
  }

  /** How far a transaction processed in `slot` has got. */
  commitmentOf(slot: number): CommitmentLevel {
    return this.clock.commitmentOf(slot);
  }

  /** The current slot's blockhash; it is accepted until block height `lastValidBlockHeight`. */
  latestBlockhash(): { blockhash: string; lastValidBlockHeight: number } {
    return this.blockhashes.latest(this.clock.slot);
  }

  /** Whether a transaction with `blockhash` would still be accepted now. */
  isBlockhashValid(blockhash: string): boolean {
    return this.blockhashes.isValid(blockhash, this.clock.slot);
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
    this.syncSvm();
    // LiteSVM signs airdrops with its own blockhash: rotate it, or a repeated airdrop is "AlreadyProcessed".
    this.svm.expireBlockhash();
    const result = this.svm.airdrop(address, lamports(amount));
    if (!result || result instanceof FailedTransactionMetadata) {
      const reason = result ? describeTransactionError(toTransactionError(result.err()) ?? 'unknown') : 'no result';
      throw new ChainError(`airdrop of ${amount} lamports to ${address} failed: ${reason}`, { code: RPC_ERRORS.invalidParams });
    }
    const signature = getBase58Decoder().decode(result.signature());
    this.record({
      signature,
      slot: this.clock.slot,
      blockTime: nowSeconds(),
      wire: '',
      err: null,
      fee: 0,
      accountKeys: [address],
      preBalances: [0],
      postBalances: [Number(this.balance(address))],
      preTokenBalances: [],
      postTokenBalances: [],
      logs: result.logs(),
      computeUnits: Number(result.computeUnitsConsumed()),
      version: 'legacy',
    });
    return signature;
  }

  /**
   * Executes a signed transaction (wire bytes) in the current slot. Like a validator's
   * `sendTransaction`, it first simulates (unless `skipPreflight`) and refuses a failing transaction
   * with RPC error -32002 and the simulation's error and logs; bad signatures are -32003. A
   * transaction that fails in the runtime after preflight was skipped is still recorded, with its
   * error and the fee charged; one the runtime refuses outright (unknown blockhash, no funds for
   * the fee) throws -32002.
   */
  send(wire: Uint8Array, opts: { skipPreflight?: boolean } = {}): TransactionRecord {
    const { tx, accountKeys, version, blockhash } = decode(wire);
    this.syncSvm();
    const signature = feePayerSignature(tx);
    if (this.records.has(signature)) throw preflightFailure({ err: 'AlreadyProcessed', logs: [], unitsConsumed: 0 });
    if (!opts.skipPreflight) {
      const sim = this.simulate(wire, { sigVerify: true });
      if (sim.err === SIGNATURE_FAILURE) throw signatureFailure();
      if (sim.err !== null) throw preflightFailure(sim);
    } else if (!this.blockhashes.isValid(blockhash, this.clock.slot)) {
      throw preflightFailure({ err: 'BlockhashNotFound', logs: [], unitsConsumed: 0 });
    }
    const pre = accountKeys.map((k) => Number(this.balance(k as Address)));
    const preTokens = this.tokenBalances(accountKeys);
    const result = this.svm.sendTransaction(tx);
    const failed = result instanceof FailedTransactionMetadata;
    const meta = failed ? result.meta() : result;
    const err = failed ? toTransactionError(result.err()) : null;
    const post = accountKeys.map((k) => Number(this.balance(k as Address)));
    if (err === SIGNATURE_FAILURE) throw signatureFailure();
    // A transaction the runtime refused changed nothing, not even the fee payer's balance.
    if (err !== null && pre[0] === post[0]) throw preflightFailure({ err, logs: meta.logs(), unitsConsumed: Number(meta.computeUnitsConsumed()) });
    const record: TransactionRecord = {
      signature,
      slot: this.clock.slot,
      blockTime: nowSeconds(),
      wire: Buffer.from(wire).toString('base64'),
      err,
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
    this.record(record);
    return record;
  }

  /**
   * Runs a transaction without changing state. As on a validator, signatures are checked only with
   * `sigVerify` (so a wallet can simulate before signing), and `replaceRecentBlockhash` runs it
   * with the latest blockhash instead of its own.
   */
  simulate(wire: Uint8Array, opts: { sigVerify?: boolean; replaceRecentBlockhash?: boolean } = {}): SimulationResult {
    const { tx, blockhash } = decode(wire);
    this.syncSvm();
    if (opts.sigVerify && Object.values(tx.signatures).some((s) => s === null)) return { err: SIGNATURE_FAILURE, logs: [], unitsConsumed: 0 };
    const replacement = opts.replaceRecentBlockhash ? { replacementBlockhash: this.latestBlockhash() } : {};
    if (!opts.replaceRecentBlockhash && !this.blockhashes.isValid(blockhash, this.clock.slot)) return { err: 'BlockhashNotFound', logs: [], unitsConsumed: 0 };
    this.svm.withSigverify(opts.sigVerify ?? false);
    try {
      const result = this.svm.simulateTransaction(tx);
      const failed = result instanceof FailedTransactionMetadata;
      const meta = result.meta();
      return { err: failed ? toTransactionError(result.err()) : null, logs: meta.logs(), unitsConsumed: Number(meta.computeUnitsConsumed()), ...replacement };
    } finally {
      this.svm.withSigverify(true);
    }
  }

  /** The balance of a token account, or undefined when `address` is not one. */
  tokenBalance(address: string): TokenAccountBalance | undefined {
    return readTokenBalance((a) => this.svm.getAccount(a), address as Address);
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

  /** A recorded transaction that has reached `commitment` (default: any, processed included). */
  transaction(signature: string, commitment: CommitmentLevel = 'processed'): TransactionRecord | undefined {
    const r = this.records.get(signature);
    return r && this.reached(r, commitment) ? r : undefined;
  }

  /** Transactions mentioning `address` that reached `commitment`, newest first, as `getSignaturesForAddress` lists them. */
  signaturesFor(address: string, commitment: CommitmentLevel = 'processed'): TransactionRecord[] {
    const out: TransactionRecord[] = [];
    for (const s of (this.byAddress.get(address) ?? []).toReversed()) {
      const r = this.records.get(s) as TransactionRecord;
      if (this.reached(r, commitment)) out.push(r);
    }
    return out;
  }

  /** The Lumora SPL token's mint (LUMORA_DECIMALS decimals), created by a transaction on first call. */
  lumoraMint(): Address {
    const mint = this.token.mint();
    this.logLumora();
    return mint;
  }

  /** Mints `amount` Lumora base units to `owner`'s associated token account, creating it in the same transaction; returns the signature. */
  faucet(owner: Address, amount: bigint): string {
    return this.token.faucet(owner, amount);
  }

  /** `owner`'s associated token account for `mint`, created by a transaction if missing. */
  ensureTokenAccount(owner: Address, mint: Address): Address {
    return this.token.ensureTokenAccount(owner, mint);
  }

  private reached(r: TransactionRecord, commitment: CommitmentLevel): boolean {
    return COMMITMENT_RANK[this.clock.commitmentOf(r.slot)] >= COMMITMENT_RANK[commitment];
  }

  /** Signs and sends one of the localnet's own transactions; it is recorded like any other. */
  private sendOwn(instructions: Instruction[], feePayer: LocalKeypair, signers: LocalKeypair[], what: string): string {
    let wire = signedWire(instructions, feePayer, signers, this.latestBlockhash());
    // Two identical requests in one slot make the same signature; a fresh blockhash tells them apart.
    if (this.records.has(feePayerSignature(decode(wire).tx))) wire = signedWire(instructions, feePayer, signers, this.blockhashes.fresh(this.clock.slot));
    let record: TransactionRecord;
    try {
      record = this.send(wire);
    } catch (cause) {
      throw new ChainError(`${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { code: RPC_ERRORS.internal, cause });
    }
    return record.signature;
  }

  /** Points LiteSVM's Clock sysvar at the current slot and wall-clock time, so programs see a sane clock. */
  private syncSvm(): void {
    const slot = this.clock.slot;
    if (slot === this.svmSlot) return;
    this.svm.warpToSlot(BigInt(slot));
    const clock = this.svm.getClock();
    clock.unixTimestamp = BigInt(nowSeconds());
    this.svm.setClock(clock);
    this.svmSlot = slot;
  }

  /** Makes a processed transaction durable (logged and flushed), then visible to every reader. */
  private record(record: TransactionRecord): void {
    if (this.log) {
      const accounts = [...new Set(record.accountKeys)].map((k) => this.accountState(k)).filter((a) => a !== undefined);
      this.append({ record, accounts });
    }
    this.remember(record);
    if (this.log && this.log.size >= this.compactEvery) this.save();
  }

  /** Logs the Lumora mint and authority once they exist, so a restart keeps the same token. */
  private logLumora(): void {
    const lumora = this.token.toJSON();
    if (this.log && lumora && JSON.stringify(lumora) !== this.loggedLumora) this.append({ accounts: [] });
  }

  /** Appends a change to the log, with the Lumora token's state when it changed since it was last logged. */
  private append(change: Omit<ChainChange, 'lumora'>): void {
    const lumora = this.token.toJSON();
    const json = JSON.stringify(lumora ?? null);
    (this.log as WriteAheadLog<ChainChange>).append({ ...change, ...(lumora && json !== this.loggedLumora ? { lumora } : {}) });
    this.loggedLumora = json;
  }

  /**
   * An account as the snapshot and the log keep it: its state, a deletion marker when it no
   * longer exists, or undefined for an executable (builtin program) account, which is never saved.
   */
  private accountState(address: string): SavedAccount | DeletedAccount | undefined {
    const a = this.svm.getAccount(address as Address);
    if (!a.exists) return { address, deleted: true };
    if (a.executable) return undefined;
    return {
      address,
      lamports: a.lamports.toString(),
      programAddress: a.programAddress,
      executable: a.executable,
      data: Buffer.from(a.data).toString('base64'),
    };
  }

  private restoreAccount(a: SavedAccount | DeletedAccount): void {
    if ('deleted' in a) {
      // LiteSVM treats an account with no lamports as absent.
      this.svm.setAccount({
        address: a.address as Address,
        lamports: lamports(0n),
        programAddress: SYSTEM_PROGRAM,
        executable: false,
        data: new Uint8Array(),
        space: 0n,
      });
      return;
    }
    const data = new Uint8Array(Buffer.from(a.data, 'base64'));
    this.svm.setAccount({
      address: a.address as Address,
      lamports: lamports(BigInt(a.lamports)),
      programAddress: a.programAddress as Address,
      executable: a.executable,
      data,
      space: BigInt(data.length),
    });
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

/** Flushes a directory's entries (a rename) to disk; not every platform can open a directory. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (err) {
    // Windows cannot open a directory to fsync it; the rename is still atomic there.
    if (process.platform !== 'win32') throw err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The wire transaction, its static account keys, its message version and its blockhash. */
function decode(wire: Uint8Array): { tx: Transaction; accountKeys: string[]; version: 0 | 1 | 'legacy'; blockhash: string } {
  let tx: Transaction;
  let message;
  try {
    tx = getTransactionDecoder().decode(wire) as Transaction;
    message = getCompiledTransactionMessageDecoder().decode(tx.messageBytes);
  } catch (cause) {
    throw new ChainError('failed to deserialize the transaction: not a valid wire-format transaction', { code: RPC_ERRORS.invalidParams, cause });
  }
  return { tx, accountKeys: message.staticAccounts.map(String), version: message.version, blockhash: message.lifetimeToken };
}

/** The transaction's id: its fee payer's signature, base58. A missing one fails verification (-32003). */
function feePayerSignature(tx: Transaction): string {
  const first = Object.values(tx.signatures)[0];
  if (!first) throw signatureFailure();
  return getBase58Decoder().decode(first);
}

export { formatUnits, TOKEN_PROGRAMS, type TokenBalance } from './token-balance.js';
