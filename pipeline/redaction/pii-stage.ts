/**
 * @module The PII stage: finds personal data in each doc's text, title and URL query with `pii/`
 * and applies the configured operators (typed placeholders such as `<EMAIL_ADDRESS>` by
 * default); the doc keeps only counts by type, never the values.
 */
import { createEngine, ENTITY_TYPES, operatorKey, piiConfigSchema, PiiError, type PiiConfig } from '../../pii/index.js';
import { mapStage, type Stage } from '../stage.js';

/**
 * Types redacted from web pages by default: everything that points at a person. URL, LOCATION and
 * ORGANIZATION are left in: a city or a company in a news article is not personal data, and
 * removing every link and place would gut the text (add them to `entities` to redact them too).
 */
const KEPT_IN_WEB_TEXT: readonly string[] = ['URL', 'LOCATION', 'ORGANIZATION'];
export const PIPELINE_ENTITIES: string[] = ENTITY_TYPES.filter((t) => !KEPT_IN_WEB_TEXT.includes(t));

export const piiOptionsSchema = piiConfigSchema
  .extend({ entities: piiConfigSchema.shape.entities.removeDefault().default(PIPELINE_ENTITIES) })
  .refine((c) => c.pseudonymScope === 'document', {
    path: ['pseudonymScope'],
    message:
      '"dataset" numbers pseudonyms in one sequence, which parallel workers and resumed runs cannot share; ' +
      'use the hash operator for pseudonyms that agree across a dataset, or `lumora pii redact` for a single pass',
  });

export type PiiOptions = PiiConfig;

/** Fails early, on the main thread, when an operator needs a key the environment does not hold. */
export function checkPiiKey(opts: PiiOptions, env: Readonly<Record<string, string | undefined>> = process.env): void {
  try {
    operatorKey(opts, env);
  } catch (err) {
    throw new PiiError(`pii.operators: ${(err as Error).message}`, { code: 'PII_KEY_MISSING', cause: err });
  }
}

/** The stage: transforms `text`, `title` and URL queries, sets `piiCounts`, counts `found_<TYPE>`. */
export function createPiiStage(opts: PiiOptions): Stage {
  const { analyzer, anonymizer } = createEngine(opts);
  return mapStage('pii', (doc, ctx) => {
    const counts: Record<string, number> = {};
    // Pseudonyms are numbered per doc: the same person is <PERSON_1> in its title and text.
    const scope = anonymizer.scope();
    const language = doc.lang && /^[a-z]{2,3}$/.test(doc.lang) ? doc.lang : opts.language;
    const redact = (s: string) => {
      const findings = analyzer.analyze(s, { language });
      if (findings.length === 0) return s;
      for (const f of findings) {
        counts[f.type] = (counts[f.type] ?? 0) + 1;
        ctx.stats.count(`found_${f.type}`);
      }
      return scope.anonymize(s, findings).text;
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
    let fragment = parsed.hash.slice(1);
    try {
      fragment = decodeURIComponent(fragment);
    } catch {
      // A malformed escape: read the fragment as written.
    }
    const clean = redact(fragment);
    if (clean !== fragment) {
      parsed.hash = clean;
      changed = true;
    }
  }
  return changed ? parsed.href : url;
}
