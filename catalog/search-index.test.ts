import { describe, expect, it } from 'vitest';
import type { DatasetRecord } from './dataset-record.js';
import { InvalidCursorError, InvalidRequestError } from './errors.js';
import type { Price } from './listing.js';
import { SearchIndex } from './search-index.js';
import type { SearchQuery } from './search-query.js';

const MINT = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A listed dataset record; `i` orders creation time (higher is newer). */
function rec(i: number, over: Partial<DatasetRecord> = {}): DatasetRecord {
  const createdAt = new Date(T0 + i * 60_000).toISOString();
  return {
    id: `ds${String(i).padStart(4, '0')}@v1`,
    slug: `ds${String(i).padStart(4, '0')}`,
    version: 'v1',
    versionNumber: 1,
    rows: 100 * (i + 1),
    bytes: 1000 * (i + 1),
    path: `/tmp/ds${i}`,
    license: 'cc-by-4.0',
    description: 'A collection of web pages.',
    languages: { en: 10 },
    createdAt,
    updatedAt: createdAt,
    title: `Dataset ${i}`,
    tags: [],
    owner: null,
    price: null,
    status: 'listed',
    privateColumns: [],
    columns: [],
    stats: { languages: { en: 10 }, qualityHistogram: [], meanQuality: 0.5, piiCounts: {}, duplicateRate: null, domains: [] },
    files: [],
    ...over,
  };
}

const sol = (amount: bigint): Price => ({ amount, currency: 'SOL', mint: null });

/** Every id a search returns, following endCursor until the last page. */
function pageThrough(index: SearchIndex, q: Omit<SearchQuery, 'after'>): string[] {
  const seen: string[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = index.search({ ...q, after });
    seen.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) return seen;
    after = page.pageInfo.endCursor ?? undefined;
  }
  throw new Error('paging did not end');
}

describe('SearchIndex ranking', () => {
  const index = SearchIndex.build([
    rec(1, { title: 'German news articles', description: 'Daily articles from newspapers.' }),
    rec(2, { title: 'Recipes', description: 'Cooking pages; some German news sites are included.' }),
    rec(3, { title: 'Forum threads', tags: ['news'], description: 'Discussion boards.' }),
    rec(4, { title: 'Café reviews', description: 'Restaurant reviews.' }),
  ]);

  it('ranks a title match above a description-only match', () => {
    const ids = index.search({ search: 'german news', first: 10 }).edges.map((e) => e.node.id);
    expect(ids).toEqual(['ds0001@v1', 'ds0002@v1']);
  });

  it('ranks a tag match above a description-only match', () => {
    const ids = index.search({ search: 'news ', first: 10 }).edges.map((e) => e.node.id);
    expect(ids.indexOf('ds0003@v1')).toBeLessThan(ids.indexOf('ds0002@v1'));
  });

  it('requires every word, folds diacritics and matches the last word as a prefix', () => {
    expect(index.search({ search: 'german forum', first: 10 }).totalCount).toBe(0);
    expect(index.search({ search: 'CAFE', first: 10 }).edges.map((e) => e.node.id)).toEqual(['ds0004@v1']);
    expect(index.search({ search: 'germ', first: 10 }).totalCount).toBe(2);
    expect(index.search({ search: 'germ ', first: 10 }).totalCount).toBe(0);
  });

  it('gives scores that decrease down the page, and 0 without search text', () => {
    const scores = index.search({ search: 'news', first: 10 }).edges.map((e) => e.score);
    expect(scores.every((s, i) => i === 0 || s <= (scores[i - 1] as number))).toBe(true);
    expect(index.search({ first: 10 }).edges.every((e) => e.score === 0)).toBe(true);
  });
});

describe('SearchIndex filters', () => {
  const index = SearchIndex.build([
    rec(1, { languages: { de: 5 }, license: 'cc0-1.0', tags: ['news', 'german'], price: sol(5n), owner: MINT }),
    rec(2, { languages: { en: 5, fr: 1 }, tags: ['news'], price: { amount: 7n, currency: 'SPL', mint: MINT } }),
    rec(3, { status: 'draft' }),
    rec(4, { stats: { ...rec(4).stats, meanQuality: 0.9 }, price: sol(50n) }),
    rec(5, { status: 'delisted', rows: 1 }),
  ]);
  const ids = (q: Omit<SearchQuery, 'first'>) => index.search({ first: 100, ...q }).edges.map((e) => e.node.id.slice(0, 6));

  it('lists only listed datasets unless statuses say otherwise', () => {
    expect(ids({})).toEqual(['ds0004', 'ds0002', 'ds0001']);
    expect(ids({ filter: { statuses: ['draft', 'delisted'] } })).toEqual(['ds0005', 'ds0003']);
  });

  it('filters by language, license, tags, quality, size, rows and owner', () => {
    expect(ids({ filter: { languages: ['fr', 'de'] } })).toEqual(['ds0002', 'ds0001']);
    expect(ids({ filter: { licenses: ['CC0-1.0'] } })).toEqual(['ds0001']);
    expect(ids({ filter: { tags: ['news', 'german'] } })).toEqual(['ds0001']);
    expect(ids({ filter: { minQuality: 0.8 } })).toEqual(['ds0004']);
    expect(ids({ filter: { minBytes: 2500, maxBytes: 3000 } })).toEqual(['ds0002']);
    expect(ids({ filter: { maxRows: 200 } })).toEqual(['ds0001']);
    expect(ids({ filter: { owner: MINT } })).toEqual(['ds0001']);
  });

  it('filters by currency, mint and a maximum price within one currency', () => {
    expect(ids({ filter: { currency: 'SOL' } })).toEqual(['ds0004', 'ds0001']);
    expect(ids({ filter: { currency: 'SOL', maxPrice: 10n } })).toEqual(['ds0001']);
    expect(ids({ filter: { currency: 'SPL', mint: MINT } })).toEqual(['ds0002']);
  });

  it('rejects a maximum price without a currency, and a page size out of range', () => {
    expect(() => index.search({ first: 10, filter: { maxPrice: 10n } })).toThrow(InvalidRequestError);
    expect(() => index.search({ first: 10, filter: { maxPrice: 10n } })).toThrow(/maxPrice needs filter.currency/);
    expect(() => index.search({ first: 0 })).toThrow(/first must be an integer from 1 to 100/);
    expect(() => index.search({ first: 101 })).toThrow(InvalidRequestError);
  });
});

describe('SearchIndex sorting', () => {
  const index = SearchIndex.build([
    rec(1, { bytes: 300, price: sol(20n) }),
    rec(2, { bytes: 100, price: null }),
    rec(3, { bytes: 200, price: sol(10n) }),
    rec(4, { bytes: 200, price: sol(20n) }),
  ]);
  const order = (sort: SearchQuery['sort']) => index.search({ first: 10, sort }).edges.map((e) => e.node.id.slice(2, 6));

  it('sorts newest first by default', () => expect(order(undefined)).toEqual(['0004', '0003', '0002', '0001']));
  it('sorts by price, cheapest first, unpriced last, ties newest first', () => expect(order('PRICE_ASC')).toEqual(['0003', '0004', '0001', '0002']));
  it('sorts by price, dearest first, unpriced last', () => expect(order('PRICE_DESC')).toEqual(['0004', '0001', '0003', '0002']));
  it('sorts by size ascending, ties newest first', () => expect(order('SIZE_ASC')).toEqual(['0002', '0004', '0003', '0001']));
  it('sorts by size descending', () => expect(order('SIZE_DESC')).toEqual(['0001', '0004', '0003', '0002']));
  it('sorts by relevance without search text as newest first', () => expect(order('RELEVANCE')).toEqual(['0004', '0003', '0002', '0001']));
});

describe('SearchIndex paging', () => {
  const records = Array.from({ length: 250 }, (_, i) =>
    rec(i % 50, {
      id: `p${String(i).padStart(3, '0')}@v1`,
      slug: `p${i}`,
      title: i % 3 === 0 ? 'web news corpus' : 'web corpus',
      bytes: (i * 7919) % 97,
      price: i % 4 === 0 ? null : sol(BigInt(i % 10)),
    }),
  );
  const index = SearchIndex.build(records);

  for (const sort of ['NEWEST', 'RELEVANCE', 'PRICE_ASC', 'PRICE_DESC', 'SIZE_ASC', 'SIZE_DESC'] as const) {
    it(`visits each of 250 datasets exactly once with first=7, sorted ${sort}`, () => {
      const seen = pageThrough(index, { first: 7, sort, search: sort === 'RELEVANCE' ? 'web corp' : undefined });
      expect(seen).toHaveLength(250);
      expect(new Set(seen).size).toBe(250);
    });
  }

  it('keeps a cursor valid after a new dataset is published, and shows only rows after it', () => {
    const first = index.search({ first: 7, search: 'news' });
    const grown = SearchIndex.build([...records, rec(999, { id: 'new@v1', slug: 'new', title: 'news news news' })]);
    let after = first.pageInfo.endCursor ?? undefined;
    const seen = first.edges.map((e) => e.node.id);
    for (;;) {
      const page = grown.search({ first: 7, search: 'news', after });
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? undefined;
    }
    const expected = records.filter((r) => r.title.includes('news')).map((r) => r.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => id !== 'new@v1').sort()).toEqual(expected.sort());
  });

  it('reports previous and next pages', () => {
    const p1 = index.search({ first: 100 });
    const p3 = index.search({ first: 100, after: index.search({ first: 100, after: p1.pageInfo.endCursor ?? undefined }).pageInfo.endCursor ?? undefined });
    expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(p3.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(p3.edges).toHaveLength(50);
    expect(p3.totalCount).toBe(250);
  });

  it('rejects a malformed cursor and a cursor from another search', () => {
    const cursor = index.search({ first: 5, sort: 'SIZE_ASC' }).pageInfo.endCursor ?? '';
    expect(() => index.search({ first: 5, after: 'not a cursor!' })).toThrow(InvalidCursorError);
    expect(() => index.search({ first: 5, after: Buffer.from('[1,2,3]').toString('base64url') })).toThrow(/malformed/);
    expect(() => index.search({ first: 5, sort: 'NEWEST', after: cursor })).toThrow(/belongs to another search/);
    try {
      index.search({ first: 5, after: 'xyz' });
    } catch (e) {
      expect((e as InvalidCursorError).code).toBe('INVALID_CURSOR');
    }
  });
});
