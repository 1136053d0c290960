import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { writeSampleDataset } from './catalog.test-helpers.js';
import { InvalidListingError, InvalidRequestError } from './errors.js';

const OWNER = '9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin';
const newHome = () => mkdtempSync(join(tmpdir(), 'lumora-home-'));

describe('Catalog listings', () => {
  it('publishes many datasets in one transaction, numbering versions of one slug in order, or none at all', async () => {
    const home = newHome();
    const catalog = await Catalog.open({ home });
    try {
      const dir = await writeSampleDataset({ name: 'bulk', rows: 3 });
      const ids = await catalog.publishMany([{ dir }, { dir, opts: { slug: 'other', title: 'Other' } }, { dir }]);
      expect(ids).toEqual(['bulk@v1', 'other@v1', 'bulk@v2']);
      expect((await catalog.getDataset('other')).title).toBe('Other');
      await expect(
        catalog.publishMany([
          { dir, opts: { slug: 'fine' } },
          { dir, opts: { slug: 'Not A Slug' } },
        ]),
      ).rejects.toThrow(/is not a valid slug/);
      await expect(catalog.getDataset('fine')).rejects.toThrow(/not found/);
      expect((await catalog.listDatasets()).map((d) => d.id).sort()).toEqual(['bulk@v1', 'bulk@v2', 'other@v1']);
    } finally {
      catalog.close();
    }
  });

  it('publishes with a listing that later versions inherit, and exposes per-version stats', async () => {
    const catalog = await Catalog.open({ home: newHome() });
    try {
      const dir = await writeSampleDataset({ name: 'news', rows: 12 });
      const v1 = await catalog.publish(dir, {
        title: 'German news',
        tags: ['News'],
        owner: OWNER,
        price: { amount: 5n, currency: 'SOL', mint: null },
        status: 'listed',
      });
      expect(v1).toMatchObject({ id: 'news@v1', versionNumber: 1, title: 'German news', tags: ['news'], owner: OWNER, status: 'listed', privateColumns: [] });
      expect(v1.price).toEqual({ amount: 5n, currency: 'SOL', mint: null });
      expect(v1.stats).toMatchObject({ languages: { en: 8, de: 4 }, piiCounts: { EMAIL_ADDRESS: 2 }, duplicateRate: 0.2 });
      expect(v1.stats.meanQuality).toBeCloseTo((0.85 + 3 * 0.95) / 4);
      expect(v1.columns.map((c) => c.name)).toContain('contact');
      expect(v1.files).toEqual([expect.objectContaining({ path: 'data/part-00000.parquet', rows: 12 })]);
      const v2 = await catalog.publish(dir);
      expect(v2).toMatchObject({ id: 'news@v2', title: 'German news', status: 'listed', owner: OWNER });
    } finally {
      catalog.close();
    }
  });

  it('updates a listing for every version of the slug and rejects unknown private columns', async () => {
    const catalog = await Catalog.open({ home: newHome() });
    try {
      const dir = await writeSampleDataset({ name: 'demo', rows: 5 });
      await catalog.publish(dir);
      await catalog.publish(dir);
      const updated = await catalog.updateListing('demo@v1', { privateColumns: ['contact'], description: 'Edited.', tags: ['web'] });
      expect(updated).toMatchObject({ id: 'demo@v1', privateColumns: ['contact'], description: 'Edited.', tags: ['web'] });
      expect((await catalog.getDataset('demo')).privateColumns).toEqual(['contact']);
      expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(updated.createdAt));
      await expect(catalog.updateListing('demo', { privateColumns: ['foo'] })).rejects.toThrow(InvalidListingError);
      await expect(catalog.updateListing('demo', { privateColumns: ['foo'] })).rejects.toThrow(
        /dataset demo@v2: private column "foo" does not exist \(columns: id, url, text/,
      );
      await expect(catalog.updateListing('nope', { title: 'x' })).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' });
      await expect(catalog.publish(dir, { privateColumns: ['foo'] })).rejects.toThrow(/private column "foo" does not exist/);
      expect((await catalog.listDatasets()).map((d) => d.id)).toEqual(['demo@v2', 'demo@v1']);
    } finally {
      catalog.close();
    }
  });

  it('searches only the newest listed version of each slug and serves getDatasets in input order', async () => {
    const catalog = await Catalog.open({ home: newHome() });
    try {
      await catalog.publish(await writeSampleDataset({ name: 'recipes', rows: 3, description: 'Cooking pages.' }), { status: 'listed' });
      const news = await writeSampleDataset({ name: 'news', rows: 3, description: 'Daily news.' });
      await catalog.publish(news, { status: 'listed' });
      await catalog.publish(news);
      await catalog.publish(await writeSampleDataset({ name: 'draft', rows: 3, description: 'Daily news drafts.' }));
      const all = await catalog.searchDatasets({ first: 10 });
      expect(all.edges.map((e) => e.node.id)).toEqual(['news@v2', 'recipes@v1']);
      const hits = await catalog.searchDatasets({ search: 'news', first: 10 });
      expect(hits.edges.map((e) => e.node.id)).toEqual(['news@v2']);
      expect(hits.totalCount).toBe(1);
      const drafts = await catalog.searchDatasets({ search: 'news', first: 10, filter: { statuses: ['draft'] } });
      expect(drafts.edges.map((e) => e.node.id)).toEqual(['draft@v1']);
      expect((await catalog.getDatasets(['recipes', 'missing', 'news@v1'])).map((d) => d?.id ?? null)).toEqual(['recipes@v1', null, 'news@v1']);
    } finally {
      catalog.close();
    }
  });

  it('opens a catalog written before listings existed, reads it, and migrates it on the first write', async () => {
    const home = newHome();
    const dir = await writeSampleDataset({ name: 'old', rows: 4 });
    const legacy = await Catalog.open({ home });
    const rec = await legacy.publish(dir);
    legacy.close();
    // Turn it back into the old schema: no summary column, no listings table.
    const instance = await DuckDBInstance.create(join(home, 'catalog.duckdb'));
    const conn = await instance.connect();
    await conn.run('DROP TABLE listings; ALTER TABLE datasets DROP COLUMN summary');
    conn.closeSync();
    instance.closeSync();

    const reader = await Catalog.open({ home, readOnly: true });
    expect(await reader.getDataset('old')).toMatchObject({ id: rec.id, title: 'old', status: 'draft', rows: 4 });
    expect((await reader.getDataset('old')).stats.duplicateRate).toBe(0.2);
    reader.close();

    const writer = await Catalog.open({ home });
    try {
      const updated = await writer.updateListing('old', { status: 'listed', tags: ['legacy'] });
      expect(updated).toMatchObject({ id: 'old@v1', status: 'listed', tags: ['legacy'] });
      expect((await writer.searchDatasets({ search: 'legacy', first: 5 })).totalCount).toBe(1);
    } finally {
      writer.close();
    }
  });
});

describe('Catalog previews, cards and files', () => {
  it('previews the first rows without private columns, as JSON-safe values', async () => {
    const catalog = await Catalog.open({ home: newHome() });
    try {
      await catalog.publish(await writeSampleDataset({ name: 'demo', rows: 8 }), { privateColumns: ['contact', 'url'] });
      const preview = await catalog.previewRows('demo', { limit: 2 });
      expect(preview.columns).not.toContain('contact');
      expect(preview.columns).not.toContain('url');
      expect(preview.rows).toHaveLength(2);
      expect(preview.rows[1]).toMatchObject({
        id: 'doc-1',
        n: 1,
        small: 1,
        flag: false,
        quality_flags: ['c4_too_few_sentences'],
        pii_counts: { EMAIL_ADDRESS: 1 },
        fetched_at: '2026-03-01T12:01:00.000Z',
      });
      expect(JSON.parse(JSON.stringify(preview))).toEqual(preview);
      expect(JSON.stringify(preview)).not.toContain('@mail.test');
      expect((await catalog.previewRows('demo')).rows).toHaveLength(5);
      await expect(catalog.previewRows('demo', { limit: 51 })).rejects.toThrow(InvalidRequestError);
    } finally {
      catalog.close();
    }
  });

  it('reads the card of a version and lists its files with absolute paths', async () => {
    const home = newHome();
    const catalog = await Catalog.open({ home });
    try {
      await catalog.publish(await writeSampleDataset({ name: 'demo', rows: 3 }));
      expect(await catalog.readCard('demo@v1')).toMatch(/^---\npretty_name: demo/);
      const files = await catalog.datasetFiles('demo');
      expect(files).toEqual([
        expect.objectContaining({ path: 'data/part-00000.parquet', absolutePath: join(home, 'datasets', 'demo', 'v1', 'data', 'part-00000.parquet'), rows: 3 }),
      ]);
      expect(files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      catalog.close();
    }
  });
});
