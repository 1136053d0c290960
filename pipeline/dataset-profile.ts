/**
 * @module What the kept rows of a dataset look like, accumulated as rows are written: languages,
 * quality histogram, PII counts, rows and text size. Feeds the manifest, the card and the report.
 */
import type { Doc } from './doc.js';

/** Buckets of width 0.1 over [0, 1]; the last bucket includes 1.0. */
export const QUALITY_BUCKETS = 10;

export interface DatasetProfile {
  rows: number;
  textBytes: number;
  languages: Record<string, number>;
  qualityHistogram: number[];
  piiCounts: Record<string, number>;
  domains: number;
}

/** Accumulates a profile; serializable so it survives a checkpoint. */
export class DatasetProfiler {
  private rows = 0;
  private textBytes = 0;
  private readonly languages = new Map<string, number>();
  private readonly quality = new Array<number>(QUALITY_BUCKETS).fill(0);
  private readonly pii = new Map<string, number>();
  // Domains are counted exactly up to a cap: enough for a card, bounded for a crawl of millions.
  private readonly domainSet = new Set<string>();
  private static readonly MAX_DOMAINS = 100_000;

  add(doc: Doc): void {
    this.rows++;
    this.textBytes += Buffer.byteLength(doc.text);
    const lang = doc.lang ?? 'und';
    this.languages.set(lang, (this.languages.get(lang) ?? 0) + 1);
    if (doc.quality) {
      const b = Math.min(QUALITY_BUCKETS - 1, Math.max(0, Math.floor(doc.quality.score * QUALITY_BUCKETS)));
      this.quality[b] = (this.quality[b] ?? 0) + 1;
    }
    for (const [type, n] of Object.entries(doc.piiCounts ?? {})) this.pii.set(type, (this.pii.get(type) ?? 0) + n);
    if (this.domainSet.size < DatasetProfiler.MAX_DOMAINS) this.domainSet.add(doc.domain);
  }

  toJSON(): DatasetProfile & { domainList: string[] } {
    return {
      rows: this.rows,
      textBytes: this.textBytes,
      languages: Object.fromEntries([...this.languages].sort((a, b) => b[1] - a[1])),
      qualityHistogram: [...this.quality],
      piiCounts: Object.fromEntries([...this.pii].sort((a, b) => b[1] - a[1])),
      domains: this.domainSet.size,
      domainList: [...this.domainSet],
    };
  }

  static from(saved: ReturnType<DatasetProfiler['toJSON']>): DatasetProfiler {
    const p = new DatasetProfiler();
    p.rows = saved.rows;
    p.textBytes = saved.textBytes;
    for (const [k, v] of Object.entries(saved.languages)) p.languages.set(k, v);
    saved.qualityHistogram.forEach((v, i) => (p.quality[i] = v));
    for (const [k, v] of Object.entries(saved.piiCounts)) p.pii.set(k, v);
    for (const d of saved.domainList) p.domainSet.add(d);
    return p;
  }
}
