/**
 * @module The extraction benchmark's score (Scrapinghub article-extraction-benchmark): precision,
 * recall and F1 over the multiset of 4-token shingles of the extracted text against the
 * human-written text, tokens being lowercased runs of letters, digits and underscores.
 */

const SHINGLE = 4;

function shingleCounts(text: string): Map<string, number> {
  const tokens = text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  const counts = new Map<string, number>();
  for (let i = 0; i + SHINGLE <= tokens.length; i++) {
    const key = tokens.slice(i, i + SHINGLE).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

/** Scores one extraction; an empty prediction scores 0 unless the expected text is empty too. */
export function shingleF1(predicted: string, expected: string): Prf {
  const p = shingleCounts(predicted);
  const g = shingleCounts(expected);
  let np = 0;
  let ng = 0;
  let tp = 0;
  for (const v of p.values()) np += v;
  for (const v of g.values()) ng += v;
  if (np === 0 && ng === 0) return { precision: 1, recall: 1, f1: 1 };
  for (const [k, v] of p) tp += Math.min(v, g.get(k) ?? 0);
  const precision = np ? tp / np : 0;
  const recall = ng ? tp / ng : 0;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}
