/**
 * @module The `Doc`: one record moving through the pipeline. Plain, structured-clone-safe data,
 * so a batch of docs can cross into a worker thread and back unchanged.
 */

/** Where a doc came from; kept so a skipped or failed input can be named in errors and the report. */
export interface DocSource {
  kind: 'crawl' | 'warc' | 'jsonl';
  /** The input the doc was read from: a file path or the start URL of a crawl. */
  input: string;
  /** Zero-based position of the record inside that input. */
  offset: number;
}

/** Per-document quality verdict from the quality stage. */
export interface DocQuality {
  /** In [0, 1]; 1 means no rule failed. */
  score: number;
  /** Names of the rules the document failed, e.g. `gopher_mean_word_length`. */
  flags: string[];
}

export interface Doc {
  /** Stable id: hex sha256 of the source and offset, so re-reading the same input yields the same ids. */
  id: string;
  url: string;
  domain: string;
  /** ISO-8601 timestamp of the fetch (WARC-Date for WARC input). */
  fetchedAt: string;
  title: string;
  /** Main text; empty until the extract stage has run on an HTML doc. */
  text: string;
  /** Raw HTML, present until the extract stage consumes it. */
  html?: string;
  /** Content-Type charset or a sniffed one, as a hint for decoding already-decoded text. */
  canonicalUrl?: string;
  /** Language hints from the page (`<html lang>`, `content-language`), lowercase BCP-47 primary tags. */
  langHints?: string[];
  lang?: string;
  langScore?: number;
  /** Hex hash of the normalised text (dedupe). */
  contentHash?: string;
  /** MinHash signature, computed in a worker and consumed by the dedupe stage. */
  minhash?: Uint32Array;
  /** Id of the first doc of this doc's near-duplicate cluster (its own id when it is first). */
  dupCluster?: string;
  quality?: DocQuality;
  /** Counts of redacted entities by type, e.g. `{ EMAIL_ADDRESS: 2 }`. Never the values. */
  piiCounts?: Record<string, number>;
  source: DocSource;
}
