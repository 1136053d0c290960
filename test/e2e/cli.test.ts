import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lumora } from './helpers.js';

const SUBCOMMANDS = ['run', 'extract', 'publish', 'datasets', 'query', 'demo'];

describe('lumora CLI', () => {
  it('prints help for every subcommand', () => {
    for (const cmd of SUBCOMMANDS) {
      const r = lumora([cmd, '--help']);
      expect(r.status, cmd).toBe(0);
      expect(r.stdout, cmd).toContain(`Usage: lumora ${cmd}`);
    }
  });

  it('rejects a missing input file with a message naming it, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumora-cli-'));
    const r = lumora(['run', join(dir, 'nope.warc.gz'), '--out', join(dir, 'out'), '--home', join(dir, 'home')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('nope.warc.gz: no such file');
  });

  it('rejects an input of unknown type', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumora-cli-'));
    const file = join(dir, 'pages.csv');
    writeFileSync(file, 'url,html\n');
    const r = lumora(['run', file, '--out', join(dir, 'out'), '--home', join(dir, 'home')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/pages\.csv: unknown input type/);
  });

  it('names the offending field of a bad config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumora-cli-'));
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, JSON.stringify({ url: 'https://a.example/', text: 'hello' }) + '\n');
    const config = join(dir, 'lumora.yaml');
    writeFileSync(config, 'runner:\n  workers: -1\ncrawl:\n  maxPagez: 3\n');
    const r = lumora(['run', input, '--out', join(dir, 'out'), '--config', config, '--home', join(dir, 'home')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('runner.workers');
    expect(r.stderr).toContain('maxPagez');
  });

  it('rejects a non-numeric flag value', () => {
    const r = lumora(['run', 'x.jsonl', '--out', 'o', '--workers', 'two']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('"two" is not a non-negative integer');
  });

  it('lists an empty catalog as an empty JSON array', () => {
    const home = join(mkdtempSync(join(tmpdir(), 'lumora-cli-')), 'home');
    const r = lumora(['datasets', '--home', home, '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('takes the data home from LUMORA_HOME when --home is not given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumora-cli-'));
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, JSON.stringify({ url: 'https://a.example/', text: 'Closed on Monday.' }) + '\n');
    const env = { LUMORA_HOME: join(dir, 'env-home') };
    const run = lumora(['run', input, '--out', join(dir, 'out'), '--publish', '--name', 'tiny', '--json', '--quality', 'tag'], { env });
    expect(run.status).toBe(0);
    const list = JSON.parse(lumora(['datasets', '--json'], { env }).stdout) as Array<{ id: string; path: string }>;
    expect(list.map((d) => d.id)).toEqual(['tiny@v1']);
    expect(list[0]?.path.startsWith(join(dir, 'env-home'))).toBe(true);
  });

  it('reports an unknown dataset in query as an error naming it', () => {
    const home = join(mkdtempSync(join(tmpdir(), 'lumora-cli-')), 'home');
    const r = lumora(['query', 'ghost', 'SELECT 1', '--home', home]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('dataset ghost: not found');
  });
});
