/**
 * @module Verifying that an order was paid, over Solana JSON-RPC (the localnet's or a real
 * cluster's) through @solana/kit's RPC client. The server created the order with a fresh reference key; every transaction that
 * mentions the reference is looked at (not only the oldest: anyone can put a reference into a
 * junk transaction first), and the first one that pays the recipient at least the amount, in the
 * right currency, carries the memo, succeeded, has reached the commitment asked for, and has not
 * already paid for another order, pays this one. "Not found", "not yet confirmed" and "invalid"
 * (with the reasons) are different answers.
 *
 * A validator lists a reference's transactions (`getSignaturesForAddress`) from `confirmed` on, so
 * a transaction that is only `processed` is invisible there. When the buyer's wallet has reported
 * its signature (a Solana Pay transaction request, a wallet adapter's `sendTransaction`), pass it
 * as `signature`: `getSignatureStatuses` sees processed transactions, and the answer is `pending`
 * rather than `not_found`.
 */
import {
  getBase58Encoder,
  type Address,
  type GetSignaturesForAddressApi,
  type GetSignatureStatusesApi,
  type GetTransactionApi,
  type Rpc,
  type Signature,
} from '@solana/kit';
import { SUPPORTED_MEMO_PROGRAM_ADDRESSES } from '@solana-program/memo';

/** What a payment must be. `mint` absent means SOL. */
export interface ExpectedPayment {
  recipient: string;
  /** Base units (lamports, or the token's smallest unit). */
  amount: bigint;
  mint?: string;
  reference: string;
  memo?: string;
}

export type Commitment = 'confirmed' | 'finalized';

/** A transaction that pays an order, with what the recipient received (base units) and when (Unix seconds, when known). */
export interface FoundPayment {
  signature: string;
  amount: bigint;
  blockTime: number | null;
}

export type PaymentCheck =
  | {
      status: 'paid';
      signature: string;
      slot: number;
      /** Unix seconds, when the node reports it. */
      blockTime: number | null;
      /** What the recipient received in this transaction (at least the amount asked). */
      amount: bigint;
      /** Later transactions that pay the same order in full again (at the commitment asked): owed back to the buyer. */
      extra: FoundPayment[];
    }
  | { status: 'not_found' }
  | { status: 'pending'; signature: string }
  | { status: 'invalid'; reasons: string[] };

/** One entry of `getSignatureStatuses`' value (null when the node does not know the signature). */
export interface SignatureStatus {
  slot: bigint;
  err: unknown;
  confirmationStatus: string | null;
}

/**
 * The RPC calls the check needs: `createSolanaRpc(url)` has them, and so has
 * `createSolanaRpcFromTransport(localnetTransport(net))` for the embedded chain, in process.
 */
export type PaymentRpc = Rpc<GetSignaturesForAddressApi & GetTransactionApi & GetSignatureStatusesApi>;

/** What the check reads of a `getTransaction` answer (json encoding); @solana/kit's answer has this shape. */
export interface RpcTransaction {
  slot: bigint;
  blockTime?: bigint | null;
  transaction: { message: { accountKeys: readonly string[]; instructions: ReadonlyArray<{ programIdIndex: number; data: string }> } };
  meta: {
    err: unknown;
    preBalances: readonly bigint[];
    postBalances: readonly bigint[];
    preTokenBalances?: ReadonlyArray<{ accountIndex: number; mint: string; owner?: string; uiTokenAmount: { amount: string } }>;
    postTokenBalances?: ReadonlyArray<{ accountIndex: number; mint: string; owner?: string; uiTokenAmount: { amount: string } }>;
  } | null;
}

/** The transaction `signature` at `confirmed` or above, as the check reads it; null when the node does not have it (yet). */
export async function readPaymentTransaction(rpc: PaymentRpc, signature: string): Promise<RpcTransaction | null> {
  return rpc.getTransaction(signature as Signature, { encoding: 'json', commitment: 'confirmed', maxSupportedTransactionVersion: 0 }).send();
}

/** `getSignatureStatuses` for one signature: it sees a transaction that is only processed, which `getTransaction` does not. */
export async function readSignatureStatus(rpc: PaymentRpc, signature: string): Promise<SignatureStatus | null> {
  const { value } = await rpc.getSignatureStatuses([signature as Signature]).send();
  return value[0] ?? null;
}

/** Every Memo program ever deployed (v1, v3, v4): a wallet may use any of them. */
const MEMO_PROGRAMS: readonly string[] = SUPPORTED_MEMO_PROGRAM_ADDRESSES;
const base58 = getBase58Encoder();

const RANK: Record<string, number> = { processed: 0, confirmed: 1, finalized: 2 };

/** What the recipient received in `tx`, in the expected currency (base units; 0 or less when nothing). */
export function receivedAmount(tx: RpcTransaction, expected: Pick<ExpectedPayment, 'recipient' | 'mint'>): bigint {
  const meta = tx.meta;
  if (!meta) return 0n;
  const keys = tx.transaction.message.accountKeys;
  if (expected.mint === undefined) {
    const i = keys.indexOf(expected.recipient);
    return i < 0 ? 0n : (meta.postBalances[i] ?? 0n) - (meta.preBalances[i] ?? 0n);
  }
  // A token payment lands in a token account the recipient owns, of the expected mint.
  const sum = (list: NonNullable<typeof meta.postTokenBalances>) =>
    list.filter((b) => b.mint === expected.mint && b.owner === expected.recipient).reduce((a, b) => a + BigInt(b.uiTokenAmount.amount), 0n);
  return sum(meta.postTokenBalances ?? []) - sum(meta.preTokenBalances ?? []);
}

/** Why one transaction does not pay the order (empty when it does). */
export function paymentProblems(tx: RpcTransaction, expected: ExpectedPayment): string[] {
  const problems: string[] = [];
  const meta = tx.meta;
  if (!meta) return ['the transaction has no status metadata'];
  if (meta.err !== null) problems.push('the transaction failed');
  const keys = tx.transaction.message.accountKeys;
  if (!keys.includes(expected.reference)) problems.push('the reference is not among its accounts');
  const received = receivedAmount(tx, expected);
  if (expected.mint !== undefined) {
    const otherMint = (meta.postTokenBalances ?? []).some((b) => b.owner === expected.recipient && b.mint !== expected.mint);
    if (received <= 0n && otherMint) problems.push('it pays the recipient in another token');
  }
  if (received <= 0n) problems.push('it pays the recipient nothing');
  else if (received < expected.amount) problems.push(`it pays ${received} base units, less than the ${expected.amount} asked`);
  if (expected.memo !== undefined) {
    // Read from the memo instruction itself: the memo program's log format differs by version.
    const memos = tx.transaction.message.instructions
      .filter((ix) => MEMO_PROGRAMS.includes(keys[ix.programIdIndex] ?? ''))
      .map((ix) => new TextDecoder().decode(base58.encode(ix.data) as Uint8Array));
    if (!memos.includes(expected.memo)) problems.push('the memo is missing or different');
  }
  return problems;
}

/**
 * Checks an order's payment. `alreadyUsed` says whether a signature already paid for another
 * order (the caller's store); such a transaction is skipped with that reason. `signature` is one
 * the buyer's wallet reported, looked at even before it is listed under the reference.
 */
export async function verifyPayment(
  rpc: PaymentRpc,
  expected: ExpectedPayment,
  opts: { commitment?: Commitment; alreadyUsed?: (signature: string) => boolean; signature?: string } = {},
): Promise<PaymentCheck> {
  const need = RANK[opts.commitment ?? 'confirmed'] as number;
  // Oldest first: of two valid payments, the earlier one is the one that paid.
  const listed = await rpc.getSignaturesForAddress(expected.reference as Address, { commitment: 'confirmed' }).send();
  const candidates: Array<{ signature: string; err: unknown; confirmationStatus: string | null }> = [...listed].reverse();
  const reasons: string[] = [];
  let pending: string | undefined;
  const hint = opts.signature;
  if (hint !== undefined && !candidates.some((c) => c.signature === hint)) {
    const status = await readSignatureStatus(rpc, hint);
    if (status && status.err !== null) reasons.push(`${hint}: the transaction failed`);
    else if (status && (RANK[status.confirmationStatus ?? 'processed'] ?? 0) < (RANK.confirmed as number)) pending = hint;
    else if (status) candidates.push({ signature: hint, err: status.err, confirmationStatus: status.confirmationStatus });
  }
  if (candidates.length === 0)
    return pending ? { status: 'pending', signature: pending } : reasons.length > 0 ? { status: 'invalid', reasons } : { status: 'not_found' };
  let paid: Extract<PaymentCheck, { status: 'paid' }> | undefined;
  for (const c of candidates) {
    if (opts.alreadyUsed?.(c.signature)) {
      if (!paid) reasons.push(`${c.signature}: already paid for another order`);
      continue;
    }
    const tx = await readPaymentTransaction(rpc, c.signature);
    if (!tx) {
      if (!paid) pending ??= c.signature;
      continue;
    }
    const problems = paymentProblems(tx, expected);
    if (problems.length > 0) {
      if (!paid) reasons.push(`${c.signature}: ${problems.join('; ')}`);
      continue;
    }
    if ((RANK[c.confirmationStatus ?? 'processed'] ?? 0) < need) {
      if (!paid) pending ??= c.signature;
      continue;
    }
    // The oldest valid payment pays; any later one paid the same order again.
    const blockTime = tx.blockTime == null ? null : Number(tx.blockTime);
    if (paid) paid.extra.push({ signature: c.signature, amount: receivedAmount(tx, expected), blockTime });
    else paid = { status: 'paid', signature: c.signature, slot: Number(tx.slot), blockTime, amount: receivedAmount(tx, expected), extra: [] };
  }
  if (paid) return paid;
  if (pending) return { status: 'pending', signature: pending };
  return { status: 'invalid', reasons };
}
