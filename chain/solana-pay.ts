/**
 * @module Solana Pay URLs, per the Solana Pay specification: transfer requests
 * (`solana:<recipient>?amount=…&spl-token=…&reference=…&label=…&message=…&memo=…`) and
 * transaction requests (`solana:<https link>`). Amounts are decimal strings in the currency's
 * own units ("0.01" SOL, "1.5" USDC), never scientific notation, with no more fraction digits
 * than the currency has; we hold amounts as integers of base units and convert at the edge.
 */
import { address as toAddress, type Address } from '@solana/kit';
import { ChainError, RPC_ERRORS } from './errors.js';
import { formatUnits } from './token-balance.js';

export interface TransferRequest {
  kind: 'transfer';
  recipient: Address;
  /** Base units (lamports, or the token's smallest unit); undefined lets the wallet ask. */
  amount?: bigint;
  /** The SPL token mint; absent for SOL. */
  splToken?: Address;
  references: Address[];
  label?: string;
  message?: string;
  memo?: string;
}

export interface TransactionRequest {
  kind: 'transaction';
  link: string;
}

/** SOL has 9 decimals; a token's come from its mint. */
export const SOL_DECIMALS = 9;

const AMOUNT = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;

function bad(message: string): never {
  throw new ChainError(`invalid Solana Pay URL: ${message}`, { code: RPC_ERRORS.invalidParams });
}

function addressOf(value: string, what: string): Address {
  try {
    return toAddress(value);
  } catch {
    return bad(`${what} is not a base58 public key`);
  }
}

/** "1.5" with 6 decimals → 1500000n. */
export function parseUnits(amount: string, decimals: number): bigint {
  if (!AMOUNT.test(amount)) bad(`amount "${amount}" is not a non-negative decimal number`);
  const [whole, fraction = ''] = amount.split('.') as [string, string?];
  if (fraction.length > decimals) bad(`amount "${amount}" has more than ${decimals} decimal places`);
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

/** A transfer request URL. `decimals` is the currency's (9 for SOL, the mint's for a token). */
export function encodeTransferRequest(req: Omit<TransferRequest, 'kind'>, decimals = SOL_DECIMALS): string {
  const params: string[] = [];
  if (req.amount !== undefined) params.push(`amount=${formatUnits(req.amount, decimals)}`);
  if (req.splToken) params.push(`spl-token=${req.splToken}`);
  for (const r of req.references) params.push(`reference=${r}`);
  if (req.label !== undefined) params.push(`label=${encodeURIComponent(req.label)}`);
  if (req.message !== undefined) params.push(`message=${encodeURIComponent(req.message)}`);
  if (req.memo !== undefined) params.push(`memo=${encodeURIComponent(req.memo)}`);
  return `solana:${req.recipient}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}

/** A transaction request URL: the link, URL-encoded when it has a query string, as the spec says. */
export function encodeTransactionRequest(link: string): string {
  const url = new URL(link);
  if (url.protocol !== 'https:') bad('a transaction request link must be https');
  return `solana:${url.search ? encodeURIComponent(link) : link}`;
}

/**
 * Parses either kind. For a transfer request the amount is converted with `decimals` (9 for SOL;
 * pass the mint's decimals when the URL names an spl-token).
 */
export function parseSolanaPayUrl(url: string, decimals = SOL_DECIMALS): TransferRequest | TransactionRequest {
  if (!url.startsWith('solana:')) bad('it must start with "solana:"');
  const rest = url.slice('solana:'.length);
  const decoded = rest.startsWith('https%3A') || rest.startsWith('https%3a') ? decodeURIComponent(rest) : rest;
  if (decoded.startsWith('https:')) return { kind: 'transaction', link: new URL(decoded).toString() };
  const q = rest.indexOf('?');
  const recipient = addressOf(q < 0 ? rest : rest.slice(0, q), 'the recipient');
  // decodeURIComponent, as the spec tells wallets to: a "+" is a plus sign, not a space.
  const params = new Map<string, string[]>();
  for (const pair of (q < 0 ? '' : rest.slice(q + 1)).split('&').filter((p) => p.length > 0)) {
    const eq = pair.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
      value = decodeURIComponent(eq < 0 ? '' : pair.slice(eq + 1));
    } catch {
      return bad(`"${pair}" is not URL-encoded UTF-8`);
    }
    params.set(name, [...(params.get(name) ?? []), value]);
  }
  const getAll = (name: string) => params.get(name) ?? [];
  const single = (name: string) => {
    const all = getAll(name);
    if (all.length > 1) bad(`${name} appears more than once`);
    return all[0];
  };
  const amount = single('amount');
  const splToken = single('spl-token');
  const label = single('label');
  const message = single('message');
  const memo = single('memo');
  return {
    kind: 'transfer',
    recipient,
    ...(amount !== undefined ? { amount: parseUnits(amount, decimals) } : {}),
    ...(splToken !== undefined ? { splToken: addressOf(splToken, 'spl-token') } : {}),
    references: getAll('reference').map((r) => addressOf(r, 'a reference')),
    ...(label !== undefined ? { label } : {}),
    ...(message !== undefined ? { message } : {}),
    ...(memo !== undefined ? { memo } : {}),
  };
}
