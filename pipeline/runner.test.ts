import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePipelineConfig } from './config.js';
import { createJsonLogger } from '../common/index.js';
import { runPipeline } from './runner.js';
import { PIPELINE_STAGES } from './stage-list.js';

const root = mkdtempSync(join(tmpdir(), 'lumora-runner-'));
// A second filesystem (tmpfs) where the machine has one: the move to --out there is a copy.
const other = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(root).dev ? mkdtempSync('/dev/shm/lumora-runner-') : undefined;
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  if (other) rmSync(other, { recursive: true, force: true });
});

const PAGE_TEXT = 'The harbour committee met on Tuesday to discuss the new ferry timetable and the repairs to the old pier.';

describe('runPipeline', () => {
  it('skips and counts an input that cannot be read (EIO) as unreadable, names it in a log line, and goes on to the next input', async () => {
    const dir = mkdtempSync(join(root, 'unreadable-'));
    // Reading /proc/self/mem from offset 0 fails with EIO: a disk error on demand, for any reader.
    const warc = join(dir, 'bad-disk.warc');
    symlinkSync('/proc/self/mem', warc);
    const jsonl = join(dir, 'bad-disk.jsonl');
    symlinkSync('/proc/self/mem', jsonl);
    const gz = join(dir, 'bad-disk.jsonl.gz');
    symlinkSync('/proc/self/mem', gz);
    const good = join(dir, 'good.jsonl');
    writeFileSync(good, JSON.stringify({ url: 'https://a.example/ok', text: PAGE_TEXT }) + '\n');
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line), level: 'warn' });

    const result = await runPipeline({
      inputs: [warc, jsonl, gz, good],
      outDir: join(dir, 'out'),
      home: join(dir, 'home'),
      config: parsePipelineConfig({ runner: { workers: 0 }, quality: { mode: 'tag' } }),
      toolVersion: 'test',
      logger,
    });

    expect(result.report.source).toMatchObject({ read: 1, skipped: { unreadable: 3 } });
    expect(result.report.source.skipped).not.toHaveProperty('truncated_record');
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.code === 'EIO');
    expect(logged.map((l) => l.input)).toEqual([warc, jsonl, gz]);
    expect(logged[0]?.msg).toMatch(/could not be read/);
  }, 20_000);

  it('runs every stage of the stage list, and its report shows each in the list order', async () => {
    const dir = mkdtempSync(join(root, 'stages-'));
    const input = join(dir, 'pages.jsonl');
    writeFileSync(input, JSON.stringify({ url: 'https://a.example/ok', text: PAGE_TEXT }) + '\n');
    const result = await runPipeline({
      inputs: [input],
      outDir: join(dir, 'out'),
      home: join(dir, 'home'),
      config: parsePipelineConfig({ runner: { workers: 0 }, quality: { mode: 'tag' } }),
      toolVersion: 'test',
    });
    expect(result.report.funnel.map((f) => [f.stage, f.in, f.out])).toEqual(PIPELINE_STAGES.map((s) => [s.name, 1, 1]));
  }, 20_000);

  it.skipIf(!other)(
    'moves the dataset to an --out on another filesystem and leaves no copy of it under the data home',
    async () => {
      const dir = mkdtempSync(join(root, 'other-fs-'));
      const input = join(dir, 'pages.jsonl');
      writeFileSync(input, JSON.stringify({ url: 'https://a.example/ok', text: PAGE_TEXT }) + '\n');
      const home = join(dir, 'home');
      const out = join(other as string, 'out');
      const result = await runPipeline({
        inputs: [input],
        outDir: out,
        home,
        config: parsePipelineConfig({ runner: { workers: 0 }, quality: { mode: 'tag' } }),
        toolVersion: 'test',
      });
      expect(existsSync(join(out, 'manifest.json'))).toBe(true);
      expect(existsSync(join(home, 'runs', result.runId, 'dataset'))).toBe(false);
      expect(existsSync(join(home, 'runs', result.runId, 'checkpoint.json'))).toBe(false);
    },
    20_000,
  );
});
