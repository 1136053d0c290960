/**
 * @module The in-memory search index behind `searchDatasets`: an inverted index over listing
 * title, tags and description ranked with BM25F, filters, six sort orders and keyset pages. It
 * is built once per catalog snapshot and never touches DuckDB, so a search costs microseconds.
 */
import type { DatasetRecord } from './dataset-record.js';
import { cursorEncoder, decodeCursor, fingerprintDigest, type ScoringParams, type SortPosition } from './search-cursor.js';
import { compileFilter, normalizeQuery, type NormalizedQuery, type SearchQuery, type SortOrder } from './search-query.js';
import { tokenize } from './tokenize.js';

/** One result: the dataset, its relevance score (0 without search text) and its cursor. */
export interface SearchEdge {
  cursor: string;
  node: DatasetRecord;
  score: number;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** A Relay-style connection page. */
export interface SearchPage {
  edges: SearchEdge[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Fields in index order. Title and tags say what a dataset is; a description also says what it is not. */
const FIELD_WEIGHTS = [3, 2, 1] as const;
/** BM25 constants (Robertson & Zaragoza 2009, "The Probabilistic Relevance Framework: BM25 and Beyond"). */
const K1 = 1.2;
const B = 0.75;
/** A word the last query term only begins counts a little less than the exact word. */
const PREFIX_WEIGHT = 0.8;
const MIN_PREFIX_CHARS = 2;
const MAX_PREFIX_EXPANSIONS = 50;
/** Result lists kept per index for repeated searches and later pages. */
const MAX_CACHED_RESULTS = 256;

interface Posting {
  docs: number[];
  /** Term frequency per field, parallel to `docs`. */
  tf: Array<[number, number, number]>;
}

interface Entry {
  doc: number;
  score: number;
  primary: number | bigint | null;
}

interface Results {
  entries: Entry[];
  params: ScoringParams | null;
}

/**
 * Immutable index over the datasets a search may return (the newest version of each slug).
 *
 * @example
 * const index = SearchIndex.build(records);
 * const page = index.search({ search: 'news german', filter: { licenses: ['cc-by-4.0'] }, first: 20 });
 */
export class SearchIndex {
  private readonly createdMs: Float64Array;
  private readonly ids: string[];
  private readonly fieldLens: Float64Array[];
  private readonly avgLen: number[];
  private readonly postings = new Map<string, Posting>();
  private readonly vocabulary: string[];
  private readonly presorted = new Map<SortOrder, number[]>();
  private readonly cache = new Map<string, Results>();

  private constructor(private readonly docs: DatasetRecord[]) {
    const n = docs.length;
    this.createdMs = Float64Array.from(docs, (d) => Date.parse(d.createdAt));
    this.ids = docs.map((d) => d.id);
    this.fieldLens = FIELD_WEIGHTS.map(() => new Float64Array(n));
    docs.forEach((d, i) => {
      const fields = [tokenize(d.title), tokenize(d.tags.join(' ')), tokenize(d.description)];
      fields.forEach((tokens, f) => {
        (this.fieldLens[f] as Float64Array)[i] = tokens.length;
        for (const t of tokens) this.addOccurrence(t, i, f);
      });
    });
    this.avgLen = this.fieldLens.map((lens) => (n ? lens.reduce((a, b) => a + b, 0) / n : 0));
    this.vocabulary = [...this.postings.keys()].sort();
  }

  /** Indexes `records`; pass one record per slug (its newest version). */
  static build(records: DatasetRecord[]): SearchIndex {
    return new SearchIndex(records);
  }

  get size(): number {
    return this.docs.length;
  }

  /** One page of results. Throws InvalidRequestError for a bad query, InvalidCursorError for a bad cursor. */
  search(query: SearchQuery): SearchPage {
    const q = normalizeQuery(query);
    const digest = fingerprintDigest(q.fingerprint);
    const cursor = q.after === undefined ? null : decodeCursor(q.after, { digest, sort: q.sort, terms: q.terms.length });
    const results = this.results(q, cursor?.params ?? null);
    let start = 0;
    if (cursor) start = this.upperBound(q.sort, results.entries, cursor.position);
    const slice = results.entries.slice(start, start + q.first);
    const encode = cursorEncoder(digest, q.sort, results.params);
    const edges = slice.map((e) => ({
      cursor: encode(this.position(e)),
      node: this.docs[e.doc] as DatasetRecord,
      score: e.score,
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: start + slice.length < results.entries.length,
        hasPreviousPage: start > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      totalCount: results.entries.length,
    };
  }

  /** The sorted, filtered result list of `q`, from the cache when this index has run it before. */
  private results(q: NormalizedQuery, frozen: ScoringParams | null): Results {
    const key = frozen ? `${q.fingerprint}|${JSON.stringify(frozen)}` : q.fingerprint;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const computed = this.compute(q, frozen);
    this.cache.set(key, computed);
    if (this.cache.size > MAX_CACHED_RESULTS) this.cache.delete(this.cache.keys().next().value as string);
    return computed;
  }

  private compute(q: NormalizedQuery, frozen: ScoringParams | null): Results {
    const accept = compileFilter(q.filter);
    const presortedOrder = this.presortedOrder(q.sort === 'RELEVANCE' ? 'NEWEST' : q.sort);
    if (q.terms.length === 0) {
      const entries: Entry[] = [];
      for (const i of presortedOrder) if (accept(this.docs[i] as DatasetRecord)) entries.push(this.entry(q.sort, i, 0));
      return { entries, params: null };
    }
    const { scores, params } = this.score(q, frozen);
    const entries: Entry[] = [];
    if (q.sort !== 'RELEVANCE' && scores.size * 8 > this.docs.length) {
      // Most datasets match: walking the presorted order beats sorting the matches.
      for (const i of presortedOrder) {
        const s = scores.get(i);
        if (s !== undefined && accept(this.docs[i] as DatasetRecord)) entries.push(this.entry(q.sort, i, s));
      }
    } else {
      for (const [i, s] of scores) if (accept(this.docs[i] as DatasetRecord)) entries.push(this.entry(q.sort, i, s));
      entries.sort((a, b) => this.compare(q.sort, a, b));
    }
    return { entries, params };
  }

  /**
   * BM25F scores of the datasets that match every query term (the last one also as a prefix).
   * Each term's field frequencies are weighted and length-normalised per field, then saturated
   * once, so a word repeated in the title and the tags is not counted as two independent terms.
   */
  private score(q: NormalizedQuery, frozen: ScoringParams | null): { scores: Map<number, number>; params: ScoringParams } {
    const groups = q.terms.map((term, t) => this.expand(term, q.prefixLast && t === q.terms.length - 1));
    const n = this.docs.length;
    const avgLen = frozen?.avgLen ?? this.avgLen.map(round6);
    const tfByGroup = groups.map((expansions) => {
      const best = new Map<number, number>();
      for (const { term, weight } of expansions) {
        const posting = this.postings.get(term) as Posting;
        posting.docs.forEach((doc, k) => {
          const tf = posting.tf[k] as [number, number, number];
          let w = 0;
          for (let f = 0; f < FIELD_WEIGHTS.length; f++) {
            if (tf[f] === 0) continue;
            const avg = avgLen[f] as number;
            const norm = avg > 0 ? 1 - B + (B * ((this.fieldLens[f] as Float64Array)[doc] as number)) / avg : 1;
            w += ((FIELD_WEIGHTS[f] as number) * (tf[f] as number)) / norm;
          }
          w *= weight;
          if (w > (best.get(doc) ?? 0)) best.set(doc, w);
        });
      }
      return best;
    });
    // Rounded so that the cursors that carry them stay short; every page scores with the same values.
    const idf = frozen?.idf ?? tfByGroup.map((m) => round6(Math.log(1 + (n - m.size + 0.5) / (m.size + 0.5))));
    const scores = new Map<number, number>();
    const order = tfByGroup.map((_, g) => g).sort((a, b) => (tfByGroup[a] as Map<number, number>).size - (tfByGroup[b] as Map<number, number>).size);
    const smallest = tfByGroup[order[0] as number] as Map<number, number>;
    for (const doc of smallest.keys()) {
      let total = 0;
      let all = true;
      for (let g = 0; g < tfByGroup.length; g++) {
        const tf = (tfByGroup[g] as Map<number, number>).get(doc);
        if (tf === undefined) {
          all = false;
          break;
        }
        total += ((idf[g] as number) * tf * (K1 + 1)) / (K1 + tf);
      }
      if (all) scores.set(doc, total);
    }
    return { scores, params: { idf, avgLen } };
  }

  /** The index terms a query term stands for: itself, and as a last term the words it begins. */
  private expand(term: string, prefix: boolean): Array<{ term: string; weight: number }> {
    const out: Array<{ term: string; weight: number }> = this.postings.has(term) ? [{ term, weight: 1 }] : [];
    if (!prefix || term.length < MIN_PREFIX_CHARS) return out;
    let lo = 0;
    let hi = this.vocabulary.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.vocabulary[mid] as string) < term) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.vocabulary.length && out.length <= MAX_PREFIX_EXPANSIONS; i++) {
      const word = this.vocabulary[i] as string;
      if (!word.startsWith(term)) break;
      if (word !== term) out.push({ term: word, weight: PREFIX_WEIGHT });
    }
    return out;
  }

  /** All datasets in `sort` order, sorted on first use so a rebuild pays only for orders in use. */
  private presortedOrder(sort: SortOrder): number[] {
    let order = this.presorted.get(sort);
    if (!order) {
      const entries = this.docs.map((_, i) => this.entry(sort, i, 0));
      order = entries.sort((a, b) => this.compare(sort, a, b)).map((e) => e.doc);
      this.presorted.set(sort, order);
    }
    return order;
  }

  private addOccurrence(term: string, doc: number, field: number): void {
    let p = this.postings.get(term);
    if (!p) {
      p = { docs: [], tf: [] };
      this.postings.set(term, p);
    }
    if (p.docs.at(-1) !== doc) {
      p.docs.push(doc);
      p.tf.push([0, 0, 0]);
    }
    const tf = p.tf.at(-1) as [number, number, number];
    tf[field] = (tf[field] ?? 0) + 1;
  }

  private entry(sort: SortOrder, doc: number, score: number): Entry {
    const d = this.docs[doc] as DatasetRecord;
    let primary: number | bigint | null = 0;
    if (sort === 'RELEVANCE') primary = score;
    else if (sort === 'SIZE_ASC' || sort === 'SIZE_DESC') primary = d.bytes;
    else if (sort === 'PRICE_ASC' || sort === 'PRICE_DESC') primary = d.price?.amount ?? null;
    return { doc, score, primary };
  }

  private position(e: Entry): SortPosition {
    return { primary: e.primary, createdMs: this.createdMs[e.doc] as number, id: this.ids[e.doc] as string };
  }

  /** Total order: the sort's key, then newest first, then id. Datasets without a price come last in both price orders. */
  private compare(sort: SortOrder, a: Entry, b: Entry): number {
    const { createdMs, ids } = this;
    return compareKeys(sort, a.primary, createdMs[a.doc] as number, ids[a.doc] as string, b.primary, createdMs[b.doc] as number, ids[b.doc] as string);
  }

  /** Index of the first entry that sorts after `pos`. */
  private upperBound(sort: SortOrder, entries: Entry[], pos: SortPosition): number {
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = entries[mid] as Entry;
      if (compareKeys(sort, e.primary, this.createdMs[e.doc] as number, this.ids[e.doc] as string, pos.primary, pos.createdMs, pos.id) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function compareKeys(sort: SortOrder, pa: Entry['primary'], ca: number, ia: string, pb: Entry['primary'], cb: number, ib: string): number {
  const c = comparePrimary(sort, pa, pb);
  if (c !== 0) return c;
  if (ca !== cb) return cb - ca;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

function comparePrimary(sort: SortOrder, a: number | bigint | null, b: number | bigint | null): number {
  if (sort === 'NEWEST') return 0;
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const asc = a < b ? -1 : a > b ? 1 : 0;
  return sort === 'RELEVANCE' || sort === 'SIZE_DESC' || sort === 'PRICE_DESC' ? -asc : asc;
}

function round6(x: number): number {
  return Number(x.toPrecision(6));
}
