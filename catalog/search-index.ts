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
const MAX_CACHED_COUNTS = 1024;

interface Posting {
  docs: Int32Array;
  /** Term frequency per field, three per doc, parallel to `docs`. */
  tf: Uint16Array;
  /** Field-weighted, length-normalised term frequency per doc under the index's own average lengths. */
  weights: Float64Array;
}

interface Entry {
  doc: number;
  score: number;
  primary: number | bigint | null;
}

/** Matches of a query before paging: parallel arrays, `count` long. */
interface Matches {
  docs: Int32Array;
  scores: Float64Array;
  count: number;
  params: ScoringParams | null;
}

/**
 * Immutable index over the datasets a search may return (the newest version of each slug).
 * A search scores matches in dense typed arrays and selects only the page it returns (a bounded
 * heap), so its cost grows with the number of matches, not with sorting them all.
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
  private readonly presorted = new Map<SortOrder, Int32Array>();
  /** Result counts of searches without text, by fingerprint. */
  private readonly counts = new Map<string, number>();
  /** Scratch score arrays, one per query term group, zeroed after each search. */
  private readonly scratch: Float64Array[] = [];

  private constructor(private readonly docs: DatasetRecord[]) {
    const n = docs.length;
    this.createdMs = Float64Array.from(docs, (d) => Date.parse(d.createdAt));
    this.ids = docs.map((d) => d.id);
    this.fieldLens = FIELD_WEIGHTS.map(() => new Float64Array(n));
    const building = new Map<string, { docs: number[]; tf: number[] }>();
    docs.forEach((d, i) => {
      const fields = [tokenize(d.title), tokenize(d.tags.join(' ')), tokenize(d.description)];
      fields.forEach((tokens, f) => {
        (this.fieldLens[f] as Float64Array)[i] = tokens.length;
        for (const t of tokens) {
          let p = building.get(t);
          if (!p) building.set(t, (p = { docs: [], tf: [] }));
          if (p.docs.at(-1) !== i) {
            p.docs.push(i);
            p.tf.push(0, 0, 0);
          }
          const k = p.tf.length - 3 + f;
          p.tf[k] = (p.tf[k] as number) + 1;
        }
      });
    });
    // Rounded as cursors carry them, so the precomputed weights serve every page of a search.
    this.avgLen = this.fieldLens.map((lens) => round6(n ? lens.reduce((a, b) => a + b, 0) / n : 0));
    for (const [term, p] of building) {
      const tf = Uint16Array.from(p.tf, (x) => Math.min(x, 65_535));
      const postingDocs = Int32Array.from(p.docs);
      this.postings.set(term, { docs: postingDocs, tf, weights: this.fieldWeights(postingDocs, tf, this.avgLen) });
    }
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
    const accept = compileFilter(q.filter);
    let page: Entry[];
    let totalCount: number;
    let params: ScoringParams | null = null;
    if (q.terms.length === 0) {
      ({ page, totalCount } = this.pageWithoutSearch(q.sort, q.fingerprint, accept, cursor?.position ?? null, q.first + 1));
    } else {
      const matches = this.matches(q, cursor?.params ?? null, accept);
      params = matches.params;
      totalCount = matches.count;
      page = this.topAfter(q.sort, matches, cursor?.position ?? null, q.first + 1);
    }
    const hasNextPage = page.length > q.first;
    const slice = hasNextPage ? page.slice(0, q.first) : page;
    const encode = cursorEncoder(digest, q.sort, params);
    const edges = slice.map((e) => ({ cursor: encode(this.position(e)), node: this.docs[e.doc] as DatasetRecord, score: e.score }));
    return {
      edges,
      pageInfo: { hasNextPage, hasPreviousPage: cursor !== null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount,
    };
  }

  /** Without search text: walk the presorted order from the cursor; count what the filter accepts. */
  private pageWithoutSearch(
    sort: SortOrder,
    fingerprint: string,
    accept: (r: DatasetRecord) => boolean,
    after: SortPosition | null,
    want: number,
  ): { page: Entry[]; totalCount: number } {
    const order = this.presortedOrder(sort);
    let start = 0;
    if (after) {
      let lo = 0;
      let hi = order.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.compareToPosition(sort, this.entry(sort, order[mid] as number, 0), after) <= 0) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const page: Entry[] = [];
    for (let k = start; k < order.length && page.length < want; k++) {
      const doc = order[k] as number;
      if (accept(this.docs[doc] as DatasetRecord)) page.push(this.entry(sort, doc, 0));
    }
    // The index never changes, so a filter's count is computed once per index.
    let totalCount = this.counts.get(fingerprint);
    if (totalCount === undefined) {
      totalCount = 0;
      for (const d of this.docs) if (accept(d)) totalCount++;
      if (this.counts.size >= MAX_CACHED_COUNTS) this.counts.delete(this.counts.keys().next().value as string);
      this.counts.set(fingerprint, totalCount);
    }
    return { page, totalCount };
  }

  /**
   * The datasets that match every query term (the last one also as a prefix) and pass the
   * filter, with their BM25F scores: each term's field frequencies are weighted and
   * length-normalised per field, then saturated once, so a word repeated in the title and the
   * tags is not counted as two independent terms.
   */
  private matches(q: NormalizedQuery, frozen: ScoringParams | null, accept: (r: DatasetRecord) => boolean): Matches {
    const n = this.docs.length;
    const avgLen = frozen?.avgLen ?? this.avgLen;
    const ownWeights = avgLen.every((v, f) => v === this.avgLen[f]);
    const groups = q.terms.map((term, t) => this.expand(term, q.prefixLast && t === q.terms.length - 1));
    const dense: Float64Array[] = [];
    const touched: number[][] = [];
    try {
      groups.forEach((expansions, g) => {
        const best = (this.scratch[g] ??= new Float64Array(n));
        const docsOfGroup: number[] = [];
        for (const { term, weight } of expansions) {
          const posting = this.postings.get(term) as Posting;
          const weights = ownWeights ? posting.weights : this.fieldWeights(posting.docs, posting.tf, avgLen);
          for (let k = 0; k < posting.docs.length; k++) {
            const doc = posting.docs[k] as number;
            const w = (weights[k] as number) * weight;
            const old = best[doc] as number;
            if (old === 0) docsOfGroup.push(doc);
            if (w > old) best[doc] = w;
          }
        }
        dense.push(best);
        touched.push(docsOfGroup);
      });
      // Rounded so that the cursors that carry them stay short; every page scores with the same values.
      const idf = frozen?.idf ?? touched.map((docs) => round6(Math.log(1 + (n - docs.length + 0.5) / (docs.length + 0.5))));
      let smallest = 0;
      for (let g = 1; g < touched.length; g++) if ((touched[g] as number[]).length < (touched[smallest] as number[]).length) smallest = g;
      const candidates = touched[smallest] as number[];
      const docs = new Int32Array(candidates.length);
      const scores = new Float64Array(candidates.length);
      let count = 0;
      for (const doc of candidates) {
        let total = 0;
        let all = true;
        for (let g = 0; g < dense.length; g++) {
          const tf = (dense[g] as Float64Array)[doc] as number;
          if (tf === 0) {
            all = false;
            break;
          }
          total += ((idf[g] as number) * tf * (K1 + 1)) / (K1 + tf);
        }
        if (!all || !accept(this.docs[doc] as DatasetRecord)) continue;
        docs[count] = doc;
        scores[count++] = total;
      }
      return { docs, scores, count, params: { idf, avgLen } };
    } finally {
      touched.forEach((list, g) => {
        const best = dense[g] as Float64Array;
        for (const doc of list) best[doc] = 0;
      });
    }
  }

  /** The first `want` matches after `after` in sort order, by a bounded max-heap (k log k per match at worst). */
  private topAfter(sort: SortOrder, m: Matches, after: SortPosition | null, want: number): Entry[] {
    const heap: Entry[] = [];
    // heap[0] is the greatest kept entry (the one to evict first).
    const greater = (a: Entry, b: Entry) => this.compare(sort, a, b) > 0;
    for (let k = 0; k < m.count; k++) {
      const e = this.entry(sort, m.docs[k] as number, m.scores[k] as number);
      if (after && this.compareToPosition(sort, e, after) <= 0) continue;
      if (heap.length < want) {
        heap.push(e);
        let i = heap.length - 1;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (!greater(heap[i] as Entry, heap[parent] as Entry)) break;
          [heap[i], heap[parent]] = [heap[parent] as Entry, heap[i] as Entry];
          i = parent;
        }
      } else if (greater(heap[0] as Entry, e)) {
        heap[0] = e;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let top = i;
          if (l < heap.length && greater(heap[l] as Entry, heap[top] as Entry)) top = l;
          if (r < heap.length && greater(heap[r] as Entry, heap[top] as Entry)) top = r;
          if (top === i) break;
          [heap[i], heap[top]] = [heap[top] as Entry, heap[i] as Entry];
          i = top;
        }
      }
    }
    return heap.sort((a, b) => this.compare(sort, a, b));
  }

  /** Field-weighted, length-normalised term frequencies of a posting under `avgLen`. */
  private fieldWeights(docs: Int32Array, tf: Uint16Array, avgLen: number[]): Float64Array {
    const out = new Float64Array(docs.length);
    for (let k = 0; k < docs.length; k++) {
      const doc = docs[k] as number;
      let w = 0;
      for (let f = 0; f < FIELD_WEIGHTS.length; f++) {
        const count = tf[3 * k + f] as number;
        if (count === 0) continue;
        const avg = avgLen[f] as number;
        const norm = avg > 0 ? 1 - B + (B * ((this.fieldLens[f] as Float64Array)[doc] as number)) / avg : 1;
        w += ((FIELD_WEIGHTS[f] as number) * count) / norm;
      }
      out[k] = w;
    }
    return out;
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
  private presortedOrder(sort: SortOrder): Int32Array {
    let order = this.presorted.get(sort);
    if (!order) {
      const entries = this.docs.map((_, i) => this.entry(sort, i, 0));
      order = Int32Array.from(
        entries.sort((a, b) => this.compare(sort, a, b)),
        (e) => e.doc,
      );
      this.presorted.set(sort, order);
    }
    return order;
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

  private compareToPosition(sort: SortOrder, e: Entry, pos: SortPosition): number {
    return compareKeys(sort, e.primary, this.createdMs[e.doc] as number, this.ids[e.doc] as string, pos.primary, pos.createdMs, pos.id);
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
