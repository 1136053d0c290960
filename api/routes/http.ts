/**
 * @module Small HTTP helpers for the non-GraphQL routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Market } from '../market.js';
import { readSessionToken } from '../sessions.js';

/**
 * Sends a JSON answer. A 413 also closes the connection: the rest of the refused body is never
 * read, and Node would otherwise read and discard all of it to keep the connection alive.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (status === 413) res.shouldKeepAlive = false;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** The request body as text, or null when it exceeds `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  const bytes = await readBytes(req, maxBytes);
  return bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** A percent-encoded path segment, or null when it is not valid percent-encoding. */
export function decodePath(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The request body as bytes, or null when it exceeds `maxBytes`. */
export async function readBytes(req: IncomingMessage, maxBytes: number): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The wallet of the request's `Authorization: Bearer` session token, or null. */
export function bearerWallet(market: Market, req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
  return token ? (readSessionToken(market.keys.sessionKey, token, market.now())?.address ?? null) : null;
}
