import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../catalog/index.js';
import { lumora } from './helpers.js';
import { buildFixtureDataset } from './market-helpers.js';

let home: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'lumora-fl-'));
  // The fixture site's WARC is multilingual: lang has five values.
  const dir = await buildFixtureDataset(home, 'pages', 'fixtures/warc/site.warc.gz');
  const catalog = await Catalog.open({ home });
  try {
    await catalog.publish(dir);
  } finally {
    catalog.close();
  }
}, 120_000);

afterAll(() => rmSync(home, { recursive: true, force: true }));

const simulate = (...args: string[]) => lumora(['fl', 'simulate', '--home', home, '--dataset', 'pages', ...args]);

describe('lumora fl simulate (contract)', () => {
  it('prints rounds and the final accuracy as JSON for a published dataset with --label lang', () => {
    const r = simulate('--label', 'lang', '--clients', '3', '--rounds', '2', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { rounds: Array<Record<string, unknown>>; final: { accuracy: number } };
    expect(out.rounds.map((x) => Object.keys(x).sort())).toEqual([
      ['accuracy', 'clients', 'epsilon', 'loss', 'round'],
      ['accuracy', 'clients', 'epsilon', 'loss', 'round'],
    ]);
    expect(out.rounds[0]).toMatchObject({ round: 1, epsilon: null });
    expect(out.final.accuracy).toBeGreaterThanOrEqual(0);
    expect(out.final.accuracy).toBeLessThanOrEqual(1);
  });

  it('trains through secure aggregation with --secagg', () => {
    const r = simulate('--label', 'lang', '--clients', '3', '--rounds', '2', '--secagg', '--dimension', '4096', '--tfidf', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { rounds: unknown[] }).rounds).toHaveLength(2);
  });

  it('reports epsilon with --dp-noise and --dp-clip, and runs the robust strategies', () => {
    const dp = simulate('--label', 'lang', '--clients', '3', '--rounds', '2', '--dp-noise', '1.1', '--dp-clip', '1', '--json');
    expect(dp.status, dp.stderr).toBe(0);
    expect((JSON.parse(dp.stdout) as { rounds: Array<{ epsilon: number }> }).rounds[1]?.epsilon).toBeGreaterThan(0);
    const adaptive = simulate('--label', 'lang', '--clients', '3', '--rounds', '2', '--dp-noise', '1.1', '--dp-clip', '0.001', '--dp-adaptive', '--json');
    expect(adaptive.status, adaptive.stderr).toBe(0);
    const clips = (JSON.parse(adaptive.stdout) as { rounds: Array<{ clipNorm: number }> }).rounds.map((x) => x.clipNorm);
    expect(clips[1]).toBeGreaterThan(clips[0] as number);
    const median = simulate(
      '--label',
      'lang',
      '--clients',
      '3',
      '--rounds',
      '1',
      '--strategy',
      'median',
      '--split',
      'noniid',
      '--model',
      'mlp',
      '--hidden',
      '8',
      '--dimension',
      '4096',
    );
    expect(median.status, median.stderr).toBe(0);
    expect(median.stdout).toMatch(/round {2}accuracy {2}loss/);
  });

  it.each([
    [['--label', 'nope'], /--label: dataset pages@v1 has no column "nope" \(columns: id, url, /],
    [['--label', 'lang', '--strategy', 'fedsgd'], /--strategy "fedsgd" is not one of fedavg, /],
    [
      ['--label', 'lang', '--secagg', '--strategy', 'median'],
      /--secagg: secure aggregation needs a mean-based strategy \(fedavg, fedprox\); median must see individual updates/,
    ],
    [
      ['--label', 'lang', '--strategy', 'krum', '--dp-noise', '1', '--dp-clip', '1'],
      /--dp-noise\/--dp-clip: DP-FedAvg clips and averages updates; it needs a mean-based strategy \(fedavg, fedprox\), not krum/,
    ],
    [['--label', 'lang', '--dp-noise', '1'], /--dp-noise and --dp-clip go together/],
    [['--label', 'lang', '--dp-adaptive'], /--dp-adaptive needs --dp-noise and --dp-clip \(the starting clip norm\)/],
    [['--label', 'lang', '--clients', 'ten'], /--clients "ten" is not a positive integer/],
    [['--label', 'lang', '--batch-size', '1.5'], /--batch-size "1.5" is not a non-negative integer/],
    [['--label', 'lang', '--fraction', '0'], /fraction must be in \(0, 1\], got 0/],
  ])('refuses %j with a message naming it', (args, message) => {
    const r = simulate(...args);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(message);
  });
});
