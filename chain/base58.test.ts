import { getBase58Decoder } from '@solana/kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase58, maxBase58Length } from './base58.js';

const toText = getBase58Decoder();

describe('decodeBase58', () => {
  it('reads back what @solana/kit encodes, leading zero bytes included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1232 }), (bytes) => {
        expect(decodeBase58(toText.decode(bytes), 1232)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
    expect(decodeBase58('', 4)).toEqual(new Uint8Array());
    expect(decodeBase58('111', 4)).toEqual(new Uint8Array(3));
  });

  it('refuses characters outside the alphabet', () => {
    for (const bad of ['0', 'O', 'I', 'l', '+', 'é', 'abc def']) expect(decodeBase58(bad, 64)).toBeNull();
  });

  it('refuses text that decodes to more bytes than allowed', () => {
    const sixtyFive = toText.decode(new Uint8Array(65).fill(255));
    expect(decodeBase58(sixtyFive, 64)).toBeNull();
    expect(decodeBase58('1'.repeat(65), 64)).toBeNull();
    expect(decodeBase58(toText.decode(new Uint8Array(64).fill(255)), 64)).toHaveLength(64);
  });

  it('refuses an overlong text before doing any arithmetic on it', () => {
    const huge = 'z'.repeat(400_000);
    expect(decodeBase58(huge, 1232)).toBeNull();
    expect(maxBase58Length(64)).toBe(88);
    expect(maxBase58Length(32)).toBe(44);
  });
});
