/**
 * @module `npm run bench:api`: the marketplace under load on loopback, beside baselines measured
 * in the same run. (1) autocannon, 50 connections, against `datasets(first: 20, search: …)` with
 * 10,000 listed datasets, beside a bare graphql-yoga endpoint answering the same query shape from
 * constants. (2) Downloading a 1 GB Parquet file through a signed link, beside a plain
 * `fs.createReadStream(file).pipe(res)` server. Servers run in child processes; the client here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, createReadStream } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateKeyPairSigner, getBase58Decoder, signBytes } from '@solana/kit';
import autocannon from 'autocannon';
import { Catalog } from '../catalog/index.js';
import { parsePipelineConfig, runPipeline } from '../pipeline/index.js';
import { mulberry32 } from '../common/index.js';
import { markdownTable, recordBenchmark } from './record.js';

const DATASETS = Number(process.env.BENCH_API_DATASETS ?? 10_000);
const FILE_BYTES = Number(process.env.BENCH_API_FILE_BYTES ?? 1024 ** 3);
const DURATION_S = Number(process.env.BENCH_API_DURATION_S ?? 15);
const root = join(import.meta.dirname, '..', '..');
const home = mkdtempSync(join(tmpdir(), 'lumora-bench-api-'));
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill();
  rmSync(home, { recursive: true, force: true });
});

const WORDS = 'news science health finance sports travel food music climate energy law education history art cinema code robotics medicine ocean space'.split(
  ' ',
);
const LANGS = ['en', 'de', 'fr', 'es', 'ja'];
const KINDS = ['corpus', 'crawl', 'archive', 'collection', 'pages', 'forum', 'feed', 'snapshot', 'texts', 'dump'];

// ---- setup: one small dataset from the fixtures, listed 10,000 times under different titles ----
const noop = () => undefined;
const logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
const small = join(home, 'out', 'small');
await runPipeline({
  inputs: [join(root, 'fixtures/jsonl/pages.jsonl')],
  outDir: small,
  home,
  config: parsePipelineConfig({ dataset: { name: 'small' }, runner: { workers: 0 } }),
  toolVersion: 'bench',
  logger,
});
const owner = await generateKeyPairSigner();
const catalog = await Catalog.open({ home });
let t0 = performance.now();
const rng = mulberry32(42);
const pick = () => WORDS[Math.floor(rng() * WORDS.length)] as string;
const BATCH = 1000;
for (let start = 0; start < DATASETS; start += BATCH) {
  const batch = Array.from({ length: Math.min(BATCH, DATASETS - start) }, (_, j) => {
    const i = start + j;
    return {
      dir: small,
      opts: {
        slug: `ds-${i}`,
        owner: owner.address,
        title: `${pick()} and ${pick()} ${KINDS[i % KINDS.length]} ${i}`,
        description: `Web pages about ${pick()}, ${pick()} and ${pick()} in ${LANGS[i % LANGS.length]}.`,
        tags: [pick(), pick()],
        price: { amount: BigInt(1_000_000 * (1 + (i % 100))), currency: 'SOL' as const, mint: null },
        status: 'listed' as const,
      },
    };
  });
  await catalog.publishMany(batch);
  process.stderr.write(`published ${start + batch.length} datasets\n`);
}
const publishMsEach = (performance.now() - t0) / DATASETS;

// ---- setup: a ~1 GB Parquet dataset (incompressible strings, stored uncompressed) ----
const bigDir = join(home, 'out', 'big');
mkdirSync(join(bigDir, 'data'), { recursive: true });
const bigFile = join(bigDir, 'data', 'part-00000.parquet');
t0 = performance.now();
{
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const rows = Math.ceil(FILE_BYTES / 136);
  await conn.run(`COPY (SELECT i::BIGINT AS id, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) || md5((i + 2)::VARCHAR) || md5((i + 3)::VARCHAR) AS text FROM range(${rows}) t(i))
    TO '${bigFile}' (FORMAT parquet, COMPRESSION uncompressed)`);
  conn.closeSync();
  db.closeSync();
}
const bigBytes = statSync(bigFile).size;
const sha = createHash('sha256');
for await (const chunk of createReadStream(bigFile)) sha.update(chunk as Buffer);
writeFileSync(
  join(bigDir, 'manifest.json'),
  JSON.stringify({
    format: 'lumora-dataset/1',
    name: 'big',
    rows: Math.ceil(FILE_BYTES / 136),
    bytes: bigBytes,
    files: [{ path: 'data/part-00000.parquet', rows: Math.ceil(FILE_BYTES / 136), bytes: bigBytes, sha256: sha.digest('hex') }],
    columns: [
      { name: 'id', type: 'BIGINT', description: '' },
      { name: 'text', type: 'VARCHAR', description: '' },
    ],
  }),
);
writeFileSync(join(bigDir, 'README.md'), '# big\n');
await catalog.publish(bigDir, { slug: 'big', owner: owner.address, price: { amount: 1n, currency: 'SOL', mint: null }, status: 'draft' });
catalog.close();
process.stderr.write(`1 GB file ready in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);

async function startChild(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'api-server.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`api-server ${args[0]} exited with ${code}`)));
  });
  return (JSON.parse(line) as { url: string }).url;
}

// ---- (1) GraphQL under load ----
const DOC =
  'query($s: String) { datasets(first: 20, search: $s) { edges { cursor node { id slug title rows bytes price { amount currency mint } } } pageInfo { hasNextPage endCursor } } }';
// 1,200 distinct searches (word pairs, some with a prefix as the last word), cycled: more than the
// index's cache of recent results, so most requests really search.
const SEARCHES: string[] = [];
for (const a of WORDS)
  for (const b of WORDS) if (a !== b) SEARCHES.push(`${a} ${b}`, `${a} ${b.slice(0, 3)}`, `${b} ${KINDS[(a.length + b.length) % KINDS.length]}`);
const bodies = SEARCHES.slice(0, 1200).map((s) => JSON.stringify({ query: DOC, variables: { s } }));
const QUERY = bodies[0] as string;

async function load(url: string) {
  let n = 0;
  const r = await autocannon({
    url: `${url}/graphql`,
    connections: 50,
    duration: DURATION_S,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[n++ % bodies.length] }) }],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx + r.errors };
}

const lumoraUrl = await startChild(['lumora', home]);
const bareUrl = await startChild(['bare']);
// Check the answer first: a fast wrong answer is no result.
const check = (await (await fetch(`${lumoraUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY })).json()) as {
  data?: { datasets: { edges: unknown[] } };
};
if (check.data?.datasets.edges.length !== 20) throw new Error(`unexpected answer: ${JSON.stringify(check).slice(0, 300)}`);
await autocannon({ url: `${lumoraUrl}/graphql`, connections: 10, duration: 3, method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY });
await autocannon({ url: `${bareUrl}/graphql`, connections: 10, duration: 3, method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY });
const ours = await load(lumoraUrl);
const bare = await load(bareUrl);

// ---- (2) download throughput ----
async function signedUrl(): Promise<string> {
  const gql = async (query: string, variables: Record<string, unknown>, token?: string) =>
    (await (
      await fetch(`${lumoraUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      })
    ).json()) as { data: any };
  const message = (await gql('mutation($a: String!) { requestSignIn(address: $a) { message } }', { a: owner.address })).data.requestSignIn.message as string;
  const signature = getBase58Decoder().decode(await signBytes(owner.keyPair.privateKey, new TextEncoder().encode(message)));
  const token = (
    await gql('mutation($a: String!, $m: String!, $s: String!) { signIn(address: $a, message: $m, signature: $s) { ... on SignInSuccess { token } } }', {
      a: owner.address,
      m: message,
      s: signature,
    })
  ).data.signIn.token as string;
  const d = await gql('{ dataset(id: "big") { download { files { url } } } }', {}, token);
  return d.data.dataset.download.files[0].url as string;
}

function download(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    get(url, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => (n === bigBytes ? resolve(n / 1e6 / ((performance.now() - start) / 1000)) : reject(new Error(`got ${n} of ${bigBytes} bytes`))));
      res.on('error', reject);
    }).on('error', reject);
  });
}

// The plain server streams the same file the signed link does: the published copy in the home.
const published = join(home, 'datasets', 'big', 'v1', 'data', 'part-00000.parquet');
const fileUrl = await startChild(['file', published]);
const ourUrl = await signedUrl();
const oursMBs: number[] = [];
const plainMBs: number[] = [];
await download(fileUrl); // one unmeasured read each, so both find the file in the page cache
await download(ourUrl);
for (let i = 0; i < 3; i++) {
  plainMBs.push(await download(fileUrl));
  oursMBs.push(await download(ourUrl));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] as number;

const rows = [
  [
    `Lumora \`datasets(first: 20, search: …)\`, ${bodies.length} distinct searches`,
    ours.rps.toFixed(0),
    `${ours.p50} ms`,
    `${ours.p99} ms`,
    String(ours.non2xx),
  ],
  ['bare graphql-yoga, same query shape, constant answer', bare.rps.toFixed(0), `${bare.p50} ms`, `${bare.p99} ms`, String(bare.non2xx)],
];
const dl = [
  ['Lumora signed download (range-capable, 1 MiB reads)', median(oursMBs).toFixed(0), oursMBs.map((x) => x.toFixed(0)).join(', ')],
  ['`fs.createReadStream(file).pipe(res)`', median(plainMBs).toFixed(0), plainMBs.map((x) => x.toFixed(0)).join(', ')],
];
const markdown = [
  `${DATASETS.toLocaleString('en')} listed datasets (publishing took ${publishMsEach.toFixed(1)} ms each), autocannon with 50 connections for ${DURATION_S} s per endpoint, servers in child processes, client in this one (all on the same 2 cores).`,
  '',
  markdownTable(['endpoint', 'req/s', 'p50', 'p99', 'errors'], rows),
  '',
  `Ratio: ${(ours.rps / bare.rps).toFixed(2)} of the bare endpoint's req/s (target ≥ 0.33); p99 ${ours.p99} ms (target < 25 ms).`,
  '',
  `Download of a ${(bigBytes / 1024 ** 3).toFixed(2)} GiB Parquet file over loopback, 3 runs each, alternating:`,
  '',
  markdownTable(['server', 'median MB/s', 'runs'], dl),
  '',
  `Ratio: ${(median(oursMBs) / median(plainMBs)).toFixed(2)} of the plain stream (target ≥ 0.80).`,
].join('\n');
process.stdout.write(`${markdown}\n`);
recordBenchmark({ name: 'api', title: 'Marketplace API (GraphQL search and downloads)', command: 'npm run bench:api', markdown });
process.exit(0);
