import { describe, expect, it } from 'vitest';
import { parseRange } from './file-response.js';
import { RateLimiter } from './rate-limit.js';
import { issueSessionToken, readSessionToken } from './sessions.js';
import { formatSignInMessage, parseSignInMessage } from './sign-in.js';
import { signLink, verifyLink } from './signed-links.js';

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 8);

describe('byte ranges (RFC 9110 §14.1.2)', () => {
  it.each([
    ['bytes=0-99', 1000, { start: 0, end: 99 }],
    ['bytes=900-', 1000, { start: 900, end: 999 }],
    ['bytes=-100', 1000, { start: 900, end: 999 }],
    ['bytes=990-2000', 1000, { start: 990, end: 999 }],
    ['bytes=-5000', 1000, { start: 0, end: 999 }],
    ['bytes=1000-', 1000, 'unsatisfiable'],
    ['bytes=50-10', 1000, 'unsatisfiable'],
    ['bytes=-0', 1000, 'unsatisfiable'],
    ['bytes=0-1,5-9', 1000, null],
    ['items=0-5', 1000, null],
    [undefined, 1000, null],
  ] as const)('%s of %i bytes → %j', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe('signed links', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const link = signLink(KEY, { path: '/download/demo@v1/data/part-00000.parquet', buyer: 'Buyer111', expiresAt: new Date(now.getTime() + 60_000) });
  const [path, query] = link.split('?') as [string, string];

  it('verifies the link it signed', () => {
    expect(verifyLink(KEY, path, new URLSearchParams(query), now)).toEqual({ ok: true, buyer: 'Buyer111' });
  });

  it('refuses another path, buyer, expiry or key', () => {
    const q = new URLSearchParams(query);
    expect(verifyLink(KEY, '/download/demo@v1/data/part-00001.parquet', q, now)).toMatchObject({ ok: false, status: 403 });
    expect(verifyLink(OTHER_KEY, path, q, now)).toMatchObject({ ok: false, status: 403 });
    for (const [k, v] of [
      ['buyer', 'Mallory'],
      ['expires', String(Number(q.get('expires')) + 3600)],
    ] as const) {
      const changed = new URLSearchParams(query);
      changed.set(k, v);
      expect(verifyLink(KEY, path, changed, now)).toMatchObject({ ok: false, status: 403, reason: 'the link signature does not match' });
    }
  });

  it('answers 410 Gone once the link expired', () => {
    expect(verifyLink(KEY, path, new URLSearchParams(query), new Date(now.getTime() + 61_000))).toMatchObject({ ok: false, status: 410 });
  });
});

describe('session tokens', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const token = issueSessionToken(KEY, { address: 'Wallet111', expiresAt: new Date(now.getTime() + 1000) });

  it('reads back the wallet until the token expires', () => {
    expect(readSessionToken(KEY, token, now)?.address).toBe('Wallet111');
    expect(readSessionToken(KEY, token, new Date(now.getTime() + 1000))).toBeNull();
  });

  it('refuses a token signed with another key or edited', () => {
    expect(readSessionToken(OTHER_KEY, token, now)).toBeNull();
    const [payload, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ a: 'Mallory', e: now.getTime() + 1e9 })).toString('base64url');
    expect(readSessionToken(KEY, `${forged}.${mac}`, now)).toBeNull();
    expect(readSessionToken(KEY, `${payload}.`, now)).toBeNull();
    expect(readSessionToken(KEY, 'garbage', now)).toBeNull();
  });
});

describe('sign-in messages', () => {
  const fields = {
    domain: 'lumora.example',
    address: '7cVfgArCheMR6Cs4t6vz5rfnqd56vZq4ndaBrY5xkxXy',
    statement: 'Sign in to the Lumora marketplace.',
    uri: 'https://lumora.example',
    version: '1',
    chainId: 'localnet',
    nonce: 'Abc123Def456Ghi7',
    issuedAt: '2026-11-25T12:00:00.000Z',
    expirationTime: '2026-11-25T12:10:00.000Z',
  };

  it('round-trips every field in the EIP-4361 layout wallets show', () => {
    const text = formatSignInMessage(fields);
    expect(text.split('\n').slice(0, 2)).toEqual(['lumora.example wants you to sign in with your Solana account:', fields.address]);
    expect(parseSignInMessage(text)).toEqual(fields);
  });

  it('rejects text that is not in the layout', () => {
    expect(parseSignInMessage('hello')).toBeNull();
    expect(parseSignInMessage(formatSignInMessage(fields).replace('Nonce: ', 'Nonce '))).toBeNull();
  });
});

describe('rate limits', () => {
  it('allows a burst, then refills at the per-minute rate', () => {
    let t = 0;
    const limiter = new RateLimiter(60, () => t);
    for (let i = 0; i < 15; i++) expect(limiter.take('ip')).toBe(0);
    expect(limiter.take('ip')).toBeGreaterThan(0);
    expect(limiter.take('other-ip')).toBe(0);
    t += 1000;
    expect(limiter.take('ip')).toBe(0);
    expect(limiter.take('ip')).toBeGreaterThan(0);
  });

  it('is off at 0 per minute', () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limiter.take('ip')).toBe(0);
  });
});
