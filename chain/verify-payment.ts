/**
 * @module Verifying that an order was paid, over Solana JSON-RPC (the localnet's or a real
 * cluster's). The server created the order with a fresh reference key; every transaction that
 * mentions the reference is looked at (not only the oldest: anyone can put a reference into a
 * junk transaction first), and the first one that pays the recipient at least the amount, in the
 * right currency, carries the memo, succeeded, has reached the commitment asked for, and has not
 * already paid for another order, pays this one. "Not found", "not yet confirmed" and "invalid"
 * (with the reasons) are different answers.
 */
import { getBase58Encoder } from '@solana/kit';

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

export type PaymentCheck =
  | { status: 'paid'; signature: string; slot: number }
  | { status: 'not_found' }
  | { status: 'pending'; signature: string }
  | { status: 'invalid'; reasons: string[] };

/** The JSON-RPC calls the check needs; `rpcClient(url)` provides them over HTTP. */
export interface PaymentRpc {
  getSignaturesForAddress(address: string): Promise<Array<{ signature: string; err: unknown; confirmationStatus: string | null }>>;
  getTransaction(signature: string): Promise<RpcTransaction | null>;
}

export interface RpcTransaction {
  slot: number;
  transaction: { message: { accountKeys: string[]; instructions: Array<{ programIdIndex: number; data: string }> } };
  meta: {
    err: unknown;
    preBalances: number[];
    postBalances: number[];
    preTokenBalances?: Array<{ accountIndex: number; mint: string; owner?: string; uiTokenAmount: { amount: string } }>;
    postTokenBalances?: Array<{ accountIndex: number; mint: string; owner?: string; uiTokenAmount: { amount: string } }>;
  } | null;
}

/** SPL Memo v1 and v2/v3 program ids. */
const MEMO_PROGRAMS = ['Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo', 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr'];
const base58 = getBase58Encoder();

const RANK: Record<string, number> = { processed: 0, confirmed: 1, finalized: 2 };

/** Why one transaction does not pay the order (empty when it does). */
export function paymentProblems(tx: RpcTransaction, expected: ExpectedPayment): string[] {
  const problems: string[] = [];
  const meta = tx.meta;
  if (!meta) return ['the transaction has no status metadata'];
  if (meta.err !== null) problems.push('the transaction failed');
  const keys = tx.transaction.message.accountKeys;
  if (!keys.includes(expected.reference)) problems.push('the reference is not among its accounts');
  let received: bigint;
  if (expected.mint === undefined) {
    const i = keys.indexOf(expected.recipient);
    received = i < 0 ? 0n : BigInt(meta.postBalances[i] ?? 0) - BigInt(meta.preBalances[i] ?? 0);
  } else {
    // A token payment lands in a token account the recipient owns, of the expected mint.
    const sum = (list: NonNullable<typeof meta.postTokenBalances>) =>
      list.filter((b) => b.mint === expected.mint && b.owner === expected.recipient).reduce((a, b) => a + BigInt(b.uiTokenAmount.amount), 0n);
    received = sum(meta.postTokenBalances ?? []) - sum(meta.preTokenBalances ?? []);
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
 * order (the caller's store); such a transaction is skipped with that reason.
 */
export async function verifyPayment(
  rpc: PaymentRpc,
  expected: ExpectedPayment,
  opts: { commitment?: Commitment; alreadyUsed?: (signature: string) => boolean } = {},
): Promise<PaymentCheck> {
  const need = RANK[opts.commitment ?? 'confirmed'] as number;
  const candidates = await rpc.getSignaturesForAddress(expected.reference);
  if (candidates.length === 0) return { status: 'not_found' };
  const reasons: string[] = [];
  let pending: string | undefined;
  // Oldest first: of two valid payments, the earlier one is the one that paid.
  for (const c of [...candidates].reverse()) {
    if (opts.alreadyUsed?.(c.signature)) {
      reasons.push(`${c.signature}: already paid for another order`);
      continue;
    }
    const tx = await rpc.getTransaction(c.signature);
    if (!tx) {
      pending ??= c.signature;
      continue;
    }
    const problems = paymentProblems(tx, expected);
    if (problems.length > 0) {
      reasons.push(`${c.signature}: ${problems.join('; ')}`);
      continue;
    }
    if ((RANK[c.confirmationStatus ?? 'processed'] ?? 0) < need) {
      pending ??= c.signature;
      continue;
    }
    return { status: 'paid', signature: c.signature, slot: tx.slot };
  }
  if (pending) return { status: 'pending', signature: pending };
  return { status: 'invalid', reasons };
}

/** A `PaymentRpc` over Solana JSON-RPC at `url` (the localnet's /solana, or a cluster). */
export function rpcClient(url: string, fetchImpl: typeof fetch = fetch): PaymentRpc {
  let id = 0;
  const call = async <T>(method: string, params: unknown[]): Promise<T> => {
    const res = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) });
    const body = (await res.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };
  return {
    getSignaturesForAddress: (address) => call('getSignaturesForAddress', [address, { commitment: 'confirmed' }]),
    getTransaction: (signature) => call('getTransaction', [signature, { encoding: 'json', commitment: 'confirmed', maxSupportedTransactionVersion: 0 }]),
  };
}
