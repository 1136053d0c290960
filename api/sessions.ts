/**
 * @module Session tokens: `<payload>.<mac>` in base64url, the payload naming the wallet and the
 * expiry, the MAC an HMAC-SHA256 under the server's session key. Stateless, so checking one costs
 * a hash and no database read on every request.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Session {
  address: string;
  expiresAt: Date;
}

export function issueSessionToken(key: Buffer, session: Session): string {
  const payload = Buffer.from(JSON.stringify({ a: session.address, e: session.expiresAt.getTime() })).toString('base64url');
  return `${payload}.${mac(key, payload)}`;
}

/** The session a token carries, or null when it is malformed, forged or expired. */
export function readSessionToken(key: Buffer, token: string, now: Date): Session | null {
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(mac(key, payload), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let body: { a?: unknown; e?: unknown };
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof body;
  } catch {
    return null;
  }
  if (typeof body.a !== 'string' || typeof body.e !== 'number' || body.e <= now.getTime()) return null;
  return { address: body.a, expiresAt: new Date(body.e) };
}

function mac(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(`session\n${payload}`).digest('base64url');
}
