/**
 * @module Key agreement and mask expansion for secure aggregation (Bonawitz et al. 2017, "Practical
 * Secure Aggregation for Privacy-Preserving Machine Learning", CCS, Sec. 3 and Fig. 4): a pair of
 * clients agrees a key by X25519 (RFC 7748) and HKDF-SHA256 (RFC 5869) with a label naming the
 * round and purpose, and a key or seed is expanded by ChaCha20 (RFC 8439) into a Uint32 mask the
 * length of the model. Pairwise masks enter with opposite signs for the two clients of a pair, so
 * they cancel in the sum mod 2^32; the self mask PRG(b_u) is removed by the server.
 *
 * No seeded general-purpose PRNG is involved: every mask is a ChaCha20 keystream under a 256-bit
 * key that is either an X25519 agreement or fresh random bytes.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { chacha20 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { FederatedError } from '../errors.js';

/** What a derived key or keystream is for; the label keeps keys of different uses independent. */
export type MaskPurpose = 'pairwise-mask' | 'self-mask' | 'share-encryption';

const NONCE_TAG: Record<MaskPurpose, number> = { 'pairwise-mask': 1, 'self-mask': 2, 'share-encryption': 3 };

// Masks are read as little-endian Uint32 words from the keystream; a future network protocol must
// agree on that, so refuse to run where a Uint32Array view would be big-endian.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function assertRound(round: number): void {
  if (!(Number.isSafeInteger(round) && round >= 0))
    throw new FederatedError(`secagg: round must be a non-negative safe integer, got ${round}`, { code: 'INVALID_ARGUMENT' });
}

/** The HKDF info string: protocol version, round and purpose. */
export function keyLabel(round: number, purpose: MaskPurpose): Uint8Array {
  assertRound(round);
  return utf8ToBytes(`lumora/secagg/v1 round=${round} purpose=${purpose}`);
}

/**
 * A 32-byte key shared by the two holders of (secretKey, peerPublicKey): HKDF-SHA256 of the raw
 * X25519 point. Symmetric: agreeKey(s_u, p_v) equals agreeKey(s_v, p_u). Throws on a low-order
 * peer key (noble rejects an all-zero shared point).
 */
export function agreeKey(secretKey: Uint8Array, peerPublicKey: Uint8Array, round: number, purpose: MaskPurpose): Uint8Array {
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(secretKey, peerPublicKey);
  } catch (cause) {
    throw new FederatedError(`secagg: round ${round}: X25519 agreement failed for ${purpose}`, { code: 'SECAGG_BAD_KEY', cause });
  }
  return hkdf(sha256, shared, undefined, keyLabel(round, purpose), 32);
}

/**
 * The 12-byte ChaCha20 nonce: a purpose tag, the round, and for share encryption the sender and
 * receiver indices (the pair's key is used in both directions, so the nonce must tell them apart).
 * Pairwise and self-mask keys are fresh per round, so their nonce is fixed per (round, purpose).
 */
export function maskNonce(round: number, purpose: MaskPurpose, from = 0, to = 0): Uint8Array {
  assertRound(round);
  const nonce = new Uint8Array(12);
  const view = new DataView(nonce.buffer);
  view.setUint8(0, NONCE_TAG[purpose]);
  view.setUint8(1, Math.floor(round / 2 ** 32) & 0xff);
  view.setUint32(2, round >>> 0, true);
  view.setUint16(6, from, true);
  view.setUint16(8, to, true);
  return nonce;
}

/**
 * Expands 32-byte keys into Uint32 masks of one length, reusing its buffers: the returned array is
 * overwritten by the next `expand`, so add it into the target before expanding again.
 */
export class MaskExpander {
  readonly length: number;
  private readonly zeros: Uint8Array;
  private readonly bytes: Uint8Array;
  private readonly words: Uint32Array;

  constructor(length: number) {
    if (!LITTLE_ENDIAN) throw new FederatedError('secagg: masks need a little-endian platform', { code: 'SECAGG_UNSUPPORTED' });
    if (!(Number.isInteger(length) && length >= 0 && length * 4 < 2 ** 32 * 64))
      throw new FederatedError(`secagg: mask length ${length} is out of range`, { code: 'INVALID_ARGUMENT' });
    this.length = length;
    this.zeros = new Uint8Array(length * 4);
    this.bytes = new Uint8Array(length * 4);
    this.words = new Uint32Array(this.bytes.buffer);
  }

  /** PRG(key): the ChaCha20 keystream under `key` and the (round, purpose) nonce, as Uint32 words. */
  expand(key: Uint8Array, round: number, purpose: 'pairwise-mask' | 'self-mask'): Uint32Array {
    if (key.length !== 32) throw new FederatedError(`secagg: mask keys are 32 bytes, got ${key.length}`, { code: 'INVALID_ARGUMENT' });
    chacha20(key, maskNonce(round, purpose), this.zeros, this.bytes);
    return this.words;
  }
}

/** target += mask (sign 1) or target −= mask (sign −1), mod 2^32, in place. */
export function applyMask(target: Uint32Array, mask: Uint32Array, sign: 1 | -1): void {
  const n = target.length;
  if (mask.length !== n) throw new FederatedError(`secagg: mask has ${mask.length} words, target has ${n}`, { code: 'INVALID_ARGUMENT' });
  if (sign === 1) for (let i = 0; i < n; i++) target[i] = ((target[i] as number) + (mask[i] as number)) >>> 0;
  else for (let i = 0; i < n; i++) target[i] = ((target[i] as number) - (mask[i] as number)) >>> 0;
}

/**
 * The sign client `self` gives the pairwise mask it shares with `peer` (Bonawitz et al. 2017,
 * Sec. 3: +PRG(s_{u,v}) if u < v, −PRG if u > v), ordering clients by their roster index.
 */
export function pairSign(self: number, peer: number): 1 | -1 {
  return self < peer ? 1 : -1;
}
