/**
 * @module Solana JSON-RPC over the localnet, with the response shapes the Solana RPC documents, so
 * `createSolanaRpc` from @solana/kit (or any wallet) talks to it as to devnet. Handles single and
 * batch requests; a bad request is a JSON-RPC error object, never a thrown exception. Commitment
 * is honoured as a validator does, with the documented default of `finalized`: history methods
 * hide transactions below the level asked, and slot methods answer the slot at that level.
 * Account reads answer from the newest bank at every level (LiteSVM keeps no older banks).
 */
import { address as toAddress, getBase58Decoder, getCompiledTransactionMessageDecoder, getTransactionDecoder, type Address } from '@solana/kit';
import { decodeBase58, maxBase58Length } from './base58.js';
import { ChainError, RPC_ERRORS } from './errors.js';
import type { Localnet, TransactionRecord } from './localnet.js';
import type { CommitmentLevel } from './slot-clock.js';

interface JsonRpcRequest {
  jsonrpc?: string;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

type Handler = (net: Localnet, params: unknown[]) => unknown;

const b58 = getBase58Decoder();

function param<T>(params: unknown[], i: number, name: string, check: (v: unknown) => v is T): T {
  const v = params[i];
  if (!check(v)) throw new ChainError(`Invalid params: ${name} is missing or has the wrong type`, { code: RPC_ERRORS.invalidParams });
  return v;
}
const isString = (v: unknown): v is string => typeof v === 'string';
/** A client's value as an error message may quote it: never more than a short prefix. */
const shown = (v: unknown): string => {
  const text = String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const config = (params: unknown[], i: number): Record<string, unknown> =>
  params[i] && typeof params[i] === 'object' ? (params[i] as Record<string, unknown>) : {};

function addressParam(params: unknown[], i: number, name = 'address'): Address {
  const v = param(params, i, name, isString);
  try {
    return toAddress(v);
  } catch {
    throw new ChainError(`Invalid params: ${name} is not a base58 public key`, { code: RPC_ERRORS.invalidParams });
  }
}

/** The largest transaction a validator accepts: an IPv6 packet's payload (agave `PACKET_DATA_SIZE`). */
export const MAX_TRANSACTION_BYTES = 1232;
const MAX_BASE64_CHARS = Math.ceil(MAX_TRANSACTION_BYTES / 3) * 4;

/**
 * The transaction bytes of `sendTransaction` / `simulateTransaction` (base64 or base58 per
 * `encoding`). The text's length is checked before it is decoded, as agave does, so an oversized
 * transaction costs nothing to refuse.
 */
function wireParam(params: unknown[]): Uint8Array {
  const encoded = param(params, 0, 'transaction', isString);
  const encoding = config(params, 1).encoding ?? 'base58';
  const tooLarge = (max: number) =>
    new ChainError(
      `Invalid params: ${encoding} encoded transaction too large: ${encoded.length} characters (max: encoded/raw ${max}/${MAX_TRANSACTION_BYTES})`,
      { code: RPC_ERRORS.invalidParams },
    );
  if (encoding === 'base64') {
    if (encoded.length > MAX_BASE64_CHARS) throw tooLarge(MAX_BASE64_CHARS);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded))
      throw new ChainError('Invalid params: the transaction is not valid base64', { code: RPC_ERRORS.invalidParams });
    return new Uint8Array(Buffer.from(encoded, 'base64'));
  }
  if (encoding === 'base58') {
    if (encoded.length > maxBase58Length(MAX_TRANSACTION_BYTES)) throw tooLarge(maxBase58Length(MAX_TRANSACTION_BYTES));
    const bytes = decodeBase58(encoded, MAX_TRANSACTION_BYTES);
    if (!bytes) throw new ChainError('Invalid params: the transaction is not valid base58', { code: RPC_ERRORS.invalidParams });
    return bytes;
  }
  throw new ChainError(`Invalid params: unsupported encoding ${shown(encoding)}`, { code: RPC_ERRORS.invalidParams });
}

/** Slots per epoch on mainnet and devnet (agave `DEFAULT_SLOTS_PER_EPOCH`). */
const SLOTS_PER_EPOCH = 432_000;

/** agave `MAX_GET_SIGNATURE_STATUSES_QUERY_ITEMS`. */
const MAX_SIGNATURE_STATUSES = 256;

const COMMITMENTS: readonly string[] = ['processed', 'confirmed', 'finalized'];

/** The request's `commitment` (in the config object at `i`); the RPC's documented default is finalized. */
function commitmentParam(params: unknown[], i: number): CommitmentLevel {
  const c = config(params, i).commitment ?? 'finalized';
  if (typeof c !== 'string' || !COMMITMENTS.includes(c))
    throw new ChainError(`Invalid params: commitment ${shown(c)} is not processed, confirmed or finalized`, { code: RPC_ERRORS.invalidParams });
  return c as CommitmentLevel;
}

/** History methods start at `confirmed`, as on a validator: processed transactions may still be dropped. */
function historyCommitment(params: unknown[], i: number): CommitmentLevel {
  const c = commitmentParam(params, i);
  if (c === 'processed') throw new ChainError('Method does not support commitment below `confirmed`', { code: RPC_ERRORS.invalidParams });
  return c;
}

const context = (net: Localnet, params: unknown[] = [], i = 0) => ({ slot: net.slotAt(commitmentParam(params, i)), apiVersion: '2.2.0' });

/** `getSignatureStatuses`' `confirmations`: slots since, or null once rooted (finalized). */
function confirmations(net: Localnet, r: TransactionRecord): number | null {
  return net.commitmentOf(r.slot) === 'finalized' ? null : net.currentSlot - r.slot;
}

function statusOf(r: TransactionRecord) {
  return r.err === null ? { Ok: null } : { Err: r.err };
}

/** `getTransaction`'s `transaction` field: base64 wire bytes, or the decoded message (json). */
function encodeTransaction(r: TransactionRecord, encoding: unknown) {
  if (encoding === 'base64') return [r.wire, 'base64'];
  if (encoding === 'base58') return [b58.decode(Buffer.from(r.wire, 'base64')), 'base58'];
  const tx = getTransactionDecoder().decode(Buffer.from(r.wire, 'base64'));
  const m = getCompiledTransactionMessageDecoder().decode(tx.messageBytes);
  if (!('instructions' in m)) {
    throw new ChainError('this transaction message version is served in base64 encoding only', { code: RPC_ERRORS.invalidParams });
  }
  return {
    signatures: Object.values(tx.signatures).map((s) => (s ? b58.decode(s) : null)),
    message: {
      accountKeys: m.staticAccounts,
      header: m.header,
      recentBlockhash: m.lifetimeToken,
      instructions: m.instructions.map((ix) => ({
        programIdIndex: ix.programAddressIndex,
        accounts: ix.accountIndices ?? [],
        data: b58.decode(ix.data ?? new Uint8Array()),
        stackHeight: null,
      })),
      ...(m.version === 0 ? { addressTableLookups: m.addressTableLookups ?? [] } : {}),
    },
  };
}

const HANDLERS: Record<string, Handler> = {
  getHealth: () => 'ok',
  getVersion: () => ({ 'solana-core': '2.2.0', 'feature-set': 0 }),
  getSlot: (net, p) => net.slotAt(commitmentParam(p, 0)),
  getBlockHeight: (net, p) => net.slotAt(commitmentParam(p, 0)),
  getEpochInfo: (net, p) => {
    const slot = net.slotAt(commitmentParam(p, 0));
    return {
      absoluteSlot: slot,
      blockHeight: slot,
      epoch: Math.floor(slot / SLOTS_PER_EPOCH),
      slotIndex: slot % SLOTS_PER_EPOCH,
      slotsInEpoch: SLOTS_PER_EPOCH,
      transactionCount: null,
    };
  },
  getLatestBlockhash: (net, p) => ({ context: context(net, p), value: net.latestBlockhash() }),
  isBlockhashValid: (net, p) => ({ context: context(net, p, 1), value: net.isBlockhashValid(param(p, 0, 'blockhash', isString)) }),
  getBalance: (net, p) => ({ context: context(net, p, 1), value: Number(net.balance(addressParam(p, 0))) }),
  getMinimumBalanceForRentExemption: (net, p) => Number(net.minimumBalanceForRentExemption(param(p, 0, 'data length', isNumber))),
  requestAirdrop: (net, p) => net.airdrop(addressParam(p, 0), BigInt(param(p, 1, 'lamports', (v): v is number => isNumber(v) && Number.isSafeInteger(v)))),
  getAccountInfo: (net, p) => {
    const account = net.account(addressParam(p, 0));
    const encoding = config(p, 1).encoding ?? 'base64';
    if (encoding !== 'base64' && encoding !== 'base58')
      throw new ChainError(`Invalid params: unsupported encoding ${shown(encoding)}`, { code: RPC_ERRORS.invalidParams });
    if (!account.exists) return { context: context(net, p, 1), value: null };
    const data = account.data as Uint8Array;
    return {
      context: context(net, p, 1),
      value: {
        data: encoding === 'base64' ? [Buffer.from(data).toString('base64'), 'base64'] : [b58.decode(data), 'base58'],
        executable: account.executable,
        lamports: Number(account.lamports),
        owner: account.programAddress,
        rentEpoch: 0,
        space: data.length,
      },
    };
  },
  sendTransaction: (net, p) => net.send(wireParam(p), { skipPreflight: config(p, 1).skipPreflight === true }).signature,
  getTokenAccountBalance: (net, p) => {
    const b = net.tokenBalance(addressParam(p, 0));
    if (!b) throw new ChainError('Invalid param: not a Token account', { code: RPC_ERRORS.invalidParams });
    return { context: context(net, p, 1), value: { amount: b.amount, decimals: b.decimals, uiAmount: b.uiAmount, uiAmountString: b.uiAmountString } };
  },
  simulateTransaction: (net, p) => {
    const cfg = config(p, 1);
    const r = net.simulate(wireParam(p), { sigVerify: cfg.sigVerify === true, replaceRecentBlockhash: cfg.replaceRecentBlockhash === true });
    if (cfg.sigVerify === true && r.err === 'SignatureFailure')
      throw new ChainError('Transaction signature verification failure', { code: RPC_ERRORS.signatureVerificationFailure });
    return {
      context: context(net, p, 1),
      value: {
        err: r.err,
        logs: r.logs,
        accounts: null,
        unitsConsumed: r.unitsConsumed,
        returnData: null,
        replacementBlockhash: r.replacementBlockhash ?? null,
      },
    };
  },
  getSignatureStatuses: (net, p) => {
    const signatures = param(p, 0, 'signatures', (v): v is string[] => Array.isArray(v) && v.every(isString));
    if (signatures.length > MAX_SIGNATURE_STATUSES)
      throw new ChainError(`Invalid params: too many inputs provided; max ${MAX_SIGNATURE_STATUSES}`, { code: RPC_ERRORS.invalidParams });
    return {
      context: context(net),
      value: signatures.map((s) => {
        const r = net.transaction(s);
        return r ? { slot: r.slot, confirmations: confirmations(net, r), err: r.err, status: statusOf(r), confirmationStatus: net.commitmentOf(r.slot) } : null;
      }),
    };
  },
  getTransaction: (net, p) => {
    const r = net.transaction(param(p, 0, 'signature', isString), historyCommitment(p, 1));
    if (!r) return null;
    const cfg = config(p, 1);
    if (r.version === 0 && cfg.maxSupportedTransactionVersion === undefined) {
      throw new ChainError(
        'Transaction version (0) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
        { code: RPC_ERRORS.unsupportedTransactionVersion },
      );
    }
    return {
      slot: r.slot,
      blockTime: r.blockTime,
      ...(cfg.maxSupportedTransactionVersion !== undefined ? { version: r.version } : {}),
      transaction: r.wire ? encodeTransaction(r, cfg.encoding ?? 'json') : null,
      meta: {
        err: r.err,
        status: statusOf(r),
        fee: r.fee,
        preBalances: r.preBalances,
        postBalances: r.postBalances,
        innerInstructions: [],
        logMessages: r.logs,
        preTokenBalances: r.preTokenBalances ?? [],
        postTokenBalances: r.postTokenBalances ?? [],
        rewards: [],
        loadedAddresses: { writable: [], readonly: [] },
        computeUnitsConsumed: r.computeUnits,
      },
    };
  },
  getSignaturesForAddress: (net, p) => {
    const who = addressParam(p, 0);
    const cfg = config(p, 1);
    const limit = typeof cfg.limit === 'number' ? Math.min(1000, Math.max(1, cfg.limit)) : 1000;
    let list = net.signaturesFor(who, historyCommitment(p, 1));
    if (typeof cfg.before === 'string') {
      const i = list.findIndex((r) => r.signature === cfg.before);
      list = i >= 0 ? list.slice(i + 1) : list;
    }
    if (typeof cfg.until === 'string') {
      const i = list.findIndex((r) => r.signature === cfg.until);
      list = i >= 0 ? list.slice(0, i) : list;
    }
    return list
      .slice(0, limit)
      .map((r) => ({ signature: r.signature, slot: r.slot, err: r.err, memo: null, blockTime: r.blockTime, confirmationStatus: net.commitmentOf(r.slot) }));
  },
};

/** Answers one JSON-RPC request object. */
function answer(net: Localnet, req: JsonRpcRequest): object {
  const id = req.id ?? null;
  if (typeof req !== 'object' || req === null || req.jsonrpc !== '2.0' || typeof req.method !== 'string') {
    return { jsonrpc: '2.0', id, error: { code: RPC_ERRORS.invalidRequest, message: 'Invalid request' } };
  }
  const handler = HANDLERS[req.method];
  if (!handler) return { jsonrpc: '2.0', id, error: { code: RPC_ERRORS.methodNotFound, message: `Method not found: ${shown(req.method)}` } };
  try {
    const params = Array.isArray(req.params) ? req.params : [];
    return { jsonrpc: '2.0', id, result: handler(net, params) };
  } catch (err) {
    if (err instanceof ChainError)
      return { jsonrpc: '2.0', id, error: { code: err.code, message: err.message, ...(err.data !== undefined ? { data: err.data } : {}) } };
    return { jsonrpc: '2.0', id, error: { code: RPC_ERRORS.internal, message: 'Internal error' } };
  }
}

/** A parsed JSON-RPC body, or the parse error to answer with. */
export type JsonRpcBody = { ok: true; value: unknown } | { ok: false };

/** Parses a request body; how many calls it holds (a batch's length, else 1) is `jsonRpcCallCount`. */
export function parseJsonRpcBody(body: string): JsonRpcBody {
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The calls a parsed body asks for: a batch costs as many as it holds. */
export function jsonRpcCallCount(body: JsonRpcBody): number {
  return body.ok && Array.isArray(body.value) ? Math.max(1, body.value.length) : 1;
}

/** Answers a parsed body (a single request or a batch) with the JSON text to send back. */
export function answerJsonRpc(net: Localnet, body: JsonRpcBody): string {
  if (!body.ok) return JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: RPC_ERRORS.parse, message: 'Parse error' } });
  const parsed = body.value;
  const out = Array.isArray(parsed) ? parsed.map((r) => answer(net, r as JsonRpcRequest)) : answer(net, parsed as JsonRpcRequest);
  return JSON.stringify(out, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}

/** Answers a request body (a single request or a batch) with the JSON text to send back. */
export function handleJsonRpc(net: Localnet, body: string): string {
  return answerJsonRpc(net, parseJsonRpcBody(body));
}

export const RPC_METHODS = Object.keys(HANDLERS);
