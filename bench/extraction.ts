/**
 * @module Extraction quality and speed on the 121-page dev set (../shared/eval/extraction-dev), scored
 * as the Scrapinghub article-extraction benchmark scores (4-token shingle P/R/F1, mean over pages).
 * Ours beside two baselines in the same run: plain Readability.js over linkedom (what we wrap), and
 * the whole page's visible text. Run: `npx tsx bench/extraction.ts`.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { extractMainText } from '../pipeline/index.js';
import { htmlToText } from '../pipeline/extract/html-to-text.js';
import { shingleF1 } from '../pipeline/extract/shingle-f1.js';
import { markdownTable, recordBenchmark } from './record.js';

const DIR = join(import.meta.dirname, '..', '..', 'shared', 'eval', 'extraction-dev');
const dir = existsSync(DIR) ? DIR : join(import.meta.dirname, '..', '..', '..', 'shared', 'eval', 'extraction-dev');
const pages = readdirSync(dir)
  .filter((f) => f.endsWith('.html'))
  .map((f) => ({ html: readFileSync(join(dir, f), 'utf8'), expected: readFileSync(join(dir, f.replace(/\.html$/, '.expected.txt')), 'utf8') }));
const totalMb = pages.reduce((a, p) => a + Buffer.byteLength(p.html), 0) / 1e6;

const extractors: Record<string, (html: string) => string> = {
  'lumora extract (Readability + fallback)': (html) => extractMainText(html).text,
  'Readability.js over linkedom (baseline)': (html) => {
    const { document } = parseHTML(html);
    return new Readability(document as never).parse()?.textContent ?? '';
  },
  'whole-page text (baseline)': (html) => htmlToText(html),
};

const rows: Array<Array<string | number>> = [];
for (const [name, fn] of Object.entries(extractors)) {
  let p = 0;
  let r = 0;
  let f = 0;
  for (const page of pages.slice(0, 5)) fn(page.html); // warm-up
  const t0 = performance.now();
  const outputs = pages.map((page) => fn(page.html));
  const seconds = (performance.now() - t0) / 1000;
  outputs.forEach((out, i) => {
    const s = shingleF1(out, pages[i]?.expected ?? '');
    p += s.precision;
    r += s.recall;
    f += s.f1;
  });
  const n = pages.length;
  rows.push([name, (p / n).toFixed(3), (r / n).toFixed(3), (f / n).toFixed(3), (totalMb / seconds).toFixed(1), (n / seconds).toFixed(0)]);
}
const md = [
  `${pages.length} pages, ${totalMb.toFixed(1)} MB of HTML, one thread. Published F1 on the benchmark's full 181 pages: trafilatura 0.958, Readability.js 0.947.`,
  '',
  markdownTable(['extractor', 'precision', 'recall', 'F1', 'MB/s', 'pages/s'], rows),
].join('\n');
process.stdout.write(md + '\n');
recordBenchmark({ name: 'extraction', title: 'Main-text extraction', command: 'npx tsx bench/extraction.ts', markdown: md });
