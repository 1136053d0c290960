/**
 * @module A dataset's listing in the marketplace: title, tags, owner wallet, price, status and
 * private columns. A listing belongs to a slug, so every version shares it and a new version
 * inherits it. This file owns its types and the rules a patch must follow.
 */
import { InvalidListingError } from './errors.js';

export const LISTING_STATUSES = ['draft', 'listed', 'delisted'] as const;
/** `draft` is never shown to buyers; `listed` is; `delisted` keeps past buyers' access but hides it. */
export type ListingStatus = (typeof LISTING_STATUSES)[number];

export const CURRENCIES = ['SOL', 'SPL'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** A price in base units: lamports for SOL, the token's smallest unit for an SPL `mint`. */
export interface Price {
  amount: bigint;
  currency: Currency;
  /** The SPL token mint (base58); null for SOL. */
  mint: string | null;
}

/** The stored listing of a slug. Null fields fall back to the version's manifest. */
export interface Listing {
  title: string | null;
  description: string | null;
  tags: string[];
  owner: string | null;
  price: Price | null;
  status: ListingStatus;
  privateColumns: string[];
  updatedAt: string | null;
}

/** The fields `publish` and `updateListing` may set; an absent field keeps its value. */
export interface ListingPatch {
  title?: string;
  description?: string;
  tags?: string[];
  /** Null takes the dataset off sale. */
  price?: Price | null;
  status?: ListingStatus;
  privateColumns?: string[];
  owner?: string | null;
}

/** What a slug without a stored listing looks like. */
export const DEFAULT_LISTING: Listing = Object.freeze({
  title: null,
  description: null,
  tags: [],
  owner: null,
  price: null,
  status: 'draft',
  privateColumns: [],
  updatedAt: null,
}) as Listing;

const MAX_TITLE_CHARS = 200;
const MAX_DESCRIPTION_CHARS = 20_000;
const MAX_TAGS = 20;
const MAX_TAG_CHARS = 40;
const TAG = /^[\p{L}\p{N}][\p{L}\p{N} ._+-]*$/u;
/** SPL token amounts are u64 (spl-token `Mint.supply`); lamports are u64 too. */
const MAX_AMOUNT = (1n << 64n) - 1n;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/;

/**
 * Applies `patch` to `base` after checking every field. `ref` names the dataset in messages;
 * `columns` are the columns of the version the patch targets. Values never appear in messages
 * (a wallet can identify a person); the rule and the field do.
 */
export function applyListingPatch(base: Listing, patch: ListingPatch, ctx: { ref: string; columns: string[]; now: string }): Listing {
  const bad = (rule: string) => new InvalidListingError(`dataset ${ctx.ref}: ${rule}`);
  const next: Listing = { ...base, updatedAt: ctx.now };
  if (patch.title !== undefined) {
    const title = typeof patch.title === 'string' ? patch.title.trim() : '';
    if (!title || title.length > MAX_TITLE_CHARS) throw bad(`title must be 1 to ${MAX_TITLE_CHARS} characters`);
    next.title = title;
  }
  if (patch.description !== undefined) {
    if (typeof patch.description !== 'string' || patch.description.length > MAX_DESCRIPTION_CHARS) {
      throw bad(`description must be a string of at most ${MAX_DESCRIPTION_CHARS} characters`);
    }
    next.description = patch.description.trim();
  }
  if (patch.tags !== undefined) next.tags = normalizeTags(patch.tags, bad);
  if (patch.owner !== undefined) {
    if (patch.owner !== null && !isSolanaAddress(patch.owner)) throw bad('owner is not a base58 Solana address (32 bytes)');
    next.owner = patch.owner;
  }
  if (patch.price !== undefined) next.price = patch.price === null ? null : checkPrice(patch.price, bad);
  if (patch.status !== undefined) {
    if (!LISTING_STATUSES.includes(patch.status)) throw bad(`status must be one of ${LISTING_STATUSES.join(', ')}`);
    next.status = patch.status;
  }
  if (patch.privateColumns !== undefined) {
    if (!Array.isArray(patch.privateColumns)) throw bad('privateColumns must be a list of column names');
    const known = new Set(ctx.columns);
    for (const c of patch.privateColumns) {
      if (!known.has(c)) throw bad(`private column "${c}" does not exist (columns: ${ctx.columns.join(', ')})`);
    }
    next.privateColumns = [...new Set(patch.privateColumns)];
  }
  // Whoever is paid must be known before buyers can pay.
  if (next.status === 'listed' && next.price && !next.owner) throw bad('a listed dataset with a price needs an owner wallet to be paid');
  return next;
}

/** Lowercased, trimmed, de-duplicated tags, in the order given. */
function normalizeTags(tags: unknown, bad: (rule: string) => Error): string[] {
  if (!Array.isArray(tags)) throw bad('tags must be a list of strings');
  const out = new Set<string>();
  for (const t of tags) {
    const tag = typeof t === 'string' ? t.trim().toLowerCase() : '';
    if (!tag || tag.length > MAX_TAG_CHARS || !TAG.test(tag)) {
      throw bad(`tag "${String(t).slice(0, MAX_TAG_CHARS)}" must be 1 to ${MAX_TAG_CHARS} letters, digits, spaces or ._+- starting with a letter or digit`);
    }
    out.add(tag);
  }
  if (out.size > MAX_TAGS) throw bad(`at most ${MAX_TAGS} tags, got ${out.size}`);
  return [...out];
}

function checkPrice(price: Price, bad: (rule: string) => Error): Price {
  if (typeof price !== 'object' || price === null) throw bad('price must be { amount, currency, mint } or null');
  if (typeof price.amount !== 'bigint' || price.amount <= 0n || price.amount > MAX_AMOUNT) {
    throw bad('price amount must be a bigint in base units between 1 and 2^64-1');
  }
  if (!CURRENCIES.includes(price.currency)) throw bad(`price currency must be one of ${CURRENCIES.join(', ')}`);
  if (price.currency === 'SOL' && price.mint != null) throw bad('a SOL price has no mint');
  if (price.currency === 'SPL' && (typeof price.mint !== 'string' || !isSolanaAddress(price.mint))) {
    throw bad('an SPL price needs the token mint as a base58 Solana address');
  }
  return { amount: price.amount, currency: price.currency, mint: price.currency === 'SPL' ? (price.mint as string) : null };
}

/** True when `s` is base58 and decodes to 32 bytes, the size of a Solana public key. */
export function isSolanaAddress(s: unknown): s is string {
  if (typeof s !== 'string' || s.length < 32 || s.length > 44 || !BASE58.test(s)) return false;
  const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let n = 0n;
  for (const ch of s) n = n * 58n + BigInt(ALPHABET.indexOf(ch));
  let bytes = 0;
  while (n > 0n) {
    n >>= 8n;
    bytes++;
  }
  let zeros = 0;
  while (s[zeros] === '1') zeros++;
  return bytes + zeros === 32;
}

/** The listing columns as stored in the `listings` table. */
export function listingToRow(slug: string, l: Listing): Record<string, string | null> {
  return {
    slug,
    title: l.title,
    description: l.description,
    tags: JSON.stringify(l.tags),
    owner: l.owner,
    price_amount: l.price ? l.price.amount.toString() : null,
    price_currency: l.price?.currency ?? null,
    price_mint: l.price?.mint ?? null,
    status: l.status,
    private_columns: JSON.stringify(l.privateColumns),
    updated_at: l.updatedAt,
  };
}

/** A `listings` row back to a Listing; a missing row (null slug) is the default listing. */
export function listingFromRow(row: Record<string, unknown>): Listing {
  if (row.l_slug == null) return DEFAULT_LISTING;
  const amount = row.price_amount == null ? null : BigInt(String(row.price_amount));
  return {
    title: row.title == null ? null : String(row.title),
    description: row.l_description == null ? null : String(row.l_description),
    tags: JSON.parse(String(row.tags ?? '[]')) as string[],
    owner: row.owner == null ? null : String(row.owner),
    price: amount === null ? null : { amount, currency: String(row.price_currency) as Currency, mint: row.price_mint == null ? null : String(row.price_mint) },
    status: String(row.status) as ListingStatus,
    privateColumns: JSON.parse(String(row.private_columns ?? '[]')) as string[],
    updatedAt: row.updated_at == null ? null : toIso(row.updated_at),
  };
}

function toIso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}
