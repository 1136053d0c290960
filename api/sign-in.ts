/**
 * @module Wallet sign-in in the Sign-In-With-Solana style (Phantom's SIWS, itself EIP-4361's
 * message format): the server issues a message with its domain, the address, a single-use nonce,
 * Issued At and Expiration Time; the wallet signs the exact text with ed25519; the server checks
 * every field, spends the nonce and returns a session token.
 */
import { randomBytes } from 'node:crypto';
import { getBase58Decoder, getPublicKeyFromAddress, isAddress, verifySignature, type Address } from '@solana/kit';
import { decodeBase58 } from '../chain/index.js';
import type { MarketStore } from '../catalog/index.js';
import { SignInFailedError } from './errors.js';
import { issueSessionToken } from './sessions.js';

/** The fields of a sign-in message. */
export interface SignInMessage {
  domain: string;
  address: string;
  statement: string;
  uri: string;
  version: string;
  chainId?: string;
  nonce: string;
  issuedAt: string;
  expirationTime: string;
}

const STATEMENT = 'Sign in to the Lumora marketplace.';
/** The messages this server issues run to about 450 characters; the GraphQL argument is bounded by the same figure. */
export const MAX_MESSAGE_CHARS = 2048;
const SIGNATURE_BYTES = 64;

/** The text a wallet shows and signs (EIP-4361 layout with "Solana account"). */
export function formatSignInMessage(m: SignInMessage): string {
  return [
    `${m.domain} wants you to sign in with your Solana account:`,
    m.address,
    '',
    m.statement,
    '',
    `URI: ${m.uri}`,
    `Version: ${m.version}`,
    ...(m.chainId ? [`Chain ID: ${m.chainId}`] : []),
    `Nonce: ${m.nonce}`,
    `Issued At: ${m.issuedAt}`,
    `Expiration Time: ${m.expirationTime}`,
  ].join('\n');
}

/** Reads a message back; null when it is not in the layout above. */
export function parseSignInMessage(text: string): SignInMessage | null {
  const lines = text.split('\n');
  const head = /^(\S+) wants you to sign in with your Solana account:$/.exec(lines[0] ?? '');
  if (!head || lines[2] !== '' || lines[4] !== '') return null;
  const fields = new Map<string, string>();
  for (const line of lines.slice(5)) {
    const m = /^([A-Za-z ]+): (.+)$/.exec(line);
    if (!m) return null;
    fields.set(m[1] as string, m[2] as string);
  }
  const need = (k: string) => fields.get(k);
  const [uri, version, nonce, issuedAt, expirationTime] = ['URI', 'Version', 'Nonce', 'Issued At', 'Expiration Time'].map(need);
  if (!uri || !version || !nonce || !issuedAt || !expirationTime) return null;
  return {
    domain: head[1] as string,
    address: lines[1] ?? '',
    statement: lines[3] ?? '',
    uri,
    version,
    chainId: fields.get('Chain ID'),
    nonce,
    issuedAt,
    expirationTime,
  };
}

export interface SignInOptions {
  store: MarketStore;
  sessionKey: Buffer;
  domain: string;
  uri: string;
  chainId?: string;
  signInTtlMs: number;
  signInSkewMs: number;
  sessionTtlMs: number;
  now: () => Date;
}

/** Issues sign-in messages and turns signed ones into session tokens. */
export class SignInService {
  constructor(private readonly opts: SignInOptions) {}

  async requestSignIn(address: string): Promise<{ message: string; nonce: string; expiresAt: Date }> {
    if (!isAddress(address)) throw new SignInFailedError(`address "${address.slice(0, 64)}" is not a base58 Solana address`, 'INVALID_ADDRESS');
    const now = this.opts.now();
    const expiresAt = new Date(now.getTime() + this.opts.signInTtlMs);
    // EIP-4361 asks for at least 8 alphanumeric characters; 16 random bytes in base58 give ~22.
    const nonce = getBase58Decoder().decode(randomBytes(16));
    const message = formatSignInMessage({
      domain: this.opts.domain,
      address,
      statement: STATEMENT,
      uri: this.opts.uri,
      version: '1',
      chainId: this.opts.chainId,
      nonce,
      issuedAt: now.toISOString(),
      expirationTime: expiresAt.toISOString(),
    });
    await this.opts.store.addNonce(nonce, address, now, expiresAt, message);
    return { message, nonce, expiresAt };
  }

  /**
   * Verifies a signed message; returns a session token or throws SignInFailedError with the reason.
   * The message must be the very text this server issued for its nonce, byte for byte: a wallet
   * shows the user what it signs, so a message whose URI, chain or statement was changed could
   * have shown them anything.
   */
  async signIn(address: string, message: string, signature: string): Promise<{ token: string; address: string; expiresAt: Date }> {
    if (!isAddress(address)) throw new SignInFailedError(`address "${address.slice(0, 64)}" is not a base58 Solana address`, 'INVALID_ADDRESS');
    if (message.length > MAX_MESSAGE_CHARS)
      throw new SignInFailedError(`the message is ${message.length} characters; a Lumora sign-in message is under ${MAX_MESSAGE_CHARS}`, 'MALFORMED_MESSAGE');
    const m = parseSignInMessage(message);
    if (!m) throw new SignInFailedError('the message is not a Lumora sign-in message (request one with requestSignIn)', 'MALFORMED_MESSAGE');
    if (m.domain !== this.opts.domain)
      throw new SignInFailedError(`the message is for domain ${m.domain.slice(0, 100)}, not ${this.opts.domain}`, 'WRONG_DOMAIN');
    if (m.address !== address) throw new SignInFailedError(`the message names address ${m.address.slice(0, 64)}, not ${address}`, 'WRONG_ADDRESS');
    const issued = await this.opts.store.getNonce(m.nonce);
    if (!issued || issued.address !== address) throw new SignInFailedError('the nonce was not issued by this server for this address', 'UNKNOWN_NONCE');
    if (issued.message !== message) {
      const original = issued.message === null ? null : parseSignInMessage(issued.message);
      const changed = original ? changedFields(original, m) : [];
      throw new SignInFailedError(
        `the message differs from the one this server issued with nonce ${m.nonce}${changed.length > 0 ? ` (${changed.join(', ')})` : ''}; sign the exact text from requestSignIn`,
        'MESSAGE_ALTERED',
      );
    }
    const now = this.opts.now();
    const issuedAt = Date.parse(m.issuedAt);
    const expiresAt = Date.parse(m.expirationTime);
    if (Number.isNaN(issuedAt) || Number.isNaN(expiresAt))
      throw new SignInFailedError('Issued At or Expiration Time is not an ISO 8601 time', 'MALFORMED_MESSAGE');
    if (expiresAt <= now.getTime()) throw new SignInFailedError(`the sign-in message expired at ${m.expirationTime}; request a new one`, 'EXPIRED');
    if (Math.abs(now.getTime() - issuedAt) > this.opts.signInSkewMs) {
      throw new SignInFailedError(
        `Issued At ${m.issuedAt} is more than ${this.opts.signInSkewMs / 60_000} minutes from the server's time`,
        'ISSUED_AT_OUT_OF_RANGE',
      );
    }
    // The signature is checked before the nonce is spent, so a forged attempt cannot burn a real user's nonce.
    if (!(await signatureValid(address, message, signature))) {
      throw new SignInFailedError(`the signature does not verify for address ${address} over this message`, 'BAD_SIGNATURE');
    }
    const use = await this.opts.store.useNonce(m.nonce, address, now);
    if (use === 'used') throw new SignInFailedError('this sign-in message was already used; request a new one', 'NONCE_ALREADY_USED');
    if (use === 'expired') throw new SignInFailedError('the nonce expired; request a new sign-in message', 'EXPIRED');
    if (use !== 'ok') throw new SignInFailedError('the nonce was not issued by this server for this address', 'UNKNOWN_NONCE');
    const sessionExpiresAt = new Date(now.getTime() + this.opts.sessionTtlMs);
    return { token: issueSessionToken(this.opts.sessionKey, { address, expiresAt: sessionExpiresAt }), address, expiresAt: sessionExpiresAt };
  }
}

/** The names of the fields in which `given` differs from the message as issued. */
function changedFields(issued: SignInMessage, given: SignInMessage): string[] {
  const names: Record<keyof SignInMessage, string> = {
    domain: 'domain',
    address: 'address',
    statement: 'statement',
    uri: 'URI',
    version: 'Version',
    chainId: 'Chain ID',
    nonce: 'Nonce',
    issuedAt: 'Issued At',
    expirationTime: 'Expiration Time',
  };
  const changed = (Object.keys(names) as Array<keyof SignInMessage>).filter((k) => issued[k] !== given[k]).map((k) => `${names[k]} changed`);
  return changed.length > 0 ? changed : ['its layout changed'];
}

async function signatureValid(address: string, message: string, signature: string): Promise<boolean> {
  // Length-checked before any arithmetic: a signature is 64 bytes, at most 88 base58 characters.
  const bytes = decodeBase58(signature, SIGNATURE_BYTES);
  if (bytes === null || bytes.length !== SIGNATURE_BYTES) return false;
  const key = await getPublicKeyFromAddress(address as Address);
  return verifySignature(key, bytes as Parameters<typeof verifySignature>[1], new TextEncoder().encode(message));
}
