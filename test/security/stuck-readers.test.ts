// Issue 11, high: readers that never finish. A 58-byte WARC whose record is shorter than its
// Content-Length made `lumora run` spin at 100% CPU forever, deaf to SIGTERM (warcio's skipFully
// reads past the end in a loop of promises that resolve at once). A 50 MB JSONL line took
// 150–220 s and 1.7 GB to read (the unfinished line was re-copied for every chunk), only for the
// document to be dropped as too large.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WARCRecord, WARCSerializer } from 'warcio';
import { ROOT } from '../e2e/helpers.js';
import { runLumora } from './lumora-child.js';

const root = mkdtempSync(join(tmpdir(), 'lumora-stuck-readers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PAGE_TEXT = 'The harbour committee met on Tuesday to discuss the new ferry timetable and the repairs to the old pier.';

/** The source counters of a finished run, from its report. */
function sourceCounters(out: string): { read: number; skipped: Record<string, number> } {
  return (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { source: { read: number; skipped: Record<string, number> } }).source;
}

async function warcRecord(opts: { type: 'warcinfo' | 'response'; url?: string; html?: string; gzip?: boolean }): Promise<Buffer> {
  const body = new TextEncoder().encode(opts.type === 'response' ? (opts.html ?? '') : 'software: lumora-test\r\n');
  const rec =
    opts.type === 'response'
      ? WARCRecord.create(
          {
            url: opts.url,
            date: '2026-01-02T03:04:05Z',
            type: 'response',
            statusline: 'HTTP/1.1 200 OK',
            httpHeaders: { 'Content-Type': 'text/html; charset=utf-8' },
          },
          [body],
        )
      : WARCRecord.create({ type: 'warcinfo', date: '2026-01-02T03:04:05Z' }, [body]);
  return Buffer.from(await WARCSerializer.serialize(rec, { gzip: opts.gzip ?? false }));
}

describe('a WARC record shorter than its Content-Length', () => {
  it('ends the run in seconds with the record counted as truncated, and the run goes on to the next input', async () => {
    const dir = join(root, 'short');
    mkdirSync(dir);
    // 58 bytes: a record that promises 1000 bytes and holds 3.
    const short = join(dir, 'short.warc');
    writeFileSync(short, 'WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 1000\r\n\r\nabc');
    expect(readFileSync(short).length).toBe(58);
    // A response whose page is cut off after its HTTP headers.
    const whole = await warcRecord({ type: 'response', url: 'https://a.example/cut', html: `<p>${PAGE_TEXT}</p>`.repeat(20) });
    const cut = join(dir, 'cut-response.warc');
    writeFileSync(cut, whole.subarray(0, whole.length - 300));
    const jsonl = join(dir, 'after.jsonl');
    writeFileSync(jsonl, JSON.stringify({ url: 'https://b.example/after', text: PAGE_TEXT }) + '\n');

    const out = join(dir, 'out');
    const r = await runLumora(['run', short, cut, jsonl, '--out', out, '--home', join(dir, 'home'), '--workers', '0', '--quality', 'tag'], {
      timeoutMs: 30_000,
    });
    expect(r.killed, `still running after ${r.ms} ms`).toBe(false);
    expect(r.status, r.stderr).toBe(0);
    expect(r.ms).toBeLessThan(20_000);
    expect(sourceCounters(out)).toMatchObject({ read: 1, skipped: { truncated_record: 2 } });
    expect(r.stderr).toMatch(/input=.*short\.warc record=0 err=record 0 ends \d+ bytes before its Content-Length/);
    expect(r.stderr).not.toContain(PAGE_TEXT.slice(0, 30));
  });

  it('never hangs on any prefix of a WARC file: each ends with the whole records before the cut, and a cut inside a block is counted', async () => {
    const dir = join(root, 'prefixes');
    mkdirSync(dir);
    const parts = [
      await warcRecord({ type: 'warcinfo' }),
      await warcRecord({ type: 'response', url: 'https://a.example/one', html: `<p>${PAGE_TEXT}</p>` }),
      await warcRecord({ type: 'response', url: 'https://a.example/two', html: `<p>${PAGE_TEXT} Again.</p>` }),
    ];
    const file = Buffer.concat(parts);
    // Where each record's header block and content block end ("\r\n\r\n" closes both).
    const bounds: Array<{ headerEnd: number; blockEnd: number; html: boolean }> = [];
    let start = 0;
    for (const [i, p] of parts.entries()) {
      bounds.push({ headerEnd: start + p.indexOf('\r\n\r\n') + 4, blockEnd: start + p.length - 4, html: i > 0 });
      start += p.length;
    }
    const cuts: number[] = [];
    for (let c = 1; c < file.length; c += 3) cuts.push(c);
    cuts.push(file.length);
    for (const c of cuts) writeFileSync(join(dir, `cut-${String(c).padStart(5, '0')}.warc`), file.subarray(0, c));
    const gzParts = await Promise.all([
      warcRecord({ type: 'warcinfo', gzip: true }),
      warcRecord({ type: 'response', url: 'https://a.example/one', html: `<p>${PAGE_TEXT}</p>`, gzip: true }),
    ]);
    const gz = Buffer.concat(gzParts);
    const gzCuts: number[] = [];
    for (let c = 1; c < gz.length; c += 2) gzCuts.push(c);
    gzCuts.push(gz.length);
    for (const c of gzCuts) writeFileSync(join(dir, `gz-${String(c).padStart(5, '0')}.warc.gz`), gz.subarray(0, c));

    // One child reads every prefix with the real WARC source; a reader that spins never lets it end.
    const dist = (p: string) => JSON.stringify(pathToFileURL(join(ROOT, 'dist', p)).href);
    const script = join(dir, 'scan-all.mjs');
    writeFileSync(
      script,
      `import { readdirSync } from 'node:fs';
import { join } from 'node:path';
const { createWarcSource } = await import(${dist('pipeline/sources/warc-source.js')});
const { Stats } = await import(${dist('pipeline/stats.js')});
const { silentLogger } = await import(${dist('common/logger.js')});
const dir = process.argv[2];
const results = [];
for (const name of readdirSync(dir).filter((n) => n.includes('.warc')).sort()) {
  const stats = new Stats();
  let docs = 0;
  for await (const _ of createWarcSource({ path: join(dir, name) }).scan({ stats: stats.stage('source'), logger: silentLogger })) docs++;
  results.push({ name, docs, counters: stats.toJSON().counters.source ?? {} });
}
process.stdout.write(JSON.stringify(results));
`,
    );
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 });
    expect(r.signal, `killed after ${Date.now() - t0} ms: a reader made no progress`).toBeNull();
    expect(r.status, r.stderr.slice(-500)).toBe(0);
    const results = JSON.parse(r.stdout) as Array<{ name: string; docs: number; counters: Record<string, number> }>;
    expect(results).toHaveLength(cuts.length + gzCuts.length);
    const errors = (c: Record<string, number>) => (c.skipped_truncated_record ?? 0) + (c.skipped_corrupt_record ?? 0);
    for (const { name, docs, counters } of results) {
      expect(errors(counters), name).toBeLessThanOrEqual(1);
      if (!name.startsWith('cut-')) continue;
      const c = Number(/cut-(\d+)/.exec(name)?.[1]);
      expect(docs, name).toBe(bounds.filter((b) => b.html && b.blockEnd <= c).length);
      if (bounds.some((b) => b.headerEnd < c && c < b.blockEnd)) expect(errors(counters), `${name} cuts a block`).toBe(1);
    }
    // Gzipped, a record counts only once its member is whole; the whole file reads cleanly.
    const gzResults = results.filter((x) => x.name.startsWith('gz-'));
    expect(gzResults.every((x) => x.docs <= 1)).toBe(true);
    expect(gzResults.at(-1)).toMatchObject({ docs: 1, counters: { read: 1 } });
    expect(errors(gzResults.at(-1)?.counters ?? {})).toBe(0);
    expect(results.find((x) => x.name === `cut-${String(file.length).padStart(5, '0')}.warc`)).toMatchObject({ docs: 2 });
  });
});

describe('a JSONL line far over the size limit', () => {
  it('is skipped and counted as too_large in seconds and bounded memory, streamed through to the next line', async () => {
    const dir = join(root, 'long-line');
    mkdirSync(dir);
    const input = join(dir, 'pages.jsonl');
    const fd = openSync(input, 'w');
    writeSync(fd, JSON.stringify({ url: 'https://a.example/before', text: PAGE_TEXT }) + '\n');
    writeSync(fd, '{"url":"https://a.example/huge","html":"<p>');
    const block = 'ab'.repeat(512 * 1024);
    for (let i = 0; i < 50; i++) writeSync(fd, block);
    writeSync(fd, '</p>"}\n');
    writeSync(fd, JSON.stringify({ url: 'https://a.example/after', text: `${PAGE_TEXT} After.` }) + '\n');
    closeSync(fd);
    const small = join(dir, 'small.jsonl');
    writeFileSync(small, JSON.stringify({ url: 'https://a.example/before', text: PAGE_TEXT }) + '\n');

    const args = (inputFile: string, out: string) => [
      'run',
      inputFile,
      '--out',
      join(dir, out),
      '--home',
      join(dir, `home-${out}`),
      '--workers',
      '0',
      '--quality',
      'tag',
    ];
    // The same command on a one-line file: what the process needs anyway, measured in this run.
    const baseline = await runLumora(args(small, 'baseline'), { timeoutMs: 60_000 });
    expect(baseline.status, baseline.stderr).toBe(0);
    const r = await runLumora(args(input, 'big'), { timeoutMs: 30_000 });
    expect(r.killed, `still running after ${r.ms} ms`).toBe(false);
    expect(r.status, r.stderr).toBe(0);
    expect(r.ms).toBeLessThan(baseline.ms + 10_000);
    expect(sourceCounters(join(dir, 'big'))).toMatchObject({ read: 2, skipped: { too_large: 1 } });
    const extraMb = ((r.maxRssKb ?? Infinity) - (baseline.maxRssKb ?? 0)) / 1024;
    expect(extraMb, `peak RSS ${r.maxRssKb} KiB vs ${baseline.maxRssKb} KiB for one line`).toBeLessThan(100);
    expect(r.stderr).toMatch(/skipped a line over the size limit.*line=2/);
    expect(r.stderr).not.toContain('abab');
  });
});
