import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { siteDir, startFixtureSite } from '../../fixtures/site-server.js';
import type { ManifestEntry } from '../../fixtures/make-site.js';
import { lumora, lumoraAsync, readRows, type CliResult } from './helpers.js';

const manifest = JSON.parse(readFileSync(join(siteDir(), 'manifest.json'), 'utf8')) as ManifestEntry[];
const CONTRACT_COLUMNS = [
  'id',
  'url',
  'domain',
  'title',
  'text',
  'lang',
  'lang_score',
  'quality_score',
  'quality_flags',
  'pii_counts',
  'content_hash',
  'dup_cluster',
  'fetched_at',
];

describe('lumora run over a crawl of the fixture site on 127.0.0.1', () => {
  let site: Awaited<ReturnType<typeof startFixtureSite>>;
  const dir = mkdtempSync(join(tmpdir(), 'lumora-crawl-'));
  const out = join(dir, 'out');
  const home = join(dir, 'home');
  let rows: Array<Record<string, unknown>> = [];
  let report: { source: { skipped: Record<string, number> }; funnel: Array<{ stage: string; dropped: Record<string, number> }> };
  let run: CliResult;

  beforeAll(async () => {
    site = await startFixtureSite();
    const config = join(dir, 'lumora.yaml');
    writeFileSync(config, 'dataset:\n  name: gazette\n  license: cc-by-4.0\ncrawl:\n  sameHostDelayMs: 0\n  maxRetries: 1\n  requestTimeoutMs: 10000\n');
    run = await lumoraAsync(['run', site.url, '--out', out, '--home', home, '--config', config, '--publish', '--json']);
    rows = await readRows(out);
    report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  }, 240_000);

  afterAll(async () => {
    await site.close();
  });

  const byPath = (p: string) => rows.find((r) => new URL(String(r.url)).pathname === p);
  const dropped = (stage: string) => report.funnel.find((f) => f.stage === stage)?.dropped ?? {};

  it('finishes with exit 0 and publishes the dataset', () => {
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).dataset).toMatchObject({ id: 'gazette@v1', slug: 'gazette', version: 'v1' });
  });

  it('keeps every article, PII page and non-English page, tagging languages', () => {
    for (const e of manifest.filter((m) => m.expect === 'kept')) {
      const row = byPath(e.path);
      expect(row, e.path).toBeDefined();
      if (e.lang) expect(row?.lang, e.path).toBe(e.lang);
    }
  });

  it('drops exact and near duplicates and keeps the first of each cluster', () => {
    for (const e of manifest.filter((m) => m.category.endsWith('duplicate'))) {
      expect(byPath(e.path), e.path).toBeUndefined();
      expect(byPath(e.duplicateOf ?? ''), e.duplicateOf).toBeDefined();
    }
    expect(dropped('dedupe').exact_duplicate).toBeGreaterThanOrEqual(1);
    expect(dropped('dedupe').near_duplicate).toBeGreaterThanOrEqual(1);
  });

  it('drops the low-quality pages', () => {
    for (const e of manifest.filter((m) => m.category === 'low-quality')) expect(byPath(e.path), e.path).toBeUndefined();
    expect(dropped('quality').gopher_short_doc).toBeGreaterThanOrEqual(1);
  });

  it('leaves no planted personal value in any title or text, and counts what it redacted', () => {
    const all = rows
      .map((r) => `${r.title}\n${r.text}`)
      .join('\n')
      .replace(/\s+/g, ' ');
    const planted = manifest.flatMap((m) => m.planted ?? []);
    expect(planted.length).toBeGreaterThan(15);
    for (const p of planted) expect(all.includes(p.value), `${p.type} survived`).toBe(false);
    const letter = byPath('/letters/billing-complaint.html');
    expect(letter?.text).toContain('<CREDIT_CARD>');
    expect(letter?.text).toContain('<IBAN_CODE>');
    expect(letter?.text).toContain('<US_SSN>');
  });

  it('skips broken inputs with counted reasons, never failing the run', () => {
    expect(dropped('extract').binary).toBe(1);
    expect(dropped('extract').too_large).toBe(1);
    expect(report.source.skipped.http_404).toBeGreaterThanOrEqual(1);
    const failed = (report.source.skipped.fetch_failed ?? 0) + (report.source.skipped.http_500 ?? 0);
    expect(failed).toBeGreaterThanOrEqual(2); // the 500 page and the redirect loop
    expect(byPath('/broken/invalid-utf8.html')).toBeDefined();
  });

  it('respects robots.txt', () => {
    expect(rows.some((r) => String(r.url).includes('/private/'))).toBe(false);
    expect(report.source.skipped.robots_txt).toBeGreaterThanOrEqual(1);
  });

  it('writes the contract columns, a manifest whose checksums match, and a hub-style dataset card', () => {
    expect(Object.keys(rows[0] ?? {})).toEqual(expect.arrayContaining(CONTRACT_COLUMNS));
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      files: Array<{ path: string; sha256: string; rows: number }>;
      rows: number;
      tool: { version: string };
    };
    expect(m.rows).toBe(rows.length);
    for (const f of m.files)
      expect(
        createHash('sha256')
          .update(readFileSync(join(out, f.path)))
          .digest('hex'),
      ).toBe(f.sha256);
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    const front = parseYaml(card.split('---')[1] ?? '') as Record<string, unknown>;
    expect(front).toMatchObject({ license: 'cc-by-4.0', size_categories: ['n<1K'] });
    expect(front.language).toEqual(expect.arrayContaining(['en', 'de', 'fr', 'es', 'ja']));
    expect(card).toMatch(/\| dedupe \| \d+ \| \d+ \| [\d.]+% \|/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Drop reasons');
  });

  it('lists the dataset with the contract fields and answers a query over it', () => {
    const list = JSON.parse(lumora(['datasets', '--home', home, '--json']).stdout) as Array<Record<string, unknown>>;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 'gazette@v1', slug: 'gazette', version: 'v1', rows: rows.length, path: join(home, 'datasets', 'gazette', 'v1') });
    expect(typeof list[0]?.bytes).toBe('number');
    const q = lumora(['query', 'gazette', "SELECT count(*) AS n FROM dataset WHERE lang = 'en'", '--home', home, '--json']);
    expect(q.status).toBe(0);
    expect(JSON.parse(q.stdout)[0].n).toBe(rows.filter((r) => r.lang === 'en').length);
  });
});
