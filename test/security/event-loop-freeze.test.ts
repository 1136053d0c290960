// Issue 11, critical: one request froze the server. Base58 text was decoded before its length was
// checked, by a decoder whose cost grows with the square of the length: a 100 KB sign-in signature
// or a 100–400 KB base58 transaction held the event loop from 10 s to over 11 minutes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSigner } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlAt, startServeProcess, type ServeProcess } from './serve-process.js';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** Valid base58 text of `n` characters (the worst case for a decoder: every character counts). */
const base58Text = (n: number) => Array.from({ length: n }, (_, i) => BASE58[(i * 7 + 3) % 58]).join('');

/** Once the attack has reached the server, /health still answers within a second. */
async function stillResponsive(url: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
  expect(res.status).toBe(200);
}

let home: string;
let server: ServeProcess;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'lumora-freeze-'));
  server = await startServeProcess(home);
}, 60_000);

afterAll(async () => {
  await server?.kill9();
  rmSync(home, { recursive: true, force: true });
});

describe('one request freezes the server', () => {
  it('refuses a 100 KB sign-in signature at once, and keeps serving', async () => {
    const wallet = await generateKeyPairSigner();
    const { body } = await gqlAt(server.url, 'mutation($a: String!) { requestSignIn(address: $a) { message } }', { a: wallet.address });
    const message = body.data.requestSignIn.message as string;
    const attack = gqlAt(
      server.url,
      'mutation($a: String!, $m: String!, $s: String!) { signIn(address: $a, message: $m, signature: $s) { __typename } }',
      { a: wallet.address, m: message, s: base58Text(100_000) },
      undefined,
      2000,
    );
    await stillResponsive(server.url);
    const answer = await attack;
    expect(answer.body.errors?.[0]?.extensions?.code ?? answer.body.data?.signIn?.__typename).toMatch(/BAD_USER_INPUT|SignInFailedError/);
  });

  it('refuses 100 KB and 400 KB base58 transactions on /solana at once, and keeps serving', async () => {
    for (const method of ['sendTransaction', 'simulateTransaction']) {
      for (const size of [100_000, 400_000]) {
        const attack = fetch(`${server.url}/solana`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [base58Text(size), { encoding: 'base58' }] }),
          signal: AbortSignal.timeout(2000),
        });
        await stillResponsive(server.url);
        const res = await attack;
        expect([200, 413], `${method} ${size}`).toContain(res.status);
        if (res.status === 200) expect(((await res.json()) as { error?: { code: number } }).error?.code).toBe(-32602);
      }
    }
  });

  it('refuses an oversized base58 transaction that fits the body limit, naming the limit', async () => {
    const res = await fetch(`${server.url}/solana`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sendTransaction', params: [base58Text(40_000)] }),
      signal: AbortSignal.timeout(2000),
    });
    const body = (await res.json()) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(-32602);
    expect(body.error.message).toContain('too large');
    expect(body.error.message).toContain('1232');
  });

  it('bounds every string an anonymous client sends to GraphQL before a resolver reads it', async () => {
    const long = 'a'.repeat(200_000);
    for (const [query, variables] of [
      ['query($s: String) { datasets(search: $s) { totalCount } }', { s: long }],
      ['mutation($a: String!) { requestSignIn(address: $a) { message } }', { a: long }],
      ['query($id: ID!) { dataset(id: $id) { id } }', { id: long }],
      ['query($l: [String!]) { datasets(filter: { languages: $l }) { totalCount } }', { l: Array.from({ length: 5000 }, () => 'en') }],
      [`{ datasets(search: "${'a'.repeat(5000)}") { totalCount } }`, {}],
      [`query($s: String = "${'a'.repeat(5000)}") { datasets(search: $s) { totalCount } }`, {}],
      ['query($t: String!) { datasets(filter: { tags: ["x", $t] }) { totalCount } }', { t: long }],
    ] as const) {
      const { status, body } = await gqlAt(server.url, query, variables, undefined, 2000);
      expect(status, query).toBe(200);
      expect(body.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
      expect(body.errors[0].message, query).toMatch(/at most \d+ (characters|items) are allowed/);
    }
  });
});
