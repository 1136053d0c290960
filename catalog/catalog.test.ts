import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetWriter } from '../pipeline/dataset-writer.js';
import type { Doc } from '../pipeline/doc.js';
import { Catalog } from './catalog.js';
import { InvalidDatasetError, QueryRejectedError, DatasetNotFoundError } from './errors.js';

function doc(i: number, lang: string): Doc {
  return {
    id: `doc-${i}`,
    url: `http://site.test/${i}`,
    domain: 'site.test',
    fetchedAt: '2026-03-01T12:00:00.000Z',
    title: `Title ${i}`,
    text: `Text of document ${i}.`,
    lang,
    langScore: 0.9,
    quality: { score: 0.8, flags: i % 2 ? ['c4_too_few_sentences'] : [] },
    piiCounts: i % 2 ? { EMAIL_ADDRESS: 1 } : {},
    contentHash: `h${i}`,
    dupCluster: `doc-${i}`,
    source: { kind: 'jsonl', input: 'mem', offset: i },
  };
}

/** Writes a real dataset directory (one Parquet part + manifest) with `n` rows. */
async function makeDataset(n: number, name = 'sample'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lumora-ds-'));
  const writer = await DatasetWriter.create({ dir });
  try {
    await writer.beginPart();
    for (let i = 0; i < n; i++) writer.append(doc(i, i < 3 ? 'en' : 'de'));
    const part = await writer.finishPart(0);
    const manifest = { name, rows: n, bytes: part?.bytes ?? 0, languages: { en: 3, de: n - 3 }, license: 'cc-by-4.0', files: part ? [part] : [] };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  } finally {
    writer.close();
  }
  return dir;
}

describe('Catalog', () => {
  it('publishes a dataset directory as successive versions under the data home and lists them', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lumora-home-'));
    const dir = await makeDataset(5);
    const catalog = await Catalog.open({ home });
    try {
      const v1 = await catalog.publish(dir);
      const v2 = await catalog.publish(dir);
      expect(v1).toMatchObject({ id: 'sample@v1', slug: 'sample', version: 'v1', rows: 5, license: 'cc-by-4.0' });
      expect(v2.id).toBe('sample@v2');
      expect(v1.path).toBe(join(home, 'datasets', 'sample', 'v1'));
      const list = await catalog.listDatasets();
      expect(list.map((d) => d.id)).toEqual(['sample@v2', 'sample@v1']);
      expect((await catalog.getDataset('sample')).id).toBe('sample@v2');
    } finally {
      catalog.close();
    }
  });

  it('answers a read-only SELECT over the dataset view and rejects writes', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lumora-home-'));
    const catalog = await Catalog.open({ home });
    try {
      await catalog.publish(await makeDataset(5));
      const r = await catalog.query('sample', 'SELECT lang, count(*) AS n FROM dataset GROUP BY lang ORDER BY lang');
      expect(r.columns).toEqual(['lang', 'n']);
      expect(r.rows.map((row) => [row[0], Number(row[1])])).toEqual([
        ['de', 2],
        ['en', 3],
      ]);
      const pii = await catalog.query('sample', "SELECT sum(pii_counts['EMAIL_ADDRESS']) FROM dataset");
      expect(Number(pii.rows[0]?.[0])).toBe(2);
      await expect(catalog.query('sample', "COPY (SELECT 1) TO '/tmp/x.csv'")).rejects.toBeInstanceOf(QueryRejectedError);
      await expect(catalog.query('sample', 'SELECT 1; SELECT 2')).rejects.toBeInstanceOf(QueryRejectedError);
      await expect(catalog.query('sample', 'SELEC nonsense')).rejects.toBeInstanceOf(QueryRejectedError);
      await expect(catalog.query('nope', 'SELECT 1')).rejects.toBeInstanceOf(DatasetNotFoundError);
    } finally {
      catalog.close();
    }
  });

  it('refuses to publish a directory whose files do not match the manifest, and registers nothing', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lumora-home-'));
    const dir = await makeDataset(4, 'broken');
    appendFileSync(join(dir, 'data', 'part-00000.parquet'), 'tampered');
    const catalog = await Catalog.open({ home });
    try {
      await expect(catalog.publish(dir)).rejects.toThrow(/does not match its sha256/);
      await expect(catalog.publish(mkdtempSync(join(tmpdir(), 'empty-')))).rejects.toBeInstanceOf(InvalidDatasetError);
      expect(await catalog.listDatasets()).toEqual([]);
    } finally {
      catalog.close();
    }
  });

  it('lists nothing for a home that has no catalog yet, without creating one', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'lumora-home-')), 'fresh');
    const catalog = await Catalog.open({ home, readOnly: true });
    try {
      expect(await catalog.listDatasets()).toEqual([]);
    } finally {
      catalog.close();
    }
  });
});

describe('staging copies left behind', () => {
  /** A pid that belonged to a process that has exited. */
  function deadPid(): number {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    return Number(r.stdout);
  }

  /** A staging directory as publish makes it, with a file in it, last touched `ageMs` ago. */
  function plant(home: string, name: string, ageMs: number): void {
    const dir = join(home, 'datasets', name);
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'part-00000.parquet'), 'partial copy');
    const t = (Date.now() - ageMs) / 1000;
    for (const p of [join(dir, 'data', 'part-00000.parquet'), join(dir, 'data'), dir]) utimesSync(p, t, t);
  }

  it('are removed when the catalog opens if their process is gone and they sat idle, and kept while a process may still use them', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lumora-home-'));
    const dead = deadPid();
    const hour = 60 * 60 * 1000;
    plant(home, `.staging-${dead}-0b7e`, hour);
    plant(home, `.staging-${process.pid}-1c2d`, hour);
    plant(home, `.staging-${dead}-2e3f`, 1000);
    // Named before staging copies carried a pid: only their age tells.
    plant(home, '.staging-6f1e2d3c-aaaa-4bbb-8ccc-1234567890ab', 2 * hour);
    plant(home, '.staging-7a8b9c0d-aaaa-4bbb-8ccc-1234567890ab', 1000);
    mkdirSync(join(home, 'datasets', 'kept-slug', 'v1'), { recursive: true });

    (await Catalog.open({ home, readOnly: true })).close();
    expect(readdirSync(join(home, 'datasets'))).toHaveLength(6);

    (await Catalog.open({ home })).close();
    expect(readdirSync(join(home, 'datasets')).sort()).toEqual(
      [`.staging-${process.pid}-1c2d`, `.staging-${dead}-2e3f`, '.staging-7a8b9c0d-aaaa-4bbb-8ccc-1234567890ab', 'kept-slug'].sort(),
    );
    expect(existsSync(join(home, 'datasets', 'kept-slug', 'v1'))).toBe(true);
  });

  it('are named with the pid of the process that publishes', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lumora-home-'));
    const catalog = await Catalog.open({ home });
    const seen = new Set<string>();
    const watcher = setInterval(() => {
      if (existsSync(join(home, 'datasets'))) for (const n of readdirSync(join(home, 'datasets'))) if (n.startsWith('.staging-')) seen.add(n);
    }, 1);
    try {
      await catalog.publish(await makeDataset(2000, 'named'));
    } finally {
      clearInterval(watcher);
      catalog.close();
    }
    for (const n of seen) expect(n).toMatch(new RegExp(`^\\.staging-${process.pid}-[0-9a-f-]+$`));
  });
});
