/**
 * @module The fixture datasets `lumora serve --demo` publishes into an empty home: the fixture
 * web site's WARC and its JSONL pages, each run through the pipeline, owned by a demo seller
 * wallet and listed, one priced in SOL and one in the Lumora token, so a new user can buy at once.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyPairSignerFromPrivateKeyBytes, getBase58Encoder, type Address } from '@solana/kit';
import type { Market } from '../../api/index.js';
import { parsePipelineConfig, runPipeline } from '../../pipeline/index.js';
import { createConsoleLogger } from '../console-logger.js';
import { packageRoot, toolVersion } from '../version.js';

export interface DemoListing {
  id: string;
  price: string;
}

/** The demo seller: a keypair in `<home>/demo-seller.json` (solana-keygen's 64-byte array format). */
export async function demoSeller(home: string): Promise<Address> {
  const file = join(home, 'demo-seller.json');
  let seed: Uint8Array;
  if (existsSync(file)) {
    seed = Uint8Array.from((JSON.parse(readFileSync(file, 'utf8')) as number[]).slice(0, 32));
  } else {
    seed = new Uint8Array(randomBytes(32));
  }
  const signer = await createKeyPairSignerFromPrivateKeyBytes(seed);
  if (!existsSync(file)) writeFileSync(file, JSON.stringify([...seed, ...getBase58Encoder().encode(signer.address)]), { mode: 0o600 });
  return signer.address;
}

/** Publishes the demo datasets when the catalog is empty; returns what is listed. */
export async function publishDemoDatasets(market: Market): Promise<DemoListing[]> {
  const existing = await market.catalog.listDatasets();
  if (existing.length > 0) return [];
  const owner = await demoSeller(market.home);
  const root = packageRoot();
  const specs = [
    {
      slug: 'fixture-web',
      title: 'Fixture web site (WARC)',
      input: 'fixtures/warc/site.warc.gz',
      tags: ['web', 'news', 'multilingual'],
      price: { amount: 50_000_000n, currency: 'SOL' as const, mint: null },
    },
    {
      slug: 'fixture-pages',
      title: 'Fixture pages (JSONL)',
      input: 'fixtures/jsonl/pages.jsonl',
      tags: ['web', 'jsonl'],
      price: { amount: 25_000_000n, currency: 'SPL' as const, mint: market.lumoraMint },
    },
  ];
  const out: DemoListing[] = [];
  for (const spec of specs) {
    const outDir = join(market.home, 'out', spec.slug);
    await rm(outDir, { recursive: true, force: true });
    const config = parsePipelineConfig({
      dataset: {
        name: spec.slug,
        license: 'cc-by-4.0',
        description: `Lumora demo: ${spec.input} processed end to end (extraction, dedupe, PII redaction, quality).`,
      },
    });
    const result = await runPipeline({
      inputs: [join(root, spec.input)],
      outDir,
      home: market.home,
      config,
      toolVersion: toolVersion(),
      logger: createConsoleLogger({ level: 'error' }),
    });
    if (spec.price.currency === 'SPL' && market.localnet && spec.price.mint) market.localnet.ensureTokenAccount(owner, spec.price.mint as Address);
    const rec = await market.catalog.publish(result.outDir, {
      slug: spec.slug,
      owner,
      title: spec.title,
      tags: spec.tags,
      price: spec.price,
      status: 'listed',
    });
    out.push({ id: rec.id, price: spec.price.currency === 'SOL' ? '0.05 SOL' : '25 LUM' });
  }
  return out;
}
