import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { writeSampleDataset } from './catalog.test-helpers.js';
import { InvalidDatasetError } from './errors.js';
import { parseManifest } from './manifest.js';

const FILE = { path: 'data/part-00000.parquet', rows: 3, bytes: 10, sha256: 'a'.repeat(64) };

describe('manifest.json', () => {
  it('reads a manifest from before format, columns and stats were written, keeping what it does not know', () => {
    const legacy = { name: 'old', rows: 3, bytes: 10, languages: { en: 3 }, license: 'cc-by-4.0', files: [FILE], producer: { note: 'hand-made' } };
    expect(parseManifest(legacy, 'old-dir')).toEqual(legacy);
  });

  it('names the file and every field that does not fit', () => {
    const bad = { format: 'lumora-dataset/1', name: 'bad', rows: '3', bytes: 10, files: [{ ...FILE, sha256: 7 }] };
    const err = (() => {
      try {
        parseManifest(bad, 'bad-dir');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidDatasetError);
    expect((err as Error).message).toMatch(/^dataset bad-dir: manifest\.json does not fit the manifest format: /);
    expect((err as Error).message).toContain('rows: Invalid input: expected number, received string');
    expect((err as Error).message).toContain('files.0.sha256: Invalid input: expected string, received number');
  });

  it('refuses to publish a directory whose manifest lacks a field, naming it, and registers nothing', async () => {
    const dir = await writeSampleDataset({ name: 'nofiles', rows: 3 });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    delete manifest.files;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const catalog = await Catalog.open({ home: mkdtempSync(join(tmpdir(), 'lumora-home-')) });
    try {
      await expect(catalog.publish(dir)).rejects.toThrow(
        /manifest\.json does not fit the manifest format: files: Invalid input: expected array, received undefined/,
      );
      expect(await catalog.listDatasets()).toEqual([]);
    } finally {
      catalog.close();
    }
  });
});
