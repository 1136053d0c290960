/**
 * @module What a page says about itself: title, canonical URL and language hints, read from the
 * parsed document before Readability rewrites it.
 */

/** The subset of the DOM API we read (linkedom's Document provides it). */
interface QueryableDocument {
  querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null;
  documentElement: { getAttribute(name: string): string | null } | null;
  title?: string;
}

export interface PageMetadata {
  title: string;
  canonicalUrl?: string;
  langHints: string[];
}

/** Title (og:title, then <title>, then the first h1), canonical link and language hints. */
export function readPageMetadata(doc: QueryableDocument, baseUrl?: string): PageMetadata {
  const attr = (sel: string, name: string) => doc.querySelector(sel)?.getAttribute(name)?.trim() || undefined;
  const title = attr('meta[property="og:title"]', 'content') ?? (doc.querySelector('title')?.textContent ?? '').trim() ?? '';
  const h1 = title ? '' : (doc.querySelector('h1')?.textContent ?? '').trim();
  const canonicalRaw = attr('link[rel="canonical"]', 'href');
  let canonicalUrl: string | undefined;
  if (canonicalRaw) {
    try {
      canonicalUrl = new URL(canonicalRaw, baseUrl).href;
    } catch {
      // A relative canonical without a base URL, or garbage: leave it out rather than guess.
      canonicalUrl = /^https?:\/\//i.test(canonicalRaw) ? canonicalRaw : undefined;
    }
  }
  const hints = new Set<string>();
  for (const raw of [
    doc.documentElement?.getAttribute('lang'),
    attr('meta[http-equiv="content-language" i]', 'content'),
    attr('meta[property="og:locale"]', 'content'),
  ]) {
    const primary = raw?.split(/[-_,;\s]/)[0]?.toLowerCase();
    if (primary && /^[a-z]{2,3}$/.test(primary)) hints.add(primary);
  }
  return { title: (title || h1).replace(/\s+/g, ' ').slice(0, 1000), ...(canonicalUrl ? { canonicalUrl } : {}), langHints: [...hints] };
}
