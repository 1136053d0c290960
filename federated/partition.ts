/**
 * @module How rows are split among simulated clients. IID: by a hash of the row id, so a row
 * always lands with the same client. Non-IID by label, as the FedAvg paper's pathological split:
 * rows sorted by label, cut into 2·clients shards, two shards per client, so most clients see
 * one or two labels.
 */

/**
 * FNV-1a with MurmurHash3's finaliser, salted: FNV alone leaves low bits poorly mixed for ids that
 * differ in a digit, and the salt keeps this split independent of the validation split, which
 * hashes the same ids.
 */
export function saltedHash(salt: string, text: string): number {
  let h = 0x811c9dc5;
  const s = `${salt}:${text}`;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
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
  for (let i = owner.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [owner[i], owner[j]] = [owner[j] as number, owner[i] as number];
  }
  const out = new Array<number>(labels.length);
  order.forEach(([, row], k) => {
    out[row] = owner[Math.min(shards - 1, Math.floor((k * shards) / order.length))] as number;
  });
  return out;
}
