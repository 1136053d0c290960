/**
 * @module The secret behind the `hash` and `encrypt` operators. One secret (from config or the
 * environment) is stretched by HKDF-SHA256 into two independent keys, so a hash never reveals
 * anything about the encryption key and the other way round.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { PiiError } from './errors.js';

export interface PiiKeys {
  readonly hmac: Buffer;
  readonly aes: Buffer;
}

/** At least 128 bits: a shorter secret would let anyone with the output guess it. */
export const MIN_SECRET_BYTES = 16;

export function deriveKeys(secret: string | Uint8Array): PiiKeys {
  const master = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (master.length < MIN_SECRET_BYTES) {
    throw new PiiError(`the PII key is too short: it needs at least ${MIN_SECRET_BYTES} bytes (got ${master.length})`, { code: 'PII_KEY_TOO_SHORT' });
  }
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', master, 'lumora-pii-v1', info, 32));
  return { hmac: derive('hash'), aes: derive('encrypt') };
}

/** HMAC-SHA256 of the value under the entity type, as hex. */
export function keyedHash(keys: PiiKeys, type: string, value: string): string {
  return createHmac('sha256', keys.hmac).update(type).update('\0').update(value).digest('hex');
}

/** AES-256-GCM with a random 96-bit nonce, the type as associated data; base64url of nonce ‖ ciphertext ‖ tag. */
export function encryptValue(keys: PiiKeys, type: string, value: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.aes, iv);
  cipher.setAAD(Buffer.from(type));
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The inverse of `encryptValue`; fails when the key, the type or the token is wrong. */
export function decryptValue(keys: PiiKeys, type: string, token: string): string {
  const raw = Buffer.from(token, 'base64url');
  if (raw.length < 28) throw new PiiError('an encrypted value is too short to be one of ours', { code: 'PII_DECRYPT_FAILED' });
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.aes, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(type));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new PiiError(`an encrypted ${type} value did not decrypt: wrong key, or the text was altered`, { code: 'PII_DECRYPT_FAILED', cause });
  }
}
