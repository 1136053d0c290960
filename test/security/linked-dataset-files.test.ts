// Review of issue 11: versions published before publish refused symbolic links may still hold
// one. The download route followed it, serving a file from outside the data home that could
// change after its sha256 was checked. It now refuses any link on the way to a dataset file.
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSigner } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureDataset, signIn, startTestMarket, type TestMarket } from '../e2e/market-helpers.js';

let m: TestMarket;
let token: string;
let outside: string;

beforeAll(async () => {
  m = await startTestMarket();
  const owner = await generateKeyPairSigner();
  await m.server.market.catalog.publish(await buildFixtureDataset(m.home), {
    slug: 'pages',
    owner: owner.address,
    price: { amount: 5_000_000n, currency: 'SOL', mint: null },
    status: 'listed',
  });
  token = await signIn(m, owner);
  outside = mkdtempSync(join(tmpdir(), 'lumora-outside-'));
}, 120_000);

afterAll(async () => {
  await m?.server.close();
  if (m) rmSync(m.home, { recursive: true, force: true });
  if (outside) rmSync(outside, { recursive: true, force: true });
});

async function links() {
  const r = await m.gql('{ dataset(id: "pages") { download { files { name url } } } }', {}, token);
  return r.body.data.dataset.download.files as Array<{ name: string; url: string }>;
}

describe('a published version holding a symbolic link', () => {
  it('refuses to serve a data file that is a link out of the data home, and never sends what it points to', async () => {
    const record = await m.server.market.catalog.getDataset('pages');
    const [file] = await links();
    const part = join(record.path, 'data', readdirSync(join(record.path, 'data'))[0] as string);
    writeFileSync(join(outside, 'secret.txt'), 'AWS_SECRET_ACCESS_KEY=planted');
    renameSync(part, join(outside, 'part.orig'));
    symlinkSync(join(outside, 'secret.txt'), part);
    try {
      const res = await fetch(file!.url);
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(text).not.toContain('planted');
      expect(text).toContain('symbolic link');
    } finally {
      rmSync(part);
      renameSync(join(outside, 'part.orig'), part);
    }
    expect((await fetch(file!.url)).status).toBe(200);
  });

  it('refuses to stream the rows of a version whose part is a link, as an error of the server', async () => {
    const record = await m.server.market.catalog.getDataset('pages');
    const r = await m.gql('{ dataset(id: "pages") { download { arrowUrl } } }', {}, token);
    const part = join(record.path, 'data', readdirSync(join(record.path, 'data'))[0] as string);
    renameSync(part, join(outside, 'part.orig'));
    symlinkSync(join(outside, 'part.orig'), part);
    try {
      const res = await fetch(r.body.data.dataset.download.arrowUrl);
      expect(res.status).toBe(500);
      expect(await res.text()).toContain('symbolic link');
    } finally {
      rmSync(part);
      renameSync(join(outside, 'part.orig'), part);
    }
  });

  it('refuses a data file reached through a linked directory', async () => {
    const record = await m.server.market.catalog.getDataset('pages');
    const [file] = await links();
    const moved = join(outside, 'data');
    mkdirSync(outside, { recursive: true });
    renameSync(join(record.path, 'data'), moved);
    symlinkSync(moved, join(record.path, 'data'));
    const res = await fetch(file!.url);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('through a symbolic link');
  });
});
