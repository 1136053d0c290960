import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../common/index.js';
import { dirichletPartition, domainPartition, iidPartition, labelShardPartition } from './partition.js';

describe('partitions', () => {
  it('keep a row with the same client, IID by id', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `r${i}`);
    const p = iidPartition(ids, 10);
    expect(iidPartition(ids, 10)).toEqual(p);
    const sizes = Array.from({ length: 10 }, (_, k) => p.filter((c) => c === k).length);
    expect(Math.min(...sizes)).toBeGreaterThan(60);
  });

  it('give each client at most two labels in the pathological non-IID split', () => {
    const labels = Array.from({ length: 600 }, (_, i) => i % 10);
    const p = labelShardPartition(labels, 30, mulberry32(1));
    for (let k = 0; k < 30; k++) {
      const seen = new Set(labels.filter((_, i) => p[i] === k));
      expect(seen.size).toBeLessThanOrEqual(2);
    }
  });

  it('concentrates each label on few clients under Dirichlet(0.1), and spreads it under Dirichlet(100)', () => {
    const labels = Array.from({ length: 2000 }, (_, i) => i % 4);
    const topShare = (alpha: number) => {
      const p = dirichletPartition(labels, 10, alpha, mulberry32(4));
      // For each label, the share of its rows on its largest client.
      return [0, 1, 2, 3].map((l) => {
        const counts = new Array(10).fill(0);
        labels.forEach((x, i) => x === l && counts[p[i] as number]++);
        return Math.max(...counts) / 500;
      });
    };
    expect(Math.min(...topShare(0.1))).toBeGreaterThan(0.3);
    expect(Math.max(...topShare(100))).toBeLessThan(0.2);
  });

  it('keeps every row of a domain with one client', () => {
    const domains = Array.from({ length: 300 }, (_, i) => `site${i % 7}.example`);
    const p = domainPartition(domains, 5);
    for (let d = 0; d < 7; d++) expect(new Set(p.filter((_, i) => i % 7 === d)).size).toBe(1);
  });
});
