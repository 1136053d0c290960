/**
 * @module Short-lived signed links for downloads: the path, the buyer and the expiry are covered
 * by an HMAC-SHA256 under the server's download key, so a link works for anyone holding it until
 * it expires (a buyer can hand it to `curl` or DuckDB), and changing any part of it breaks it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface LinkClaims {
  /** The URL path the link opens, e.g. `/download/demo@v1/data/part-00000.parquet`. */
  path: string;
  buyer: string;
  expiresAt: Date;
}

/** `path?buyer=…&expires=…&sig=…`, relative to the server's public URL. */
export function signLink(key: Buffer, claims: LinkClaims): string {
  const expires = Math.floor(claims.expiresAt.getTime() / 1000);
  const sig = mac(key, claims.path, claims.buyer, expires);
  return `${claims.path}?buyer=${encodeURIComponent(claims.buyer)}&expires=${expires}&sig=${sig}`;
}

export type LinkCheck = { ok: true; buyer: string } | { ok: false; status: 403 | 410; reason: string };

/** Checks a request's path and query against its signature; only `buyer`, `expires` and `sig` are signed parameters. */
export function verifyLink(key: Buffer, path: string, query: URLSearchParams, now: Date): LinkCheck {
  const buyer = query.get('buyer');
  const expiresText = query.get('expires');
  const sig = query.get('sig');
  if (!buyer || !expiresText || !sig) return { ok: false, status: 403, reason: 'the link is not signed (buyer, expires and sig are required)' };
  const expires = Number(expiresText);
  if (!Number.isSafeInteger(expires)) return { ok: false, status: 403, reason: 'the link signature does not match' };
  const expected = Buffer.from(mac(key, path, buyer, expires), 'base64url');
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, status: 403, reason: 'the link signature does not match' };
  if (expires * 1000 <= now.getTime())
    return { ok: false, status: 410, reason: `the link expired at ${new Date(expires * 1000).toISOString()}; ask for dataset.download again` };
  return { ok: true, buyer };
}

function mac(key: Buffer, path: string, buyer: string, expires: number): string {
  return createHmac('sha256', key).update(`${path}\n${buyer}\n${expires}`).digest('base64url');
}
