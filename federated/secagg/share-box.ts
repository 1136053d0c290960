/**
 * @module Authenticated encryption of the Shamir shares one client sends another through the server
 * (Bonawitz et al. 2017, Fig. 4, round 1 "ShareKeys": e_{u,v} = AE.enc(KA.agree(c_u^SK, c_v^PK),
 * u‖v‖s_{u,v}^SK‖b_{u,v})). The server routes the ciphertexts but cannot read them, so it never holds
 * both shares of a client. Key: HKDF-SHA256 of the X25519 agreement of the two clients' encryption
 * keys (separate from their mask keys); cipher: ChaCha20-Poly1305 (RFC 8439) with the sender and
 * receiver bound in both the nonce and the associated data.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { FederatedError } from '../errors.js';
import { agreeKey, maskNonce } from './masks.js';
import { bigintToBytes, bytesToBigint, SHARE_Y_BYTES } from './shamir.js';

/** The two shares client `from` gives client `to`: of its mask key s_u and of its self-mask seed b_u. */
export interface SharePair {
  maskKeyShare: bigint;
  seedShare: bigint;
}

/** Who sends shares to whom in which round; bound into the nonce and the associated data. */
export interface SealContext {
  round: number;
  fromId: string;
  toId: string;
  /** Roster indices, bound into the nonce (< 2^16). */
  fromIndex: number;
  toIndex: number;
}

function aad(ctx: SealContext): Uint8Array {
  return utf8ToBytes(`lumora/secagg/v1 round=${ctx.round} from=${JSON.stringify(ctx.fromId)} to=${JSON.stringify(ctx.toId)}`);
}

function nonce(ctx: SealContext): Uint8Array {
  if (!(ctx.fromIndex >= 0 && ctx.fromIndex < 2 ** 16 && ctx.toIndex >= 0 && ctx.toIndex < 2 ** 16))
    throw new FederatedError(`secagg: round ${ctx.round}: rosters are limited to 65536 clients`, { code: 'INVALID_ARGUMENT' });
  return maskNonce(ctx.round, 'share-encryption', ctx.fromIndex, ctx.toIndex);
}

/** The pair's share-encryption key, HKDF(X25519(c_u^SK, c_v^PK)); the same from both sides, so compute it once per peer. */
export function shareBoxKey(secretKey: Uint8Array, peerPublicKey: Uint8Array, round: number): Uint8Array {
  return agreeKey(secretKey, peerPublicKey, round, 'share-encryption');
}

/** Encrypts `pair` under the pair's {@link shareBoxKey}. */
export function sealShares(pair: SharePair, key: Uint8Array, ctx: SealContext): Uint8Array {
  const plain = new Uint8Array(2 * SHARE_Y_BYTES);
  plain.set(bigintToBytes(pair.maskKeyShare, SHARE_Y_BYTES), 0);
  plain.set(bigintToBytes(pair.seedShare, SHARE_Y_BYTES), SHARE_Y_BYTES);
  return chacha20poly1305(key, nonce(ctx), aad(ctx)).encrypt(plain);
}

/** Decrypts shares sealed for us; throws SECAGG_BAD_CIPHERTEXT if they were altered or misrouted. */
export function openShares(ciphertext: Uint8Array, key: Uint8Array, ctx: SealContext): SharePair {
  let plain: Uint8Array;
  try {
    plain = chacha20poly1305(key, nonce(ctx), aad(ctx)).decrypt(ciphertext);
  } catch (cause) {
    throw new FederatedError(`secagg: round ${ctx.round}: shares from ${ctx.fromId} to ${ctx.toId} failed authentication`, {
      code: 'SECAGG_BAD_CIPHERTEXT',
      cause,
    });
  }
  if (plain.length !== 2 * SHARE_Y_BYTES)
    throw new FederatedError(`secagg: round ${ctx.round}: shares from ${ctx.fromId} have the wrong length`, { code: 'SECAGG_BAD_CIPHERTEXT' });
  return { maskKeyShare: bytesToBigint(plain.subarray(0, SHARE_Y_BYTES)), seedShare: bytesToBigint(plain.subarray(SHARE_Y_BYTES)) };
}
