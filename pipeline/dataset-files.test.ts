import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest, writtenManifestSchema } from '../catalog/index.js';
import { parsePipelineConfig } from './config.js';
import { describeOperators, writeDatasetFiles } from './dataset-files.js';
import { buildRunReport } from './report.js';

describe('dataset card', () => {
  it('says how personal data was transformed, per type and for the rest', () => {
    expect(describeOperators({})).toBe('Values were replaced by a typed placeholder such as `<EMAIL_ADDRESS>`.');
    expect(describeOperators({ PERSON: { type: 'hash', chars: 16 }, DEFAULT: { type: 'redact' } })).toBe(
      'PERSON values were replaced by a keyed hash (the same value gives the same placeholder throughout). Other values were removed.',
    );
  });
});

describe('manifest.json', () => {
  it('is written in the shape the catalog reads, with every field lumora run writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumora-manifest-'));
    const stats = { counters: { dedupe: { total: 3, kept: 2, dropped_exact_duplicate: 1 } }, timeMs: {} };
    const profile = {
      rows: 2,
      textBytes: 20,
      languages: { en: 2 },
      qualityHistogram: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1],
      piiCounts: { EMAIL_ADDRESS: 1 },
      domains: 1,
    };
    const parts = [{ path: 'data/part-00000.parquet', rows: 2, bytes: 100, sha256: 'a'.repeat(64) }];
    const report = buildRunReport({
      runId: 'r',
      inputs: ['in.jsonl'],
      startedAt: '2026-03-01T00:00:00.000Z',
      finishedAt: '2026-03-01T00:00:01.000Z',
      durationMs: 1000,
      stats,
      profile,
      parts,
      resumed: false,
    });
    await writeDatasetFiles({
      dir,
      name: 'sample',
      config: parsePipelineConfig({}),
      inputs: ['in.jsonl'],
      parts,
      profile,
      stats,
      report,
      toolVersion: '0.1.0',
      createdAt: '2026-03-01T00:00:01.000Z',
    });
    const written: unknown = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(writtenManifestSchema.safeParse(written).error).toBeUndefined();
    // The catalog's reader keeps every field, in the order written.
    expect(JSON.stringify(parseManifest(written, dir))).toBe(JSON.stringify(written));
  });
});
