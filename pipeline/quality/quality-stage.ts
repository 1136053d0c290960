/**
 * @module The quality stage: scores each doc with the published heuristic filters (Gopher quality
 * and repetition, C4, FineWeb) and drops or tags it.
 *
 * Score: 1 for a doc that fails nothing, multiplied by 0.5 for each failed hard rule and 0.85 for
 * each failed soft rule. Hard rules are those FineWeb applied as filters without exception: all
 * Gopher rules and C4's lorem ipsum. The other C4 and FineWeb rules are soft: they mark pages that
 * are often, not always, poor (a page with one curly bracket, a list-heavy how-to).
 */
import { z } from 'zod';
import { c4Quality } from './c4-quality.js';
import { finewebQuality } from './fineweb-quality.js';
import { gopherQuality } from './gopher-quality.js';
import { gopherRepetition } from './gopher-repetition.js';
import { viewText } from './text-view.js';
import type { DocQuality } from '../doc.js';
import { mapStage, type Stage } from '../stage.js';

export const qualityOptionsSchema = z
  .object({
    /**
     * `drop-hard`: drop docs failing a hard rule, tag the rest; `threshold`: drop docs scoring
     * below `minScore`; `tag`: drop nothing.
     */
    mode: z.enum(['drop-hard', 'threshold', 'tag']).default('drop-hard'),
    minScore: z.number().min(0).max(1).default(0.5),
    /** Replace the text with the lines C4 keeps (as datatrove's C4 filter does); off by default, since extraction already strips boilerplate. */
    c4RemoveLines: z.boolean().default(false),
  })
  .strict();

export type QualityOptions = z.infer<typeof qualityOptionsSchema>;

const HARD_PENALTY = 0.5;
const SOFT_PENALTY = 0.85;

/** True for rules whose failure drops a doc in `drop-hard` mode. */
export function isHardRule(flag: string): boolean {
  return flag.startsWith('gopher_') || flag === 'c4_lorem_ipsum';
}

/** Scores a text; `lang` switches off rules that assume English or spaces between words. */
export function scoreQuality(text: string, lang = 'und'): DocQuality & { c4Text: string } {
  const view = viewText(text, lang);
  const c4 = c4Quality(view);
  const flags = [...gopherQuality(view), ...gopherRepetition(view), ...c4.failed, ...finewebQuality(view)];
  let score = 1;
  for (const f of flags) score *= isHardRule(f) ? HARD_PENALTY : SOFT_PENALTY;
  return { score: Math.round(score * 1000) / 1000, flags, c4Text: c4.keptText };
}

/** The stage: sets `doc.quality`, counts `flag_<rule>`, drops by mode. */
export function createQualityStage(opts: QualityOptions): Stage {
  return mapStage('quality', (doc, ctx) => {
    const { score, flags, c4Text } = scoreQuality(doc.text, doc.lang);
    for (const f of flags) ctx.stats.count(`flag_${f}`);
    if (opts.mode === 'drop-hard') {
      const hard = flags.find(isHardRule);
      if (hard) return { drop: hard };
    } else if (opts.mode === 'threshold' && score < opts.minScore) {
      return { drop: 'below_threshold' };
    }
    return { ...doc, ...(opts.c4RemoveLines ? { text: c4Text } : {}), quality: { score, flags } };
  });
}
