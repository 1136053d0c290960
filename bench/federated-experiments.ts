/**
 * @module `npm run bench:federated-experiments`: `lumora fl simulate` experiments on a Lumora
 * dataset, printed as tables — rounds to a target accuracy for IID and non-IID clients under
 * FedSGD and FedAvg (the FedAvg paper's qualitative result, McMahan et al. 2017), accuracy under
 * 20% sign-flipping byzantine clients for FedAvg and the robust rules, and accuracy against
 * epsilon for client-level DP.
 *
 * The data goes through the real pipeline: a seeded corpus of pages from six web sites (written
 * here as JSONL `{url, html}`), run by `runPipeline` and published into a catalog in a temporary
 * home; the rows are read back from the catalog exactly as `lumora fl simulate` reads them, and
 * the label is the `domain` column. Each table row is one `runSimulation` call with the options
 * the CLI builds from the flags shown beside it, so a row can be rerun with `lumora fl simulate`.
 *
 * Environment: BENCH_FLX_HOME=DIR builds into DIR and keeps it (default: a temporary home,
 * removed at the end); BENCH_FLX_PAGES (default 3000); BENCH_FLX_TABLES=a,b,c (default all).
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../catalog/index.js';
import {
  createStrategy,
  deltaNorm,
  fedAvg,
  RdpAccountant,
  readSimulationRows,
  runSimulation,
  withAdaptiveClipping,
  type AdaptiveClippingStrategy,
  type ClientUpdate,
  type SimulationOptions,
  type SimulationResult,
  type SimulationRow,
  type Strategy,
} from '../federated/index.js';
import { parsePipelineConfig, runPipeline } from '../pipeline/index.js';
import { mulberry32 } from '../common/index.js';
import { markdownTable, recordBenchmark } from './record.js';

const PAGES = Number(process.env.BENCH_FLX_PAGES ?? 3000);
const TABLES = new Set((process.env.BENCH_FLX_TABLES ?? 'a,b,c').split(','));
const DATASET = 'fl-sites';
/** Hashed feature buckets: 2^14 keeps a six-class model at 98k weights, so 30-client robust rounds stay cheap. */
const DIMENSION = 1 << 14;
const LEARNING_RATE = 0.5; // the CLI's default --lr
const SEED = 1; // the CLI's default --seed

// ---------------------------------------------------------------------------------------------
// The corpus: six sites, one topic each. A page mixes its site's topic words (60%) with both
// neighbouring topics on a ring (15% each) and any topic (10%), at a topic-word rate drawn per page
// among general English words, and 8% of pages are about another site's topic altogether (cross-
// posts). So no single word decides the site, and a linear model's accuracy climbs over rounds
// towards a ceiling near 90% instead of saturating after one.

const SITES: ReadonlyArray<{ domain: string; topic: string }> = [
  {
    domain: 'harbourside-sport.example',
    topic:
      'match goal team coach league score season player stadium referee tournament striker keeper penalty trophy athlete sprint medal relay captain fixture derby umpire wicket innings racket serve volley dribble tackle',
  },
  {
    domain: 'kitchen-notes.example',
    topic:
      'recipe oven flour sauce taste kitchen salt bake butter garlic onion pepper roast simmer dough pastry spice herb menu chef dessert broth grill noodle lemon honey yeast vinegar skillet',
  },
  {
    domain: 'courtwatch.example',
    topic:
      'court judge appeal statute ruling counsel verdict clause tribunal plaintiff defendant lawsuit testimony jury attorney contract liability injunction prosecutor evidence hearing magistrate precedent settlement litigation sentence bail warrant custody',
  },
  {
    domain: 'bytewire.example',
    topic:
      'software server browser database network code compiler kernel laptop chip processor algorithm cloud startup app developer encryption router bandwidth cache debug framework pixel sensor robot firmware protocol gadget upgrade',
  },
  {
    domain: 'clinic-daily.example',
    topic:
      'doctor patient clinic vaccine symptom nurse therapy diagnosis hospital dose infection surgery allergy fever diet vitamin cardio blood immune prescription wellness injury recovery pharmacy illness pulse cholesterol dental sleep',
  },
  {
    domain: 'wayfarer-guide.example',
    topic:
      'flight hotel passport airport luggage beach tourist itinerary cruise resort visa ferry hostel journey booking destination island sightseeing guidebook backpack camping souvenir train voyage coast excursion landmark lodge suitcase trek',
  },
];
const TOPIC_WORDS = SITES.map((s) => s.topic.split(' '));
const GENERAL_WORDS = (
  'the of and to in is that for it as was with be by on not this are or from at which but have an they were there been one all we their has ' +
  'would when if so no will more can other what about its only new some time could these two may first then do any like now over such even most ' +
  'made after also did many before must through back years where much way well down should because each just those people how too little state ' +
  'good very make world still own see work long get here between both life being under never day same another know while last might great old ' +
  'year off come since against go came right used take three water city river market report council school village garden history museum ' +
  'library policy project system morning evening week local small large public open early late young community group family home place area ' +
  'country town street building centre'
).split(' ');
const MIX = { own: 0.6, neighbour: 0.15, crossPost: 0.08, topicRate: [0.15, 0.35], words: [80, 140] } as const;

function pick<T>(rng: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)] as T;
}

function pageWords(rng: () => number, subject: number): string[] {
  const k = SITES.length;
  const rate = MIX.topicRate[0] + rng() * (MIX.topicRate[1] - MIX.topicRate[0]);
  const n = MIX.words[0] + Math.floor(rng() * (MIX.words[1] - MIX.words[0]));
  return Array.from({ length: n }, () => {
    if (rng() >= rate) return pick(rng, GENERAL_WORDS);
    const r = rng();
    const topic =
      r < MIX.own ? subject : r < MIX.own + MIX.neighbour ? (subject + 1) % k : r < MIX.own + 2 * MIX.neighbour ? (subject + k - 1) % k : Math.floor(rng() * k);
    return pick(rng, TOPIC_WORDS[topic] as string[]);
  });
}

/** Words as sentences (8–16 words) in paragraphs (2–4 sentences), so extraction sees prose. */
function paragraphs(rng: () => number, words: string[]): string[] {
  const sentences: string[] = [];
  for (let i = 0; i < words.length; ) {
    const n = 8 + Math.floor(rng() * 9);
    const s = words.slice(i, i + n).join(' ');
    sentences.push(`${s[0]?.toUpperCase()}${s.slice(1)}.`);
    i += n;
  }
  const out: string[] = [];
  for (let i = 0; i < sentences.length; ) {
    const n = 2 + Math.floor(rng() * 3);
    out.push(sentences.slice(i, i + n).join(' '));
    i += n;
  }
  return out;
}

/** The same boilerplate on every site, so nothing outside the article names the site. */
function html(title: string, paras: string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><header><nav><ul><li><a href="/">Home</a></li><li><a href="/latest">Latest</a></li><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li></ul></nav></header>
<main><article><h1>${title}</h1>
${paras.map((p) => `<p>${p}</p>`).join('\n')}
</article></main>
<footer><p>All rights reserved.</p><a href="/terms">Terms</a> <a href="/privacy">Privacy</a></footer></body></html>`;
}

/** Writes `pages` JSONL lines `{url, html}`, sites in turn; the same seed gives the same bytes. */
async function writeSitesCorpus(path: string, pages: number, seed: number): Promise<void> {
  const rng = mulberry32(seed);
  const out = createWriteStream(path);
  for (let i = 0; i < pages; i++) {
    const site = i % SITES.length;
    const subject = rng() < MIX.crossPost ? Math.floor(rng() * SITES.length) : site;
    const words = pageWords(rng, subject);
    const title = pageWords(rng, subject).slice(0, 6).join(' ');
    const line = `${JSON.stringify({ url: `https://${(SITES[site] as { domain: string }).domain}/articles/${i}`, html: html(title[0]?.toUpperCase() + title.slice(1), paragraphs(rng, words)) })}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The rows `lumora fl simulate --label domain` reads: same columns, same order (see cli/commands/fl.ts). */
/** The rows `lumora fl simulate --label domain` reads. */
async function readRows(home: string, dataset: string): Promise<{ rows: SimulationRow[]; columns: string[] }> {
  const catalog = await Catalog.open({ home, readOnly: true });
  try {
    return await readSimulationRows(catalog, dataset, { textColumn: 'text', labelColumn: 'domain' });
  } finally {
    catalog.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Running and describing settings.

interface Setting {
  clients: number;
  rounds: number;
  split: 'iid' | 'noniid';
  fraction: number;
  epochs: number;
  batchSize: number;
  strategy: 'fedavg' | 'median' | 'trimmed-mean' | 'krum' | 'multi-krum';
  byzantine?: number;
  dp?: { noise: number; clip: number };
}

/** The strategy the CLI builds for `--strategy`, with Krum's f as the CLI computes it. */
function makeStrategy(s: Setting): Strategy {
  const f = Math.floor((s.byzantine ?? 0) * Math.max(1, Math.round(s.fraction * s.clients)));
  return createStrategy(s.strategy, { byzantineClients: f });
}

function options(rows: SimulationRow[], s: Setting, strategy: Strategy = makeStrategy(s)): SimulationOptions {
  return {
    rows,
    clients: s.clients,
    rounds: s.rounds,
    strategy,
    split: s.split,
    labelsPerClient: 2,
    fraction: s.fraction,
    local: { epochs: s.epochs, batchSize: s.batchSize, learningRate: LEARNING_RATE },
    byzantine: s.byzantine ?? 0,
    dimension: DIMENSION,
    model: { kind: 'logreg' },
    ...(s.dp ? { dp: { noiseMultiplier: s.dp.noise, clipNorm: s.dp.clip, delta: 1e-5 } } : {}),
    seed: SEED,
  };
}

/** The `lumora fl simulate` flags that give the same `runSimulation` call. */
function flags(s: Setting): string {
  const parts = [
    `--clients ${s.clients}`,
    `--fraction ${s.fraction}`,
    `--rounds ${s.rounds}`,
    `--split ${s.split}`,
    `--epochs ${s.epochs}`,
    `--batch-size ${s.batchSize}`,
  ];
  if (s.strategy !== 'fedavg') parts.push(`--strategy ${s.strategy}`);
  if (s.byzantine) parts.push(`--byzantine ${s.byzantine}`);
  if (s.dp) parts.push(`--dp-noise ${s.dp.noise} --dp-clip ${s.dp.clip}`);
  return `\`${parts.join(' ')}\``;
}

const COMMON_FLAGS = `--dataset ${DATASET} --label domain --dimension ${DIMENSION}`;

function timed<T>(fn: () => T): { value: T; seconds: number } {
  const t = performance.now();
  const value = fn();
  return { value, seconds: (performance.now() - t) / 1000 };
}

const pct = (x: number) => (100 * x).toFixed(1);
/** Mean accuracy over rounds `from`..`to` (1-based, inclusive). */
function meanOfRounds(r: SimulationResult, from: number, to: number): number {
  const xs = r.rounds.slice(Math.max(0, from - 1), to);
  return xs.reduce((s, x) => s + x.accuracy, 0) / xs.length;
}
const lastMean = (r: SimulationResult, n: number) => meanOfRounds(r, r.rounds.length - n + 1, r.rounds.length);

/** The first round at which the mean accuracy of the last `window` rounds reaches `target`; null if none. */
function firstRound(r: SimulationResult, target: number, window: number): number | null {
  for (let k = window; k <= r.rounds.length; k++) if (meanOfRounds(r, k - window + 1, k) >= target) return k;
  return null;
}

/** Wraps a strategy to record the L2 norms of the updates it sees (before any clipping). */
function normProbe(inner: Strategy, norms: number[][]): Strategy {
  return {
    name: inner.name,
    configureRound: (round, base) => inner.configureRound(round, base),
    aggregate(round, current, updates: readonly ClientUpdate[]) {
      norms.push(updates.map((u) => deltaNorm(u.weights, current)));
      return inner.aggregate(round, current, updates);
    },
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
}

// ---------------------------------------------------------------------------------------------

const t0 = performance.now();
const loadAtStart = loadavg()[0] as number;
const keepHome = process.env.BENCH_FLX_HOME;
const home = keepHome ?? mkdtempSync(join(tmpdir(), 'lumora-flx-'));
const sections: string[] = [];
const log = (line: string) => process.stdout.write(`${line}\n`);

try {
  // Build and publish the dataset unless a kept home already holds it.
  let built = false;
  const existing = await Catalog.open({ home, readOnly: true });
  try {
    built = (await existing.getDatasets([DATASET]))[0] !== null;
  } finally {
    existing.close();
  }
  let pipelineSeconds = 0;
  if (!built) {
    const t = performance.now();
    mkdirSync(home, { recursive: true });
    const input = join(home, `${DATASET}.jsonl`);
    await writeSitesCorpus(input, PAGES, 2026);
    const outDir = join(home, 'out', DATASET);
    const config = parsePipelineConfig({
      dataset: { name: DATASET, license: 'cc-by-4.0', description: 'Synthetic pages of six topical web sites for federated-learning experiments.' },
      runner: { workers: 0 },
    });
    await runPipeline({ inputs: [input], outDir, home, config, toolVersion: 'bench' });
    const catalog = await Catalog.open({ home });
    try {
      await catalog.publish(outDir);
    } finally {
      catalog.close();
    }
    pipelineSeconds = (performance.now() - t) / 1000;
  }
  const { rows, columns } = await readRows(home, DATASET);
  const manifest = JSON.parse(readFileSync(join(home, 'out', DATASET, 'manifest.json'), 'utf8')) as { stats: Record<string, Record<string, number>> };
  const drops = Object.entries(manifest.stats).flatMap(([stage, counters]) =>
    Object.entries(counters)
      .filter(([k]) => k.startsWith('dropped_'))
      .map(([k, n]) => `${n} by ${stage} (${k.slice('dropped_'.length)})`),
  );
  const perLabel = new Map<string, number>();
  for (const r of rows) perLabel.set(r.label, (perLabel.get(r.label) ?? 0) + 1);
  log(`${DATASET}: ${rows.length} rows of ${PAGES} pages; columns ${columns.join(', ')}; pipeline + publish ${pipelineSeconds.toFixed(1)} s`);

  // Ceiling: one client holding every training row (centralised SGD, B = 10), as a reference.
  const central: Setting = { clients: 1, fraction: 1, rounds: 10, split: 'iid', epochs: 1, batchSize: 10, strategy: 'fedavg' };
  const centralRun = timed(() => runSimulation(options(rows, central)));
  const ceiling = Math.max(...centralRun.value.rounds.map((r) => r.accuracy));
  log(`centralised: best ${pct(ceiling)}%, final ${pct(centralRun.value.final.accuracy)}% (${centralRun.seconds.toFixed(1)} s)`);
  sections.push(
    [
      `Dataset: ${PAGES} synthetic pages from ${SITES.length} sites (seeded; topic words of neighbouring sites and 8% cross-posted pages overlap), run through the pipeline (extract, language, dedupe, PII, quality) and published as \`${DATASET}\`: ${rows.length} rows${drops.length > 0 ? ` (pages dropped: ${drops.join(', ')})` : ''}, label = the \`domain\` column (${[...perLabel.values()].join('/')} rows per site), text = \`text\`; ${centralRun.value.trainRows} training rows, ${centralRun.value.validationRows} held out (1 in 5 by hash of the id) for the accuracies below. Logistic regression on ${DIMENSION.toLocaleString('en')} hashed word and bigram features, learning rate ${LEARNING_RATE}, seed ${SEED}.`,
      '',
      `Every row below is \`lumora fl simulate ${COMMON_FLAGS}\` plus the flags shown (rebuild the dataset into a kept home with \`BENCH_FLX_HOME=DIR npm run bench:federated-experiments\` and add \`--home DIR\`). Reference: one client holding all training rows (\`${flags(central).slice(1, -1)}\`) reaches ${pct(ceiling)}% at best, ${pct(centralRun.value.final.accuracy)}% after round ${central.rounds}.`,
    ].join('\n'),
  );

  // (a) Rounds to target: FedSGD against FedAvg, IID and non-IID (McMahan et al. 2017, Tables 2 and 4).
  if (TABLES.has('a')) {
    const TARGET = 0.85;
    const CAP = 200;
    // E = 5 costs five epochs a round and reaches the target well inside 100 rounds (measured while
    // choosing the settings), so it stops there to keep the bench short.
    const CAP_E5 = 100;
    const checkpoints = [10, 25, 50, 100, 200];
    const table: Array<Array<string | number>> = [];
    const orderings: string[] = [];
    let seconds = 0;
    for (const split of ['iid', 'noniid'] as const) {
      const variants: Array<[string, Setting]> = [
        ['FedSGD (E = 1, B = all)', { clients: 100, fraction: 0.1, rounds: CAP, split, epochs: 1, batchSize: 0, strategy: 'fedavg' }],
        ['FedAvg (E = 1, B = 10)', { clients: 100, fraction: 0.1, rounds: CAP, split, epochs: 1, batchSize: 10, strategy: 'fedavg' }],
        ['FedAvg (E = 5, B = 10)', { clients: 100, fraction: 0.1, rounds: CAP_E5, split, epochs: 5, batchSize: 10, strategy: 'fedavg' }],
      ];
      let fedsgd: { first: number | null; sustained: number | null } | null = null;
      const sustainedRounds: number[] = [];
      for (const [name, s] of variants) {
        const run = timed(() => runSimulation(options(rows, s)));
        seconds += run.seconds;
        const first = firstRound(run.value, TARGET, 1);
        const sustained = firstRound(run.value, TARGET, 5);
        if (s.batchSize === 0) fedsgd = { first, sustained };
        sustainedRounds.push(sustained ?? Number.POSITIVE_INFINITY);
        // FedSGD not reaching the target within the cap still bounds the speed-up from below.
        const ratio = (base: number | null | undefined, x: number | null) =>
          x === null || base === undefined ? '—' : base === null ? `> ${(CAP / x).toFixed(1)}×` : `${(base / x).toFixed(1)}×`;
        const at = checkpoints.map((c) => (c <= s.rounds ? pct(run.value.rounds[c - 1]?.accuracy ?? Number.NaN) : ''));
        const show = (x: number | null) => (x === null ? `> ${s.rounds}` : x);
        table.push([
          split === 'iid' ? 'IID' : 'non-IID',
          name,
          show(first),
          ratio(fedsgd?.first, first),
          show(sustained),
          ratio(fedsgd?.sustained, sustained),
          ...at,
          flags(s),
        ]);
        log(`(a) ${split} ${name}: first ${show(first)}, sustained ${show(sustained)} rounds to ${pct(TARGET)}% (${run.seconds.toFixed(1)} s)`);
      }
      const [sgd, e1, e5] = sustainedRounds as [number, number, number];
      orderings.push(`${split === 'iid' ? 'IID' : 'non-IID'}: ${sgd > e1 && e1 > e5 ? 'yes' : sgd >= e1 && e1 >= e5 ? 'yes, with ties at the cap' : 'no'}`);
    }
    sections.push(
      [
        `### Rounds to ${pct(TARGET)}% accuracy: FedSGD vs FedAvg, IID vs non-IID`,
        '',
        `100 clients, 10% sampled per round (C = 0.1 as in the paper); non-IID = the paper's pathological split (rows sorted by label, 2 shards per client, so most clients see one or two sites). Target ${pct(TARGET)}%: below the centralised ceiling, and high enough that a model has to be well trained to reach it rather than land on it in one lucky round. Round cap ${CAP} (${CAP_E5} for E = 5). "First" is the paper's measure, the first round at or above the target; accuracy on this data swings by tens of points between rounds early on (most of all non-IID, where a round's ten clients may hold few shards of some sites), so "sustained" also gives the first round at which the mean of the last 5 rounds reaches it. Speed-ups are FedSGD's rounds over the row's, as in the paper's tables. Columns "@ r": accuracy (%) after round r. Table time ${seconds.toFixed(0)} s.`,
        '',
        markdownTable(
          ['split', 'algorithm', 'first round', 'speed-up', 'sustained (5-round mean)', 'speed-up', ...checkpoints.map((c) => `@ ${c}`), 'flags'],
          table,
        ),
        '',
        `Does the FedAvg paper's qualitative result hold here — more local computation per round (FedSGD → E = 1, B = 10 → E = 5, B = 10) means fewer rounds, IID and non-IID alike? On the sustained measure: ${orderings.join('; ')}.`,
      ].join('\n'),
    );
  }

  // (b) 20% of each round's clients send sign-flipped ×10 updates; at least 30 clients per round.
  if (TABLES.has('b')) {
    const base = { clients: 50, fraction: 0.6, rounds: 50, split: 'iid', epochs: 1, batchSize: 10 } as const;
    const MID = 25;
    const table: Array<Array<string | number>> = [];
    let seconds = 0;
    let cleanFedAvg = Number.NaN;
    const verdicts: string[] = [];
    for (const strategy of ['fedavg', 'median', 'trimmed-mean', 'krum', 'multi-krum'] as const) {
      const clean = timed(() => runSimulation(options(rows, { ...base, strategy })));
      const attacked = timed(() => runSimulation(options(rows, { ...base, strategy, byzantine: 0.2 })));
      seconds += clean.seconds + attacked.seconds;
      const cleanMean = lastMean(clean.value, 5);
      if (strategy === 'fedavg') cleanFedAvg = cleanMean;
      const attackedMean = lastMean(attacked.value, 5);
      const attackedMid = meanOfRounds(attacked.value, MID - 4, MID);
      table.push([
        strategy === 'multi-krum' ? 'multi-krum (m = 5; extra)' : strategy,
        pct(clean.value.final.accuracy),
        pct(cleanMean),
        pct(attackedMid),
        pct(attacked.value.final.accuracy),
        pct(attackedMean),
        (100 * (attackedMean - cleanFedAvg)).toFixed(1),
        (100 * (attackedMean - cleanMean)).toFixed(1),
        `${flags({ ...base, strategy })}, then \`--byzantine 0.2\``,
      ]);
      if (strategy !== 'fedavg')
        verdicts.push(`${strategy} ${attackedMean >= cleanFedAvg - 0.02 ? 'within' : 'NOT within'} (${(100 * (attackedMean - cleanFedAvg)).toFixed(1)})`);
      log(
        `(b) ${strategy}: clean ${pct(cleanMean)}%, byzantine ${pct(attackedMid)}% at ${MID}, ${pct(attackedMean)}% at ${base.rounds} (${(clean.seconds + attacked.seconds).toFixed(1)} s)`,
      );
    }
    const f = Math.floor(0.2 * Math.round(base.fraction * base.clients));
    sections.push(
      [
        '### Accuracy under 20% byzantine clients (sign-flipped ×10 updates), IID',
        '',
        `${base.clients} clients, ${base.fraction * 100}% sampled: ${Math.round(base.fraction * base.clients)} clients per round, ${f} of them byzantine with \`--byzantine 0.2\` (Krum is told f = ${f}, as the CLI does); ${base.rounds} rounds, E = ${base.epochs}, B = ${base.batchSize}. Accuracy moves by a few points from round to round, so beside the final round the table gives means over 5 rounds (rounds ${MID - 4}–${MID}, and the last 5), and the gaps use the last-5 means. Multi-Krum is not in the issue's list; it is the CLI's \`--strategy multi-krum\`, added to show where Krum's loss comes from. Table time ${seconds.toFixed(0)} s.`,
        '',
        markdownTable(
          [
            'strategy',
            'clean, final',
            'clean, last 5',
            `byzantine, rounds ${MID - 4}–${MID}`,
            'byzantine, final',
            'byzantine, last 5',
            'gap vs clean FedAvg (points)',
            'gap vs own clean (points)',
            'flags',
          ],
          table,
        ),
        '',
        `Target "robust rules within 2 points of clean accuracy" (byzantine last-5 mean vs clean FedAvg's, ${pct(cleanFedAvg)}%): ${verdicts.join('; ')}.`,
      ].join('\n'),
    );
  }

  // (c) Client-level DP: accuracy and epsilon at delta = 1e-5 for several noise multipliers.
  if (TABLES.has('c')) {
    const base = { clients: 50, fraction: 0.6, rounds: 30, split: 'iid', epochs: 1, batchSize: 10, strategy: 'fedavg' } as const;
    // The clip norm: the median update norm of the first rounds of a clean run, the quantile
    // Andrew et al. 2021 recommend clipping at; rounded so it can be typed as --dp-clip.
    const norms: number[][] = [];
    const probe = timed(() => runSimulation(options(rows, { ...base, rounds: 5 }, normProbe(fedAvg(), norms))));
    const clip = Number(median(norms.flat()).toPrecision(1));
    const table: Array<Array<string | number>> = [];
    let seconds = probe.seconds;
    for (const noise of [0, 0.5, 1, 2, 4]) {
      const s: Setting = { ...base, dp: { noise, clip } };
      const run = timed(() => runSimulation(options(rows, s)));
      seconds += run.seconds;
      const eps = run.value.rounds.at(-1)?.epsilon ?? Number.NaN;
      table.push([
        noise === 0 ? '0 (clipping only)' : noise,
        clip,
        pct(run.value.final.accuracy),
        pct(lastMean(run.value, 5)),
        noise === 0 ? '∞ (no noise)' : eps.toFixed(1),
        flags(s),
      ]);
      log(`(c) z = ${noise}: ${pct(lastMean(run.value, 5))}%, epsilon ${eps.toFixed(2)} (${run.seconds.toFixed(1)} s)`);
    }
    // Adaptive clipping (federated/privacy/adaptive-clipping.ts) at z = 1: C starts at 0.1 and tracks the median norm.
    const accountant = new RdpAccountant();
    const perRound = Math.round(base.fraction * base.clients);
    const adaptive: AdaptiveClippingStrategy = withAdaptiveClipping(fedAvg(), {
      initialClipNorm: 0.1,
      noiseMultiplier: 1,
      bitNoiseStd: perRound / 20,
      rng: mulberry32(SEED + 1),
    });
    const clipTrace: number[] = [];
    const traced: Strategy = {
      name: adaptive.name,
      configureRound: (round, b) => adaptive.configureRound(round, b),
      aggregate(round, current, updates) {
        const next = adaptive.aggregate(round, current, updates);
        clipTrace.push(adaptive.clipNorm);
        accountant.step({ noiseMultiplier: 1, sampleRate: updates.length / base.clients });
        return next;
      },
    };
    const ad = timed(() => runSimulation(options(rows, base, traced)));
    seconds += ad.seconds;
    table.push([
      `1 (adaptive C, z_Δ = ${adaptive.updateNoiseMultiplier.toFixed(3)})`,
      `0.1 → ${(clipTrace.at(-1) as number).toFixed(2)}`,
      pct(ad.value.final.accuracy),
      pct(lastMean(ad.value, 5)),
      accountant.getEpsilon(1e-5).toFixed(1),
      'not a CLI flag yet (`withAdaptiveClipping`, in-process)',
    ]);
    log(`(c) adaptive clipping z = 1: ${pct(lastMean(ad.value, 5))}%, C ends at ${(clipTrace.at(-1) as number).toFixed(2)} (${ad.seconds.toFixed(1)} s)`);
    sections.push(
      [
        '### Client-level DP: accuracy and epsilon (δ = 1e-5)',
        '',
        `DP-FedAvg (\`withDpClipping\`): every client's change clipped to S, averaged with equal weight, Gaussian noise z·S/m added; epsilon from the RDP accountant after ${base.rounds} rounds at sampling rate ${base.fraction}. ${base.clients} clients, ${Math.round(base.fraction * base.clients)} per round, IID, E = ${base.epochs}, B = ${base.batchSize}. S = ${clip}: the median update norm over the first 5 rounds of a clean run (${norms.flat().length} updates). The last row clips adaptively (Andrew et al. 2021: γ = 0.5, η_C = 0.2, σ_b = m/20), starting from C = 0.1; its epsilon is the same accountant at z = 1. Table time ${seconds.toFixed(0)} s.`,
        '',
        markdownTable(['noise multiplier z', 'clip S', 'accuracy, final', 'accuracy, last 5', 'epsilon', 'flags'], table),
      ].join('\n'),
    );
  }

  // One row through the real CLI, to check the flags given reproduce the in-process figures.
  const check: Setting = { clients: 50, fraction: 0.6, rounds: 5, split: 'iid', epochs: 1, batchSize: 10, strategy: 'median', byzantine: 0.2 };
  const cli = spawnSync(
    process.execPath,
    [
      join(import.meta.dirname, '..', 'cli', 'main.js'),
      'fl',
      'simulate',
      '--home',
      home,
      ...COMMON_FLAGS.split(' '),
      ...flags(check).slice(1, -1).split(' '),
      '--json',
    ],
    { encoding: 'utf8' },
  );
  const inProcess = runSimulation(options(rows, check)).final.accuracy;
  const viaCli = cli.status === 0 ? (JSON.parse(cli.stdout) as { final: { accuracy: number } }).final.accuracy : Number.NaN;
  log(`CLI check: in-process ${inProcess}, lumora fl simulate ${viaCli}${cli.status === 0 ? '' : ` (exit ${cli.status}: ${cli.stderr.trim()})`}`);
  const totalSeconds = (performance.now() - t0) / 1000;
  sections.push(
    `Check: \`lumora fl simulate ${COMMON_FLAGS} ${flags(check).slice(1, -1)}\` gives final accuracy ${pct(viaCli)}%, in-process ${pct(inProcess)}% (${viaCli === inProcess ? 'identical' : 'DIFFERENT'}). Whole bench ${totalSeconds.toFixed(0)} s (pipeline and publish ${pipelineSeconds.toFixed(0)} s of it), one thread, on a machine shared with other work: 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] as number).toFixed(1)} at the end.`,
  );
  const markdown = sections.join('\n\n');
  log(`\n${markdown}`);
  recordBenchmark({
    name: 'federated-experiments',
    title: 'Federated learning experiments on a Lumora dataset',
    command: 'npm run bench:federated-experiments',
    markdown,
  });
} finally {
  if (!keepHome) rmSync(home, { recursive: true, force: true });
}
