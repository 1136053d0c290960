/**
 * @module Fisher–Yates shuffling from a seeded generator: epochs, client sampling and shard
 * dealing all draw from the simulation's one `rng`, so a seed reproduces a whole run.
 */

/** Shuffles `items` in place, uniformly, drawing one number from `rng` per position. */
export function shuffleInPlace<T>(items: T[], rng: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
