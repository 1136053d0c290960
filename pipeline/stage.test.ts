import { describe, expect, it } from 'vitest';
import type { Doc } from './doc.js';
import { drop, filterStage, mapStage } from './stage.js';
import { silentLogger } from '../common/index.js';
import { Stats } from './stats.js';

function doc(id: string, text: string): Doc {
  return {
    id,
    url: `http://example.test/${id}`,
    domain: 'example.test',
    fetchedAt: '2026-01-01T00:00:00.000Z',
    title: '',
    text,
    source: { kind: 'jsonl', input: 'mem', offset: 0 },
  };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* from<T>(xs: T[]): AsyncIterable<T> {
  yield* xs;
}

describe('filterStage', () => {
  it('keeps passing docs and counts each dropped doc under its reason', async () => {
    const stats = new Stats();
    const stage = filterStage('non_empty', (d) => d.text.length > 0 || drop('empty'));
    const kept = await collect(
      stage.process(from([doc('a', 'x'), doc('b', ''), doc('c', 'y'), doc('d', '')]), {
        stats: stats.stage('non_empty'),
        logger: silentLogger,
      }),
    );
    expect(kept.map((d) => d.id)).toEqual(['a', 'c']);
    expect(stats.toJSON().counters.non_empty).toEqual({ total: 4, kept: 2, dropped_empty: 2 });
  });
});

describe('mapStage', () => {
  it('yields the transformed doc', async () => {
    const stats = new Stats();
    const stage = mapStage('upper', (d) => ({ ...d, text: d.text.toUpperCase() }));
    const [out] = await collect(stage.process(from([doc('a', 'abc')]), { stats: stats.stage('upper'), logger: silentLogger }));
    expect(out?.text).toBe('ABC');
  });
});

describe('Stats', () => {
  it('merges snapshots by adding counters and times', () => {
    const a = new Stats();
    a.stage('s').count('kept', 2);
    a.stage('s').addTimeMs(5);
    const b = Stats.from(a.toJSON());
    b.merge(a.toJSON());
    expect(b.get('s', 'kept')).toBe(4);
    expect(b.toJSON().timeMs.s).toBe(10);
  });
});
