/**
 * @module Verifying that an order was paid, over Solana JSON-RPC (the localnet's or a real
 * cluster's). The server created the order with a fresh reference key; every transaction that
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
import { getBase58Encoder, type RpcTransport } from '@solana/kit';
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
  slot: number;
  err: unknown;
  confirmationStatus: string | null;
}

/** The JSON-RPC calls the check needs; `rpcClient(url)` provides them over HTTP. */
export interface PaymentRpc {
  getSignaturesForAddress(address: string): Promise<Array<{ signature: string; err: unknown; confirmationStatus: string | null }>>;
  getTransaction(signature: string): Promise<RpcTransaction | null>;
  /** Needed only to check a `signature` the wallet reported. */
  getSignatureStatuses?(signatures: string[]): Promise<Array<SignatureStatus | null>>;
}

export interface RpcTransaction {
  slot: number;
  blockTime?: number | null;
  transaction: { message: { accountKeys: string[]; instructions: Array<{ programIdIndex: number; data: string }> } };
  meta: {
    err: unknown;
    preBalances: number[];
    postBalances: number[];
    preTokenBalances?: Array<{ accountIndex: number; mint: string; owner?: string; uiTokenAmount: { amount: string } }>;
    postTokenBalances?: Array<{ accountIndex: number; mint: string; owner?: string; uiTokenAmount: { amount: string } }>;
  } | null;
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
    return i < 0 ? 0n : BigInt(meta.postBalances[i] ?? 0) - BigInt(meta.preBalances[i] ?? 0);
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
  const candidates = [...(await rpc.getSignaturesForAddress(expected.reference))].reverse();
  const reasons: string[] = [];
  let pending: string | undefined;
  const hint = opts.signature;
  if (hint !== undefined && !candidates.some((c) => c.signature === hint) && rpc.getSignatureStatuses) {
    const [status] = await rpc.getSignatureStatuses([hint]);
    if (status && status.err !== null) reasons.push(`${hint}: the transaction failed`);
    else if (status && (RANK[status.confirmationStatus ?? 'processed'] ?? 0) < (RANK.confirmed as number)) pending = hint;
    else if (status) candidates.push({ signature: hint, err: status.err, confirmationStatus: status.confirmationStatus });
  }
  if (candidates.length === 0) return pending ? { status: 'pending', signature: pending } : reasons.length > 0 ? { status: 'invalid', reasons } : { status: 'not_found' };
  let paid: Extract<PaymentCheck, { status: 'paid' }> | undefined;
  for (const c of candidates) {
    if (opts.alreadyUsed?.(c.signature)) {
      if (!paid) reasons.push(`${c.signature}: already paid for another order`);
      continue;
    }
    const tx = await rpc.getTransaction(c.signature);
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
    if (paid) paid.extra.push({ signature: c.signature, amount: receivedAmount(tx, expected), blockTime: tx.blockTime ?? null });
    else paid = { status: 'paid', signature: c.signature, slot: tx.slot, blockTime: tx.blockTime ?? null, amount: receivedAmount(tx, expected), extra: [] };
  }
  if (paid) return paid;
  if (pending) return { status: 'pending', signature: pending };
  return { status: 'invalid', reasons };
}

/**
 * A `PaymentRpc` over Solana JSON-RPC: at a URL (the localnet's /solana, or a cluster), or
 * through a transport (`localnetTransport` for the embedded chain, in process).
 */
export function rpcClient(target: string | RpcTransport, fetchImpl: typeof fetch = fetch): PaymentRpc {
  let id = 0;
  const send =
    typeof target === 'string'
      ? async (payload: unknown): Promise<unknown> => {
          const res = await fetchImpl(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
          return res.json();
        }
      : (payload: unknown): Promise<unknown> => target({ payload });
  const call = async <T>(method: string, params: unknown[]): Promise<T> => {
    const body = (await send({ jsonrpc: '2.0', id: ++id, method, params })) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };
  return {
    getSignaturesForAddress: (address) => call('getSignaturesForAddress', [address, { commitment: 'confirmed' }]),
    getTransaction: (signature) => call('getTransaction', [signature, { encoding: 'json', commitment: 'confirmed', maxSupportedTransactionVersion: 0 }]),
    getSignatureStatuses: async (signatures) => (await call<{ value: Array<SignatureStatus | null> }>('getSignatureStatuses', [signatures])).value,
  };
}
