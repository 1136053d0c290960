/**
 * @module How rows are split among simulated clients. IID: by a hash of the row id, so a row
 * always lands with the same client. Non-IID by label, as the FedAvg paper's pathological split:
 * rows sorted by label, cut into 2·clients shards, two shards per client, so most clients see
 * one or two labels. Dirichlet label skew (Hsu et al. 2019): for each label, the share each client
 * gets is drawn from Dirichlet(α) — small α concentrates a label on few clients. By domain: all
 * rows of a web domain go to one client, as when each site runs its own node.
 */
import { FederatedError } from '../errors.js';
import { fmix32, fnv1a } from '../../common/index.js';
import { shuffleInPlace } from '../shuffle.js';

/**
 * FNV-1a with MurmurHash3's finaliser, salted: FNV alone leaves low bits poorly mixed for ids that
 * differ in a digit, and the salt keeps this split independent of the validation split, which
 * hashes the same ids.
 */
export function saltedHash(salt: string, text: string): number {
  return fmix32(fnv1a(`${salt}:${text}`));
}

/** Client index per row, by hash of its id. */
export function iidPartition(ids: readonly string[], clients: number): number[] {
  return ids.map((id) => saltedHash('client', id) % clients);
}

/** Client index per row: `shardsPerClient` label-sorted shards each, shards dealt by a seeded shuffle. */
export function labelShardPartition(labels: readonly number[], clients: number, rng: () => number, shardsPerClient = 2): number[] {
  const order = labels.map((l, i) => [l, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const shards = clients * shardsPerClient;
  const owner = Array.from({ length: shards }, (_, s) => s % clients);
  shuffleInPlace(owner, rng);
  const out = new Array<number>(labels.length);
  order.forEach(([, row], k) => {
    out[row] = owner[Math.min(shards - 1, Math.floor((k * shards) / order.length))] as number;
  });
  return out;
}

/** A Gamma(shape, 1) sample (Marsaglia & Tsang 2000; shape < 1 boosted by U^(1/shape)). */
function gamma(shape: number, rng: () => number): number {
  if (shape < 1) return gamma(shape + 1, rng) * Math.pow(rng() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      // Box–Muller normal.
      x = Math.sqrt(-2 * Math.log(rng() || Number.MIN_VALUE)) * Math.cos(2 * Math.PI * rng());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Client index per row: each label's rows dealt to clients in Dirichlet(alpha) proportions. */
export function dirichletPartition(labels: readonly number[], clients: number, alpha: number, rng: () => number): number[] {
  if (!(alpha > 0)) throw new FederatedError(`dirichlet split: alpha must be > 0, got ${alpha}`, { code: 'INVALID_ARGUMENT' });
  const out = new Array<number>(labels.length).fill(0);
  const byLabel = new Map<number, number[]>();
  labels.forEach((l, i) => {
    let rows = byLabel.get(l);
    if (!rows) byLabel.set(l, (rows = []));
    rows.push(i);
  });
  for (const rows of [...byLabel.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r)) {
    const g = Array.from({ length: clients }, () => gamma(alpha, rng));
    const total = g.reduce((a, b) => a + b, 0);
    let cumulative = 0;
    const bounds = g.map((x) => (cumulative += x / total));
    rows.forEach((row, k) => {
      const position = (k + 0.5) / rows.length;
      let client = bounds.findIndex((b) => position < b);
      if (client < 0) client = clients - 1;
      out[row] = client;
    });
  }
  return out;
}

/** Client index per row: every row of one domain with the same client (by hash of the domain). */
export function domainPartition(domains: readonly string[], clients: number): number[] {
  return domains.map((d) => saltedHash('domain', d) % clients);
}

/** The server's validation rows: a fifth of the dataset by hash of the row id, never sent to a client. */
export function isValidationRow(id: string): boolean {
  return saltedHash('validation', id) % 5 === 0;
}

export interface PartitionSpec {
  split: 'iid' | 'noniid' | 'dirichlet' | 'domain';
  labelsPerClient?: number;
  alpha?: number;
}

/** Client index per training row under `spec`; label-based splits draw from `rng`. */
export function partitionRows(
  spec: PartitionSpec,
  rows: ReadonlyArray<{ id: string; label: number; domain: string }>,
  clients: number,
  rng: () => number,
): number[] {
  switch (spec.split) {
    case 'iid':
      return iidPartition(
        rows.map((r) => r.id),
        clients,
      );
    case 'domain':
      return domainPartition(
        rows.map((r) => r.domain),
        clients,
      );
    case 'dirichlet':
      return dirichletPartition(
        rows.map((r) => r.label),
        clients,
        spec.alpha ?? 0.5,
        rng,
      );
    case 'noniid':
      return labelShardPartition(
        rows.map((r) => r.label),
        clients,
        rng,
        spec.labelsPerClient ?? 2,
      );
  }
}
