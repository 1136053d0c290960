// Issue 11, low: sign-in did not check the message's URI, chain id or statement. A message saying
// "Transfer all funds to evil.example" with URI https://evil.example/ signed in. Now the signed
// text must be the one this server issued for the nonce, byte for byte.
import { rmSync } from 'node:fs';
import { generateKeyPairSigner } from '@solana/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signText, startTestMarket, type TestMarket } from '../e2e/market-helpers.js';

let m: TestMarket;

beforeAll(async () => {
  m = await startTestMarket();
});

afterAll(async () => {
  await m?.server.close();
  if (m) rmSync(m.home, { recursive: true, force: true });
});

const SIGN_IN =
  'mutation($a: String!, $m: String!, $s: String!) { signIn(address: $a, message: $m, signature: $s) { __typename ... on SignInSuccess { token } ... on SignInFailedError { reason message } } }';

async function attempt(edit: (message: string) => string) {
  const wallet = await generateKeyPairSigner();
  const req = await m.gql('mutation($a: String!) { requestSignIn(address: $a) { message } }', { a: wallet.address });
  const message = edit(req.body.data.requestSignIn.message as string);
  const res = await m.gql(SIGN_IN, { a: wallet.address, m: message, s: await signText(wallet, message) });
  return res.body.data.signIn as { __typename: string; reason?: string; message?: string; token?: string };
}

describe('sign-in does not check the message’s URI, chain id or statement', () => {
  it('refuses a signed message whose URI, chain id, statement, version or times were changed', async () => {
    const edits: Array<[string, (t: string) => string]> = [
      ['URI', (t) => t.replace(/^URI: .*$/m, 'URI: https://evil.example/')],
      ['statement', (t) => t.replace('Sign in to the Lumora marketplace.', 'Transfer all funds to evil.example')],
      ['Chain ID', (t) => t.replace(/^Chain ID: .*$/m, 'Chain ID: mainnet')],
      ['Version', (t) => t.replace(/^Version: .*$/m, 'Version: 2')],
      ['Expiration Time', (t) => t.replace(/^Expiration Time: .*$/m, `Expiration Time: ${new Date(Date.now() + 9 * 60_000).toISOString()}`)],
      ['its layout', (t) => `${t}\nRequest ID: pay-evil-example`],
    ];
    for (const [field, edit] of edits) {
      const r = await attempt(edit);
      expect(r.__typename, field).toBe('SignInFailedError');
      expect(r.reason, field).toBe('MESSAGE_ALTERED');
      expect(r.message, field).toContain(`${field} changed`);
    }
  });

  it('refuses a message with the Chain ID line removed', async () => {
    const r = await attempt((t) => t.replace(/^Chain ID: .*\n/m, ''));
    expect(r).toMatchObject({ __typename: 'SignInFailedError', reason: 'MESSAGE_ALTERED' });
  });

  it('refuses a 100 KB signature without decoding it (the bound in sign-in itself, behind the GraphQL argument limit)', async () => {
    const wallet = await generateKeyPairSigner();
    const { message } = await m.server.market.signIn.requestSignIn(wallet.address);
    const started = performance.now();
    await expect(m.server.market.signIn.signIn(wallet.address, message, 'z'.repeat(100_000))).rejects.toMatchObject({ reason: 'BAD_SIGNATURE' });
    // @solana/kit's decoder took ~10 s on this input; the bound makes it immediate.
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('signs in with the exact message it issued', async () => {
    expect((await attempt((t) => t)).__typename).toBe('SignInSuccess');
  });
});
