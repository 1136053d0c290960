import { x25519 } from '@noble/curves/ed25519.js';
import { chacha20 } from '@noble/ciphers/chacha.js';
import { describe, expect, it } from 'vitest';
import { agreeKey, applyMask, MaskExpander, maskNonce, pairSign } from './masks.js';

const keyPair = (fill: number) => {
  const secretKey = new Uint8Array(32).fill(fill);
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
};

describe('secure-aggregation masks', () => {
  it('agrees the same key from both sides, and a different key per round and purpose', () => {
    const u = keyPair(1);
    const v = keyPair(2);
    const k = agreeKey(u.secretKey, v.publicKey, 5, 'pairwise-mask');
    expect(agreeKey(v.secretKey, u.publicKey, 5, 'pairwise-mask')).toEqual(k);
    expect(agreeKey(u.secretKey, v.publicKey, 6, 'pairwise-mask')).not.toEqual(k);
    expect(agreeKey(u.secretKey, v.publicKey, 5, 'share-encryption')).not.toEqual(k);
    expect(k).toHaveLength(32);
  });

  it('expands a key into the ChaCha20 keystream under the (round, purpose) nonce, read as little-endian words', () => {
    const key = new Uint8Array(32).fill(9);
    const mask = new MaskExpander(16).expand(key, 3, 'self-mask');
    const stream = chacha20(key, maskNonce(3, 'self-mask'), new Uint8Array(64));
    const view = new DataView(stream.buffer);
    for (let i = 0; i < 16; i++) expect(mask[i]).toBe(view.getUint32(4 * i, true));
    expect(new MaskExpander(16).expand(key, 3, 'pairwise-mask')).not.toEqual(mask.slice());
  });

  it('cancels the pairwise masks of five clients exactly in the sum mod 2^32', () => {
    const n = 5;
    const d = 1000;
    const keys = Array.from({ length: n }, (_, i) => keyPair(10 + i));
    const expander = new MaskExpander(d);
    const total = new Uint32Array(d);
    let nonZero = 0;
    for (let u = 0; u < n; u++) {
      const y = new Uint32Array(d);
      for (let v = 0; v < n; v++) {
        if (v === u) continue;
        const k = agreeKey((keys[u] as { secretKey: Uint8Array }).secretKey, (keys[v] as { publicKey: Uint8Array }).publicKey, 1, 'pairwise-mask');
        applyMask(y, expander.expand(k, 1, 'pairwise-mask'), pairSign(u, v));
      }
      nonZero += y.filter((w) => w !== 0).length;
      applyMask(total, y, 1);
    }
    expect(nonZero).toBeGreaterThan(n * d * 0.99); // each client's mask sum is noise ...
    expect(total.every((w) => w === 0)).toBe(true); // ... and all of them cancel
  });

  it('adds and subtracts modulo 2^32', () => {
    const t = Uint32Array.from([0xffff_fffe, 1]);
    applyMask(t, Uint32Array.from([3, 2]), 1);
    expect([...t]).toEqual([1, 3]);
    applyMask(t, Uint32Array.from([3, 4]), -1);
    expect([...t]).toEqual([0xffff_fffe, 0xffff_ffff]);
  });
});
