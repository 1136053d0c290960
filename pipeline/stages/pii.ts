/**
 * @module The PII stage: finds personal data in each doc's text and title with `pii/` and replaces
 * it with typed placeholders (`<EMAIL_ADDRESS>`); the doc keeps only counts by type.
 */
import { z } from 'zod';
import { anonymize, createAnalyzer, defaultRecognizers, ENTITY_TYPES, type EntityType } from '../../pii/index.js';
import { mapStage, type Stage } from '../stage.js';

export const piiOptionsSchema = z
  .object({
    /** Entity types to redact (Presidio names). */
    entities: z.array(z.enum(ENTITY_TYPES as [EntityType, ...EntityType[]])).default([...ENTITY_TYPES]),
    /** Findings scoring below this are left alone. */
    scoreThreshold: z.number().min(0).max(1).default(0.5),
    /** Person names: the costliest recognizer; off trades recall for speed. */
    namesEnabled: z.boolean().default(true),
    /** Region for phone numbers written without a country code (ISO 3166-1 alpha-2). */
    defaultRegion: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code such as "US"').default('US'),
  })
  .strict();

export type PiiOptions = z.infer<typeof piiOptionsSchema>;

/** The stage: redacts `text` and `title`, sets `piiCounts`, counts `found_<TYPE>` per type. */
export function createPiiStage(opts: PiiOptions): Stage {
  const analyzer = createAnalyzer({
    recognizers: defaultRecognizers({ defaultRegion: opts.defaultRegion, names: opts.namesEnabled }),
    entities: opts.entities,
    scoreThreshold: opts.scoreThreshold,
  });
  return mapStage('pii', (doc, ctx) => {
    const counts: Record<string, number> = {};
    const redact = (s: string) => {
      const findings = analyzer.analyze(s);
      if (findings.length === 0) return s;
      for (const f of findings) {
        counts[f.type] = (counts[f.type] ?? 0) + 1;
        ctx.stats.count(`found_${f.type}`);
      }
      return anonymize(s, findings).text;
    };
    const text = redact(doc.text);
    const title = redact(doc.title);
    const url = redactUrlQuery(doc.url, redact);
    const canonicalUrl = doc.canonicalUrl === undefined ? undefined : redactUrlQuery(doc.canonicalUrl, redact);
    if (Object.keys(counts).length > 0) ctx.stats.count('docs_with_pii');
    return { ...doc, text, title, url, ...(canonicalUrl !== undefined ? { canonicalUrl } : {}), piiCounts: counts };
  });
}

/**
 * Redacts personal data in a URL's query values and fragment (`?email=jane@example.com`), which
 * datasets and previews would otherwise show; scheme, host and path stay as they are, so the URL
 * still says where the page came from.
 */
export function redactUrlQuery(url: string, redact: (s: string) => string): string {
  const q = url.search(/[?#]/);
  if (q === -1) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  let changed = false;
  for (const [key, value] of [...parsed.searchParams]) {
    const clean = redact(value);
    if (clean !== value) {
      parsed.searchParams.set(key, clean);
      changed = true;
    }
  }
  if (parsed.hash.length > 1) {
    const fragment = decodeURIComponent(parsed.hash.slice(1));
    const clean = redact(fragment);
    if (clean !== fragment) {
      parsed.hash = clean;
      changed = true;
    }
  }
  return changed ? parsed.href : url;
}
