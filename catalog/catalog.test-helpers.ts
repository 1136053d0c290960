/**
 * @module Test helper: writes a real dataset directory (Parquet part, manifest.json, README.md)
 * with DuckDB, shaped like the pipeline's output, for catalog tests and their child processes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export const SAMPLE_COLUMNS = [
  { name: 'id', type: 'VARCHAR', description: 'document id' },
  { name: 'url', type: 'VARCHAR', description: 'source URL' },
  { name: 'text', type: 'VARCHAR', description: 'main text' },
  { name: 'lang', type: 'VARCHAR', description: 'language' },
  { name: 'quality_score', type: 'DOUBLE', description: 'quality in [0, 1]' },
  { name: 'n', type: 'BIGINT', description: 'row number' },
  { name: 'small', type: 'INTEGER', description: 'row number mod 7' },
  { name: 'flag', type: 'BOOLEAN', description: 'even row' },
  { name: 'quality_flags', type: 'VARCHAR[]', description: 'failed rules' },
  { name: 'pii_counts', type: 'MAP(VARCHAR, INTEGER)', description: 'entities by type' },
  { name: 'fetched_at', type: 'TIMESTAMP', description: 'fetch time' },
  { name: 'contact', type: 'VARCHAR', description: 'a column a seller keeps private' },
];

/** Writes a dataset named `name` with `rows` rows into a fresh temp directory and returns it. */
export async function writeSampleDataset(opts: { name: string; rows: number; description?: string; dir?: string }): Promise<string> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'lumora-ds-'));
  mkdirSync(join(dir, 'data'), { recursive: true });
  const part = join(dir, 'data', 'part-00000.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`COPY (
      SELECT 'doc-' || i AS id, 'http://site.test/' || i AS url, 'Text of document ' || i || '.' AS text,
             CASE WHEN i % 3 = 0 THEN 'de' ELSE 'en' END AS lang, (i % 10) / 10.0 + 0.05 AS quality_score,
             i::BIGINT AS n, (i % 7)::INTEGER AS small, i % 2 = 0 AS flag,
             CASE WHEN i % 2 = 1 THEN ['c4_too_few_sentences'] ELSE []::VARCHAR[] END AS quality_flags,
             CASE WHEN i % 2 = 1 THEN MAP {'EMAIL_ADDRESS': 1} ELSE MAP {}::MAP(VARCHAR, INTEGER) END AS pii_counts,
             TIMESTAMP '2026-03-01 12:00:00' + INTERVAL (i) MINUTE AS fetched_at,
             'person' || i || '@mail.test' AS contact
      FROM range(${Math.floor(opts.rows)}) t(i) ORDER BY i
    ) TO '${part.replaceAll("'", "''")}' (FORMAT parquet)`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  const bytes = statSync(part).size;
  const sha256 = createHash('sha256').update(readFileSync(part)).digest('hex');
  const de = Math.floor((opts.rows + 2) / 3);
  const manifest = {
    format: 'lumora-dataset/1',
    name: opts.name,
    description: opts.description ?? `Sample pages for ${opts.name}.`,
    license: 'cc-by-4.0',
    rows: opts.rows,
    bytes,
    files: [{ path: 'data/part-00000.parquet', rows: opts.rows, bytes, sha256 }],
    columns: SAMPLE_COLUMNS,
    languages: { en: opts.rows - de, de },
    qualityHistogram: [0, 0, 0, 0, 0, 0, 0, 0, 1, 3],
    piiCounts: { EMAIL_ADDRESS: 2 },
    stats: { dedupe: { total: 10, kept: 8, dropped_exact_duplicate: 1, dropped_near_duplicate: 1 } },
    config: { runner: { workers: 2 } },
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'README.md'), `---\npretty_name: ${opts.name}\nlicense: cc-by-4.0\n---\n\n# ${opts.name}\n`);
  return dir;
}
