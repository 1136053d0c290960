/**
 * @module Counters as the commands print them: `reason n, reason n`, largest first.
 */

/** `"a 3, b 1"`, largest count first; empty string when there is nothing. */
export function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

/** `"  (dropped: a 3, b 1)"` after a stage's line, or nothing when it dropped nothing. */
export function dropSummary(dropped: Record<string, number>): string {
  const s = formatCounts(dropped);
  return s ? `  (dropped: ${s})` : '';
}
