/**
 * @module What a marketplace search asks for (`SearchQuery`) and the checks it must pass before
 * the index runs it: page size, filter ranges, and a price bound that only makes sense in one
 * currency. Filters compile to one predicate over records.
 */
import type { DatasetRecord } from './dataset-record.js';
import { InvalidRequestError } from './errors.js';
import { CURRENCIES, LISTING_STATUSES, type Currency, type ListingStatus } from './listing.js';
import { tokenize } from './tokenize.js';

export const SORT_ORDERS = ['RELEVANCE', 'NEWEST', 'PRICE_ASC', 'PRICE_DESC', 'SIZE_ASC', 'SIZE_DESC'] as const;
/** Every order ends with newest first, then id, so it is total and stable across pages. */
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Narrowing conditions; all given conditions must hold. */
export interface SearchFilter {
  /** The dataset has rows in at least one of these languages. */
  languages?: string[];
  /** The dataset's license is one of these. */
  licenses?: string[];
  /** The dataset carries every one of these tags. */
  tags?: string[];
  /** Mean quality (from the histogram) at least this, in [0, 1]. */
  minQuality?: number;
  minBytes?: number;
  maxBytes?: number;
  minRows?: number;
  maxRows?: number;
  currency?: Currency;
  mint?: string;
  /** In base units of `currency`, which is then required: lamports and token units do not compare. */
  maxPrice?: bigint;
  owner?: string;
  /** Default `['listed']`. */
  statuses?: ListingStatus[];
}

export interface SearchQuery {
  search?: string;
  filter?: SearchFilter;
  /** Default RELEVANCE when `search` has words, else NEWEST. */
  sort?: SortOrder;
  /** Page size, 1..100. */
  first: number;
  /** An `endCursor` (or any edge cursor) of an earlier page of the same search. */
  after?: string;
}

export const MAX_PAGE_SIZE = 100;

/** A query after checks: tokens instead of text, defaults applied. */
export interface NormalizedQuery {
  terms: string[];
  /** The last term also matches words it begins (typing "wiki" finds "wikipedia"). */
  prefixLast: boolean;
  filter: SearchFilter;
  sort: SortOrder;
  first: number;
  after: string | undefined;
  /** Identifies the result list: a cursor from another search is foreign. */
  fingerprint: string;
}

/** Checks `q` and applies defaults; throws InvalidRequestError naming the broken rule. */
export function normalizeQuery(q: SearchQuery): NormalizedQuery {
  const bad = (rule: string) => new InvalidRequestError(`searchDatasets: ${rule}`);
  if (!Number.isInteger(q.first) || q.first < 1 || q.first > MAX_PAGE_SIZE) throw bad(`first must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  const text = q.search ?? '';
  if (typeof text !== 'string' || text.length > 500) throw bad('search must be a string of at most 500 characters');
  const terms = tokenize(text).slice(0, 16);
  // A trailing space means the last word is complete.
  const prefixLast = terms.length > 0 && /[\p{L}\p{N}]$/u.test(text);
  const sort = q.sort ?? (terms.length > 0 ? 'RELEVANCE' : 'NEWEST');
  if (!SORT_ORDERS.includes(sort)) throw bad(`sort must be one of ${SORT_ORDERS.join(', ')}`);
  const f = q.filter ?? {};
  const filter: SearchFilter = { ...f, statuses: f.statuses ?? ['listed'] };
  if (!Array.isArray(filter.statuses) || filter.statuses.length === 0 || filter.statuses.some((s) => !LISTING_STATUSES.includes(s))) {
    throw bad(`filter.statuses must be a non-empty list of ${LISTING_STATUSES.join(', ')}`);
  }
  if (f.minQuality !== undefined && !(f.minQuality >= 0 && f.minQuality <= 1)) throw bad('filter.minQuality must be within [0, 1]');
  for (const k of ['minBytes', 'maxBytes', 'minRows', 'maxRows'] as const) {
    const v = f[k];
    if (v !== undefined && !(typeof v === 'number' && v >= 0)) throw bad(`filter.${k} must be a number >= 0`);
  }
  if (f.currency !== undefined && !CURRENCIES.includes(f.currency)) throw bad(`filter.currency must be one of ${CURRENCIES.join(', ')}`);
  if (f.maxPrice !== undefined) {
    if (typeof f.maxPrice !== 'bigint' || f.maxPrice < 0n) throw bad('filter.maxPrice must be a bigint >= 0 in base units');
    if (!f.currency) throw bad('filter.maxPrice needs filter.currency: prices in different currencies do not compare');
  }
  if (f.mint !== undefined && f.currency !== 'SPL') throw bad('filter.mint needs filter.currency SPL');
  const fingerprint = JSON.stringify([terms, prefixLast, sort, filterKey(filter)]);
  return { terms, prefixLast, filter, sort, first: q.first, after: q.after, fingerprint };
}

function filterKey(f: SearchFilter): unknown[] {
  const sorted = (xs: string[] | undefined) => (xs ? [...xs].sort() : null);
  return [
    sorted(f.languages),
    sorted(f.licenses?.map((l) => l.toLowerCase())),
    sorted(f.tags?.map((t) => t.trim().toLowerCase())),
    f.minQuality ?? null,
    f.minBytes ?? null,
    f.maxBytes ?? null,
    f.minRows ?? null,
    f.maxRows ?? null,
    f.currency ?? null,
    f.mint ?? null,
    f.maxPrice?.toString() ?? null,
    f.owner ?? null,
    sorted(f.statuses),
  ];
}

/** One predicate for all conditions of `f`; conditions not given cost nothing. */
export function compileFilter(f: SearchFilter): (r: DatasetRecord) => boolean {
  const checks: Array<(r: DatasetRecord) => boolean> = [];
  const statuses = new Set(f.statuses ?? ['listed']);
  checks.push((r) => statuses.has(r.status));
  if (f.languages?.length) {
    const langs = f.languages;
    checks.push((r) => langs.some((l) => (r.languages[l] ?? 0) > 0));
  }
  if (f.licenses?.length) {
    const licenses = new Set(f.licenses.map((l) => l.toLowerCase()));
    checks.push((r) => licenses.has(r.license.toLowerCase()));
  }
  if (f.tags?.length) {
    const tags = f.tags.map((t) => t.trim().toLowerCase());
    checks.push((r) => tags.every((t) => r.tags.includes(t)));
  }
  if (f.minQuality !== undefined) {
    const min = f.minQuality;
    checks.push((r) => r.stats.meanQuality !== null && r.stats.meanQuality >= min);
  }
  if (f.minBytes !== undefined) checks.push((r) => r.bytes >= (f.minBytes as number));
  if (f.maxBytes !== undefined) checks.push((r) => r.bytes <= (f.maxBytes as number));
  if (f.minRows !== undefined) checks.push((r) => r.rows >= (f.minRows as number));
  if (f.maxRows !== undefined) checks.push((r) => r.rows <= (f.maxRows as number));
  if (f.currency !== undefined) checks.push((r) => r.price?.currency === f.currency);
  if (f.mint !== undefined) checks.push((r) => r.price?.mint === f.mint);
  if (f.maxPrice !== undefined) checks.push((r) => r.price !== null && r.price.amount <= (f.maxPrice as bigint));
  if (f.owner !== undefined) checks.push((r) => r.owner === f.owner);
  return (r) => {
    for (const check of checks) if (!check(r)) return false;
    return true;
  };
}
