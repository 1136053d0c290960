/**
 * @module URLs as they may appear in logs: scheme, host and path only. Query strings and fragments
 * often carry personal data (`?email=…`, session tokens), and logs must never hold it.
 */

/** `https://host/path` of a URL, without query or fragment; `(unparseable URL)` when it does not parse. */
export function logSafeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
