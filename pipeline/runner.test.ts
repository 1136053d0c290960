import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePipelineConfig } from './config.js';
import { createJsonLogger } from './logger.js';
import { runPipeline } from './runner.js';

const root = mkdtempSync(join(tmpdir(), 'lumora-runner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

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
});
