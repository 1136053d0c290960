/**
 * @module A deterministic synthetic web corpus for benchmarks: realistic page templates (scripts,
 * styles, navigation, sidebars, footers around an article), prose from a seeded generator, with
 * exact duplicates, near duplicates, personal data and low-quality pages mixed in at fixed rates.
 * The same seed always gives the same bytes, so figures are comparable between runs.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mulberry32 } from '../common/index.js';

const WORDS = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an they you ' +
  'were her she there been one all we their has would when if so no will more can other what about its only new some ' +
  'time could these two may first then do any like my now over such our man me even most made after also did many ' +
  'before must through back years where much your way well down should because each just those people how too little ' +
  'state good very make world still own see men work long get here between both life being under never day same another ' +
  'know while last might us great old year off come since against go came right used take three water city river market ' +
  'energy report council school research village garden history museum library policy project system network science ' +
  'engineer harvest weather festival railway bridge harbour mountain forest teacher student doctor hospital budget'
).split(' ');

const FIRST = ['Alice', 'Maria', 'James', 'Robert', 'Linda', 'David', 'Sarah', 'Thomas', 'Karen', 'Daniel'];
const LAST = ['Johnson', 'Garcia', 'Miller', 'Davis', 'Martinez', 'Wilson', 'Anderson', 'Taylor', 'Moore', 'Clark'];

function pick<T>(rng: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)] as T;
}

function sentence(rng: () => number): string {
  const n = 8 + Math.floor(rng() * 18);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(pick(rng, WORDS));
  const s = words.join(' ');
  return s[0]?.toUpperCase() + s.slice(1) + (rng() < 0.9 ? '.' : '?');
}

function paragraph(rng: () => number): string {
  const n = 3 + Math.floor(rng() * 6);
  return Array.from({ length: n }, () => sentence(rng)).join(' ');
}

function piiParagraph(rng: () => number, i: number): string {
  const name = `${pick(rng, FIRST)} ${pick(rng, LAST)}`;
  return (
    `For questions contact ${name} at ${name.toLowerCase().replace(' ', '.')}${i}@example.com or call (555) 01${String(i % 100).padStart(2, '0')}-${String(1000 + (i % 9000)).slice(0, 4)}. ` +
    `Payments to IBAN GB82 WEST 1234 5698 7654 32 or card 4111 1111 1111 1111; server 192.0.2.${i % 250}.`
  );
}

/** One page of HTML with boilerplate around an article of the given paragraphs. */
function page(rng: () => number, title: string, paragraphs: string[]): string {
  const nav = Array.from({ length: 12 }, (_, k) => `<li><a href="/section/${k}">${pick(rng, WORDS)} ${pick(rng, WORDS)}</a></li>`).join('');
  const side = Array.from({ length: 8 }, (_, k) => `<li><a href="/related/${k}">${sentence(rng)}</a></li>`).join('');
  const script = `var cfg={id:${Math.floor(rng() * 1e9)},tags:[${Array.from({ length: 40 }, () => `"${pick(rng, WORDS)}"`).join(',')}]};function init(){for(var i=0;i<cfg.tags.length;i++){track(cfg.tags[i]);}}`;
  const style =
    `.c${Math.floor(rng() * 1000)}{margin:0 auto;padding:12px;font:16px/1.5 Georgia,serif;color:#222}.nav li{display:inline-block;margin-right:8px}`.repeat(30);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${style}</style><script>${script.repeat(20)}</script></head>
<body><header class="site-header"><div class="logo"><a href="/">Daily ${pick(rng, WORDS)}</a></div><nav class="nav"><ul>${nav}</ul></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. <a href="/privacy">Privacy policy</a> <button>Accept</button></div>
<main><article><h1>${title}</h1><p class="byline">By staff writer</p>
${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
</article><aside class="sidebar"><h3>Related</h3><ul>${side}</ul><div class="ad">Advertisement</div></aside></main>
<footer><p>Copyright 2026 Daily News. All rights reserved.</p><ul><li><a href="/terms">Terms of use</a></li><li><a href="/contact">Contact</a></li></ul></footer>
<script>${script.repeat(12)}</script></body></html>`;
}

/** Mixes that the corpus contains, as fractions of pages. */
export const CORPUS_MIX = { exactDuplicate: 0.05, nearDuplicate: 0.05, pii: 0.1, lowQuality: 0.05 } as const;

/**
 * Writes a JSONL corpus of `{url, html}` lines of at least `targetBytes`; returns pages and bytes.
 */
export async function writeCorpus(path: string, opts: { targetBytes: number; seed: number }): Promise<{ pages: number; bytes: number }> {
  const rng = mulberry32(opts.seed);
  const out = createWriteStream(path);
  const recent: Array<{ title: string; paragraphs: string[] }> = [];
  let bytes = 0;
  let pages = 0;
  while (bytes < opts.targetBytes) {
    const r = rng();
    let title: string;
    let paragraphs: string[];
    const base = recent.length > 0 ? pick(rng, recent) : undefined;
    if (base && r < CORPUS_MIX.exactDuplicate) {
      ({ title, paragraphs } = base);
    } else if (base && r < CORPUS_MIX.exactDuplicate + CORPUS_MIX.nearDuplicate) {
      title = base.title;
      // A few words changed in one paragraph: the kind of edit near-dedupe must catch.
      paragraphs = base.paragraphs.map((p, k) => (k === 0 ? p.replace(/\b\w+\b/, pick(rng, WORDS)) : p));
    } else if (r < 0.15) {
      title = 'Lorem ipsum';
      paragraphs = ['Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(3), 'Click here. Buy now. Best price.'];
    } else {
      title = sentence(rng).slice(0, 60);
      const n = 4 + Math.floor(rng() * 10);
      paragraphs = Array.from({ length: n }, () => paragraph(rng));
      if (rng() < CORPUS_MIX.pii / 0.85) paragraphs.splice(1, 0, piiParagraph(rng, pages));
      recent.push({ title, paragraphs });
      if (recent.length > 200) recent.shift();
    }
    const line = JSON.stringify({ url: `https://news${pages % 50}.example/article/${pages}`, html: page(rng, title, paragraphs) }) + '\n';
    bytes += Buffer.byteLength(line);
    pages++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { pages, bytes };
}
