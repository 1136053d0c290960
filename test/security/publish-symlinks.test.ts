// Issue 11, high: `lumora publish` followed symbolic links. A README.md linked to a secret file
// became the dataset card anonymous users read; a Parquet part linked to a file outside the
// dataset directory was served from there and could change after its sha256 was checked.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, lstatSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog, InvalidDatasetError } from '../../catalog/index.js';
import { writeSampleDataset } from '../../catalog/catalog.test-helpers.js';
import { lumora } from '../e2e/helpers.js';

const SECRET = 'AWS_SECRET_ACCESS_KEY=do-not-show-me';
const root = mkdtempSync(join(tmpdir(), 'lumora-publish-links-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PART = join('data', 'part-00000.parquet');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A fresh sample dataset directory, a fresh data home, and a secret file outside both. */
async function setup(name: string) {
  const base = mkdtempSync(join(root, `${name}-`));
  const dir = await writeSampleDataset({ name, rows: 20, dir: join(base, 'dataset') });
  const secret = join(base, 'secret.env');
  writeFileSync(secret, SECRET);
  return { base, dir, secret, home: join(base, 'home') };
}

/** Publishing `dir` fails with a DATASET_INVALID error that names `path`, and leaves the catalog empty. */
async function expectRefused(home: string, dir: string, path: string, rule: RegExp): Promise<void> {
  const catalog = await Catalog.open({ home });
  try {
    const err = await catalog.publish(dir).then(
      async (rec) => new Error(`published as ${rec.id}; card: ${(await catalog.readCard(rec.id).catch(() => '(none)')).slice(0, 80)}`),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidDatasetError);
    const message = (err as Error).message;
    expect(message).toContain(path);
    expect(message).toMatch(rule);
    expect(message).not.toContain(SECRET);
    expect(await catalog.listDatasets()).toEqual([]);
  } finally {
    catalog.close();
  }
}

describe('lumora publish refuses symlinks', () => {
  it('refuses a README.md that links to a secret file, naming it', async () => {
    const { dir, secret, home } = await setup('card-link');
    rmSync(join(dir, 'README.md'));
    symlinkSync(secret, join(dir, 'README.md'));
    await expectRefused(home, dir, 'README.md', /symbolic link/);
  });

  it('refuses a Parquet part that links to a file outside the dataset, even one whose sha256 matches', async () => {
    const { base, dir, home } = await setup('part-link');
    const outside = join(base, 'elsewhere.parquet');
    renameSync(join(dir, PART), outside);
    symlinkSync(outside, join(dir, PART));
    await expectRefused(home, dir, PART, /symbolic link/);
  });

  it('refuses a data directory that is a link to another directory', async () => {
    const { base, dir, home } = await setup('dir-link');
    renameSync(join(dir, 'data'), join(base, 'real-data'));
    symlinkSync(join(base, 'real-data'), join(dir, 'data'));
    await expectRefused(home, dir, PART, /symbolic link \(data\)/);
  });

  it('refuses a manifest.json that is a link', async () => {
    const { base, dir, home } = await setup('manifest-link');
    renameSync(join(dir, 'manifest.json'), join(base, 'manifest.json'));
    symlinkSync(join(base, 'manifest.json'), join(dir, 'manifest.json'));
    await expectRefused(home, dir, 'manifest.json', /symbolic link/);
  });

  it('refuses a card that is not a regular file (a FIFO would block the copy forever)', async () => {
    const { dir, home } = await setup('card-fifo');
    rmSync(join(dir, 'README.md'));
    const made = spawnSync('mkfifo', [join(dir, 'README.md')]);
    expect(made.status).toBe(0);
    await expectRefused(home, dir, 'README.md', /not a regular file/);
  });

  it.each([
    ['a path that climbs out of the directory', '../../secret.env'],
    ['an absolute path', '/etc/passwd'],
    ['a path with a "." segment', './data/part-00000.parquet'],
  ])('refuses a manifest entry with %s, naming it', async (_what, entry) => {
    const { dir, home } = await setup('escape');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Array<{ path: string }> };
    manifest.files.push({ ...manifest.files[0], path: entry } as { path: string });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await expectRefused(home, dir, entry, /must be relative to the dataset directory/);
  });

  it('says so on the command line in one line naming the path, with exit code 2', async () => {
    const { dir, secret, home } = await setup('cli-link');
    rmSync(join(dir, 'README.md'));
    symlinkSync(secret, join(dir, 'README.md'));
    const r = lumora(['publish', dir, '--home', home]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('README.md is a symbolic link');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('serves the bytes it checked: while the source part is swapped back and forth, every published part matches its sha256', async () => {
    const base = mkdtempSync(join(root, 'race-'));
    const dir = await writeSampleDataset({ name: 'race', rows: 150_000, dir: join(base, 'dataset') });
    const good = join(base, 'good.parquet');
    const bad = join(base, 'bad.parquet');
    copyFileSync(join(dir, PART), good);
    writeFileSync(bad, Buffer.alloc(readFileSync(good).length, 0x41));
    const expected = sha256(good);
    // Another process replaces the part, atomically each time, as fast as it can.
    const swapper = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs'); const [good, bad, target] = process.argv.slice(1); let i = 0;
         for (;;) { fs.copyFileSync(i++ % 2 ? bad : good, target + '.tmp'); fs.renameSync(target + '.tmp', target); }`,
        good,
        bad,
        join(dir, PART),
      ],
      { stdio: 'ignore' },
    );
    const catalog = await Catalog.open({ home: join(base, 'home') });
    let published = 0;
    try {
      for (let attempt = 0; attempt < 12; attempt++) {
        const rec = await catalog.publish(dir).catch((e: unknown) => {
          expect((e as Error).message).toMatch(/does not match its sha256|is listed in the manifest but missing/);
          return undefined;
        });
        if (!rec) continue;
        published++;
        const [file] = await catalog.datasetFiles(rec.id);
        expect(lstatSync(file!.absolutePath).isFile()).toBe(true);
        expect(sha256(file!.absolutePath), `served part of ${rec.id}`).toBe(expected);
      }
    } finally {
      swapper.kill('SIGKILL');
      catalog.close();
    }
    expect(published).toBeGreaterThan(0);
  }, 60_000);
});
