/**
 * @module Writes the files that describe a dataset directory: `manifest.json` (machine-readable:
 * files with sha256, rows, bytes, per-stage stats, config, tool version), the dataset card
 * `README.md` (YAML front matter in the format dataset hubs read, then prose), and `report.json`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { MANIFEST_FORMAT, type WrittenManifest } from '../catalog/index.js';
import type { PipelineConfig } from './config.js';
import type { DatasetProfile } from './dataset-profile.js';
import type { PartFile } from './dataset-writer.js';
import type { RunReport } from './report.js';
import type { StatsSnapshot } from './stats.js';

/** The columns of every Lumora dataset, with their Parquet/DuckDB types and meaning. */
export const DATASET_COLUMNS: Array<{ name: string; type: string; description: string }> = [
  { name: 'id', type: 'VARCHAR', description: 'stable document id (hash of input, position and URL)' },
  { name: 'url', type: 'VARCHAR', description: 'URL the page was fetched from' },
  { name: 'domain', type: 'VARCHAR', description: 'host of the URL, without www.' },
  { name: 'title', type: 'VARCHAR', description: 'page title, PII-redacted' },
  { name: 'text', type: 'VARCHAR', description: 'extracted main text, PII-redacted' },
  { name: 'lang', type: 'VARCHAR', description: 'ISO 639-1 language code, `und` when unknown' },
  { name: 'lang_score', type: 'DOUBLE', description: 'language detector confidence in [0, 1]' },
  { name: 'quality_score', type: 'DOUBLE', description: 'heuristic quality score in [0, 1]' },
  { name: 'quality_flags', type: 'VARCHAR[]', description: 'quality rules the document failed' },
  { name: 'pii_counts', type: 'MAP(VARCHAR, INTEGER)', description: 'redacted entities by type (counts only)' },
  { name: 'content_hash', type: 'VARCHAR', description: 'hash of the normalised text (exact dedupe key)' },
  { name: 'dup_cluster', type: 'VARCHAR', description: 'id of the near-duplicate cluster this row heads' },
  { name: 'canonical_url', type: 'VARCHAR', description: '<link rel=canonical> of the page, when present' },
  { name: 'fetched_at', type: 'TIMESTAMP', description: 'fetch time (UTC)' },
];

/**
 * The manifest `lumora run` writes: the catalog's `WrittenManifest` (catalog/manifest.ts owns the
 * shape, and parses it back at publish), with the config typed as the pipeline's own.
 */
export type DatasetManifest = WrittenManifest & { config: PipelineConfig };

/** Hub size categories (as the Hugging Face dataset card spec names them). */
export function sizeCategory(rows: number): string {
  const bands: Array<[number, string]> = [
    [1e3, 'n<1K'],
    [1e4, '1K<n<10K'],
    [1e5, '10K<n<100K'],
    [1e6, '100K<n<1M'],
    [1e7, '1M<n<10M'],
    [1e8, '10M<n<100M'],
    [1e9, '100M<n<1B'],
  ];
  return bands.find(([limit]) => rows < limit)?.[1] ?? 'n>1B';
}

export async function writeDatasetFiles(input: {
  dir: string;
  name: string;
  config: PipelineConfig;
  inputs: string[];
  parts: PartFile[];
  profile: DatasetProfile;
  stats: StatsSnapshot;
  report: RunReport;
  toolVersion: string;
  createdAt: string;
}): Promise<DatasetManifest> {
  const manifest: DatasetManifest = {
    format: MANIFEST_FORMAT,
    name: input.name,
    description: input.config.dataset.description,
    license: input.config.dataset.license,
    createdAt: input.createdAt,
    tool: { name: 'lumora', version: input.toolVersion },
    inputs: input.inputs,
    rows: input.profile.rows,
    bytes: input.parts.reduce((a, p) => a + p.bytes, 0),
    files: input.parts,
    columns: DATASET_COLUMNS,
    languages: input.profile.languages,
    qualityHistogram: input.profile.qualityHistogram,
    piiCounts: input.profile.piiCounts,
    stats: input.stats.counters,
    config: input.config,
  };
  await writeFile(join(input.dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  await writeFile(join(input.dir, 'README.md'), renderDatasetCard(manifest, input.report));
  await writeFile(join(input.dir, 'report.json'), JSON.stringify(input.report, null, 2) + '\n');
  return manifest;
}

/** How found values were transformed, in a sentence: what a reader of the data needs to know. */
export function describeOperators(operators: PipelineConfig['pii']['operators']): string {
  const how: Record<string, string> = {
    replace: 'replaced by a typed placeholder such as `<EMAIL_ADDRESS>`',
    redact: 'removed',
    mask: 'masked except their last characters',
    hash: 'replaced by a keyed hash (the same value gives the same placeholder throughout)',
    pseudonym: 'replaced by a numbered pseudonym (`<PERSON_1>`), numbered per document',
    encrypt: 'encrypted (AES-256-GCM); holders of the key can restore them',
  };
  const fallback = operators.DEFAULT?.type ?? 'replace';
  const special = Object.entries(operators).filter(([t]) => t !== 'DEFAULT');
  const rest = `${special.length > 0 ? 'Other values were' : 'Values were'} ${how[fallback]}.`;
  return [...special.map(([t, op]) => `${t} values were ${how[op.type]}.`), rest].join(' ');
}

/** The dataset card: hub front matter, then what the data is and how it was processed. */
export function renderDatasetCard(m: DatasetManifest, report: RunReport): string {
  const languages = Object.keys(m.languages).filter((l) => l !== 'und');
  const front = {
    pretty_name: m.name,
    license: m.license,
    language: languages,
    multilinguality: languages.length > 1 ? 'multilingual' : 'monolingual',
    size_categories: [sizeCategory(m.rows)],
    source_datasets: ['original'],
    task_categories: ['text-generation'],
    tags: ['lumora', 'web', 'pii-redacted', 'deduplicated'],
    configs: [{ config_name: 'default', data_files: [{ split: 'train', path: 'data/*.parquet' }] }],
  };
  const pct = (n: number, d: number) => (d > 0 ? `${((100 * n) / d).toFixed(1)}%` : '—');
  const steps = report.funnel
    .map((f) => {
      const reasons = Object.entries(f.dropped)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      return `| ${f.stage} | ${f.in} | ${f.out} | ${pct(f.in - f.out, f.in)} | ${reasons || '—'} |`;
    })
    .join('\n');
  const skipped = Object.entries(report.source.skipped)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const pii = Object.entries(m.piiCounts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `---
${stringify(front).trimEnd()}
---

# ${m.name}

${m.description || 'A web-text dataset built by Lumora: main text extracted from collected pages, then language-tagged, deduplicated, PII-redacted and quality-scored.'}

- **Rows:** ${m.rows} in ${m.files.length} Parquet file(s) (zstd), ${(m.bytes / 1e6).toFixed(2)} MB
- **Languages:** ${
    Object.entries(m.languages)
      .map(([k, v]) => `${k} (${v})`)
      .join(', ') || '—'
  }
- **Source:** ${m.inputs.map((i) => `\`${i}\``).join(', ')}
- **Built with:** lumora ${m.tool.version}, ${m.createdAt}
- **License:** ${m.license}

## Processing

Input records read: ${report.source.read}${skipped ? ` (skipped before processing: ${skipped})` : ''}.

| step | in | out | drop rate | drop reasons |
| --- | --- | --- | --- | --- |
${steps}

Personal data looked for: ${m.config.pii.entities.join(', ')}. ${describeOperators(m.config.pii.operators)}
Found: ${pii || 'none'}. Only counts are kept (column \`pii_counts\`); the values are not stored anywhere.

## Columns

| column | type | meaning |
| --- | --- | --- |
${m.columns.map((c) => `| ${c.name} | ${c.type} | ${c.description} |`).join('\n')}
`;
}
