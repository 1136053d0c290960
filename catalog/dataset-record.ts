/**
 * @module A dataset version as the catalog hands it out (`DatasetRecord`), and how one is built
 * from a `datasets` row, its files and its slug's listing. Per-version stats come from the
 * manifest the pipeline wrote; nothing here reads Parquet.
 */
import { DEFAULT_LISTING, type Listing, type ListingStatus, type Price } from './listing.js';
import type { DatasetManifest } from './manifest.js';

/** One column of a dataset, as the manifest describes it. */
export interface ColumnInfo {
  name: string;
  /** DuckDB type, e.g. `VARCHAR`, `DOUBLE`, `VARCHAR[]`. */
  type: string;
  description: string;
}

/** One Parquet file of a version, relative to its directory. */
export interface DatasetFileRecord {
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** What a version's rows look like. */
export interface DatasetStats {
  languages: Record<string, number>;
  /** Rows per quality bucket: 10 bins of width 0.1 over [0, 1]; empty when the manifest has none. */
  qualityHistogram: number[];
  /** Mean quality from the histogram's bin centres; null without a histogram. */
  meanQuality: number | null;
  piiCounts: Record<string, number>;
  /** Exact plus near duplicates dropped, over the documents dedupe saw; null without dedupe stats. */
  duplicateRate: number | null;
  /** Most frequent domains, when the manifest lists them. */
  domains: Array<{ domain: string; rows: number }>;
}

/** A dataset version as the catalog lists it, with its slug's listing. */
export interface DatasetRecord {
  /** `<slug>@<version>`, e.g. `demo@v1`. */
  id: string;
  slug: string;
  version: string;
  versionNumber: number;
  rows: number;
  bytes: number;
  /** Absolute path of the dataset directory under the data home. */
  path: string;
  license: string;
  /** The listing's description, else the manifest's. */
  description: string;
  languages: Record<string, number>;
  createdAt: string;
  /** The later of the version's creation and its listing's last change. */
  updatedAt: string;
  /** The listing's title, else the manifest's name. */
  title: string;
  tags: string[];
  owner: string | null;
  price: Price | null;
  status: ListingStatus;
  privateColumns: string[];
  columns: ColumnInfo[];
  stats: DatasetStats;
  files: DatasetFileRecord[];
}

/**
 * The manifest fields the catalog keeps per version. It is a subset of the manifest's own shape,
 * so a legacy row that stored only the manifest reads through the same code.
 */
export type VersionSummary = Partial<Pick<DatasetManifest, 'name' | 'description' | 'columns' | 'qualityHistogram' | 'piiCounts' | 'stats' | 'domains'>>;

const TOP_DOMAINS = 10;

/** The summary stored with a version: drops the config, inputs and per-stage counters a card needs but a listing does not. */
export function summarize(manifest: VersionSummary): VersionSummary {
  return {
    name: manifest.name,
    description: manifest.description,
    columns: manifest.columns,
    qualityHistogram: manifest.qualityHistogram,
    piiCounts: manifest.piiCounts,
    stats: manifest.stats?.dedupe ? { dedupe: manifest.stats.dedupe } : undefined,
    domains: manifest.domains,
  };
}

/** Builds a record from a `datasets` row (summary JSON in `summary`), its files and its listing. */
export function toDatasetRecord(row: Record<string, unknown>, files: DatasetFileRecord[], listing: Listing = DEFAULT_LISTING): DatasetRecord {
  const summary = JSON.parse(String(row.summary ?? '{}')) as VersionSummary;
  const languages = JSON.parse(String(row.languages ?? '{}')) as Record<string, number>;
  const createdAt = row.created_at instanceof Date ? row.created_at.toISOString() : new Date(String(row.created_at)).toISOString();
  const histogram = Array.isArray(summary.qualityHistogram) ? summary.qualityHistogram.map(Number) : [];
  return {
    id: String(row.id),
    slug: String(row.slug),
    version: String(row.version),
    versionNumber: Number(row.version_number),
    rows: Number(row.rows),
    bytes: Number(row.bytes),
    path: String(row.path),
    license: String(row.license),
    description: listing.description ?? String(row.description ?? ''),
    languages,
    createdAt,
    updatedAt: listing.updatedAt && listing.updatedAt > createdAt ? listing.updatedAt : createdAt,
    title: listing.title ?? summary.name ?? String(row.slug),
    tags: listing.tags,
    owner: listing.owner,
    price: listing.price,
    status: listing.status,
    privateColumns: listing.privateColumns,
    columns: (summary.columns ?? []).map((c) => ({ name: String(c.name), type: String(c.type), description: String(c.description ?? '') })),
    stats: {
      languages,
      qualityHistogram: histogram,
      meanQuality: meanFromHistogram(histogram),
      piiCounts: summary.piiCounts ?? {},
      duplicateRate: duplicateRate(summary.stats?.dedupe),
      domains: topDomains(summary.domains),
    },
    files,
  };
}

/** Mean of a histogram over [0, 1] with equal-width bins, each bin counted at its centre. */
export function meanFromHistogram(histogram: number[]): number | null {
  let n = 0;
  let sum = 0;
  histogram.forEach((count, i) => {
    n += count;
    sum += count * ((i + 0.5) / histogram.length);
  });
  return n > 0 ? sum / n : null;
}

function duplicateRate(dedupe: Record<string, number> | undefined): number | null {
  if (!dedupe || !(Number(dedupe.total) > 0)) return null;
  const dropped = Number(dedupe.dropped_exact_duplicate ?? 0) + Number(dedupe.dropped_near_duplicate ?? 0);
  return dropped / Number(dedupe.total);
}

function topDomains(domains: VersionSummary['domains']): Array<{ domain: string; rows: number }> {
  if (!domains) return [];
  const list = Array.isArray(domains)
    ? domains.map((d) => ({ domain: String(d.domain), rows: Number(d.rows) }))
    : Object.entries(domains).map(([domain, rows]) => ({ domain, rows: Number(rows) }));
  return list.sort((a, b) => b.rows - a.rows || a.domain.localeCompare(b.domain)).slice(0, TOP_DOMAINS);
}
