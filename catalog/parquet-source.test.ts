import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from './catalog.js';
import { writeSampleDataset } from './catalog.test-helpers.js';
import { CatalogError } from './errors.js';

const root = mkdtempSync(join(tmpdir(), 'lumora-parquet-links-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PART = join('data', 'part-00000.parquet');

/** A published version whose directory is then changed by `plant`, as a version published before links were refused may be. */
async function publishedThenChanged(name: string, plant: (versionDir: string, outside: string) => void) {
  const home = join(root, name, 'home');
  const outside = join(root, name, 'outside');
  mkdirSync(outside, { recursive: true });
  const catalog = await Catalog.open({ home });
  const record = await catalog.publish(await writeSampleDataset({ name, rows: 12 }));
  plant(record.path, outside);
  return { catalog, record };
}

/** Every DuckDB reader of the version refuses, with the same error naming the file relative to the version. */
async function expectEveryReaderRefuses(catalog: Catalog, id: string, file: string, rule: RegExp): Promise<void> {
  const reads: Array<[string, () => Promise<unknown>]> = [
    ['query', () => catalog.query(id, 'SELECT count(*) FROM dataset')],
    ['preview', () => catalog.previewRows(id, { limit: 2 })],
    [
      'scan',
      async () => {
        for await (const _ of catalog.scanBatches(id));
      },
    ],
  ];
  for (const [what, read] of reads) {
    const err = await read().then(
      () => new Error(`${what} read the version`),
      (e: unknown) => e,
    );
    expect(err, what).toBeInstanceOf(CatalogError);
    expect(err, what).toMatchObject({ code: 'DATASET_FILE_INVALID' });
    const message = (err as Error).message;
    expect(message, what).toMatch(new RegExp(`^dataset ${id}: ${file.replaceAll('.', '\\.')} `));
    expect(message, what).toMatch(rule);
    // The data home's location is the server's business, not a buyer's.
    expect(message, what).not.toContain(root);
  }
}

describe('readers of a published version read regular files only', () => {
  it('refuses a Parquet part that is a symbolic link, naming it, in every reader', async () => {
    const { catalog, record } = await publishedThenChanged('part-link', (dir, outside) => {
      renameSync(join(dir, PART), join(outside, 'part.parquet'));
      symlinkSync(join(outside, 'part.parquet'), join(dir, PART));
    });
    try {
      await expectEveryReaderRefuses(catalog, record.id, 'data/part-00000.parquet', /is a symbolic link/);
    } finally {
      catalog.close();
    }
  });

  it('refuses a data directory that is a link to another directory', async () => {
    const { catalog, record } = await publishedThenChanged('dir-link', (dir, outside) => {
      renameSync(join(dir, 'data'), join(outside, 'data'));
      symlinkSync(join(outside, 'data'), join(dir, 'data'));
    });
    try {
      await expectEveryReaderRefuses(catalog, record.id, 'data/part-00000.parquet', /passes through a symbolic link \(data\)/);
    } finally {
      catalog.close();
    }
  });

  it('refuses a part that is not a regular file (a FIFO would block the reader)', async () => {
    const { catalog, record } = await publishedThenChanged('part-fifo', (dir) => {
      rmSync(join(dir, PART));
      execFileSync('mkfifo', [join(dir, PART)]);
    });
    try {
      await expectEveryReaderRefuses(catalog, record.id, 'data/part-00000.parquet', /is not a regular file/);
    } finally {
      catalog.close();
    }
  });

  it('still reads a version whose files are regular', async () => {
    const { catalog, record } = await publishedThenChanged('regular', () => undefined);
    try {
      expect((await catalog.query(record.id, 'SELECT count(*) AS n FROM dataset')).rows).toEqual([[12n]]);
      expect((await catalog.previewRows(record.id, { limit: 2 })).rows).toHaveLength(2);
    } finally {
      catalog.close();
    }
  });
});
