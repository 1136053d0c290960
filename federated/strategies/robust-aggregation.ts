/**
 * @module Byzantine-robust aggregation rules; each replaces FedAvg's mean and ignores example
 * counts, since a malicious client can claim any count.
 *   Coordinate-wise median and trimmed mean: Yin et al. 2018, "Byzantine-Robust Distributed
 *   Learning: Towards Optimal Statistical Rates" (trimmed mean drops the β largest and β smallest
 *   values of every coordinate; β = 0.2 of the clients per side by default, as Flower's).
 *   Krum and Multi-Krum: Blanchard et al. 2017, "Machine Learning with Adversaries: Byzantine
 *   Tolerant Gradient Descent": each update is scored by the summed squared distances to its
 *   n − f − 2 nearest others; Krum keeps the best one, Multi-Krum averages the best m.
 */
import { FederatedError } from '../errors.js';
import { assertUpdates, sameConfig, type ClientUpdate, type Strategy } from './strategy.js';

/** Per coordinate, the values of all updates, sorted; `fn` reduces them. Column-wise over a scratch array. */
function perCoordinate(updates: readonly ClientUpdate[], length: number, fn: (sorted: Float64Array) => number): Float32Array {
  const n = updates.length;
  const column = new Float64Array(n);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    for (let k = 0; k < n; k++) column[k] = (updates[k] as ClientUpdate).weights[i] as number;
    column.sort();
    out[i] = fn(column);
  }
  return out;
}

export function fedMedian(): Strategy {
  return {
    name: 'median',
    configureRound: sameConfig,
    aggregate(_round, current, updates) {
      assertUpdates('median', current, updates);
      const n = updates.length;
      return perCoordinate(updates, current.length, (s) => (n % 2 === 1 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2));
    },
  };
}

export function fedTrimmedMean(opts: { beta?: number } = {}): Strategy {
  const beta = opts.beta ?? 0.2;
  if (!(beta >= 0 && beta < 0.5)) throw new FederatedError(`trimmed-mean: beta must be in [0, 0.5), got ${beta}`);
  return {
    name: 'trimmed-mean',
    configureRound: sameConfig,
    aggregate(_round, current, updates) {
      assertUpdates('trimmed-mean', current, updates);
      const n = updates.length;
      const cut = Math.floor(beta * n);
      return perCoordinate(updates, current.length, (s) => {
        let sum = 0;
        for (let k = cut; k < n - cut; k++) sum += s[k] as number;
        return sum / (n - 2 * cut);
      });
    },
  };
}

/** Krum scores: for each update, the sum of squared distances to its n − f − 2 nearest others. */
export function krumScores(updates: readonly ClientUpdate[], byzantine: number): number[] {
  const n = updates.length;
  const neighbours = Math.max(1, n - byzantine - 2);
  const dist: number[][] = updates.map(() => new Array<number>(n).fill(0));
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const x = (updates[a] as ClientUpdate).weights;
      const y = (updates[b] as ClientUpdate).weights;
      let d = 0;
      for (let i = 0; i < x.length; i++) {
        const t = (x[i] as number) - (y[i] as number);
        d += t * t;
      }
      (dist[a] as number[])[b] = d;
      (dist[b] as number[])[a] = d;
    }
  }
  return dist.map((row, a) =>
    row
      .filter((_, b) => b !== a)
      .sort((p, q) => p - q)
      .slice(0, neighbours)
      .reduce((s, d) => s + d, 0),
  );
}

/**
 * Krum (keep = 1) or Multi-Krum (keep = m): the `keep` updates with the lowest scores, averaged
 * without weights. `byzantine` (f) is how many malicious clients the rule must withstand; Krum
 * needs n > 2f + 2.
 */
export function fedKrum(opts: { byzantine: number; keep?: number }): Strategy {
  const keep = opts.keep ?? 1;
  const name = keep === 1 ? 'krum' : 'multi-krum';
  return {
    name,
    configureRound: sameConfig,
    aggregate(_round, current, updates) {
      assertUpdates(name, current, updates);
      if (updates.length <= 2 * opts.byzantine + 2)
        throw new FederatedError(
          `${name}: ${updates.length} updates cannot withstand ${opts.byzantine} byzantine clients (needs more than ${2 * opts.byzantine + 2})`,
        );
      const scores = krumScores(updates, opts.byzantine);
      const chosen = scores
        .map((s, k) => [s, k] as const)
        .sort((p, q) => p[0] - q[0] || p[1] - q[1])
        .slice(0, Math.min(keep, updates.length))
        .map(([, k]) => updates[k] as ClientUpdate);
      const out = new Float64Array(current.length);
      for (const u of chosen) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (u.weights[i] as number) / chosen.length;
      return Float32Array.from(out);
    },
  };
}
