/**
 * @module Base58 decoding of text that a client controls (signatures, wire transactions, keys).
 * Every base58 codec does work that grows with the product of the text's and the result's
 * lengths, and @solana/kit's goes through one BigInt, so a 400 KB string held the event loop for
 * minutes. Here the caller states the most bytes it accepts: text longer than those bytes can
 * encode is refused before any arithmetic, and the arithmetic runs on 16-bit limbs, four
 * characters at a time, so the worst case (a 1,232-byte transaction) costs well under a
 * millisecond.
 */

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

/** log(256) / log(58): base58 characters per byte. */
const CHARS_PER_BYTE = Math.log(256) / Math.log(58);

/** The longest base58 text that `bytes` bytes can encode to (leading zero bytes take one character each). */
export function maxBase58Length(bytes: number): number {
  return Math.ceil(bytes * CHARS_PER_BYTE);
}

/**
 * The bytes `text` encodes, or null when it is not base58, is longer than `maxBytes` bytes can
 * encode, or decodes to more than `maxBytes` bytes. Checks the length first, so the cost is bounded
 * by `maxBytes` whatever the caller sends.
 */
export function decodeBase58(text: string, maxBytes: number): Uint8Array | null {
  if (text.length > maxBase58Length(maxBytes)) return null;
  let zeros = 0;
  while (zeros < text.length && text.charCodeAt(zeros) === 49 /* '1' */) zeros++;
  // Little-endian 16-bit limbs of the value of the characters after the leading '1's.
  const limbs = new Uint16Array(Math.ceil(maxBytes / 2) + 1);
  let used = 0;
  for (let i = zeros; i < text.length; ) {
    // Up to four digits at once: 58^4 · 65,535 + carry stays far below 2^53.
    let chunk = 0;
    let scale = 1;
    for (let k = 0; k < 4 && i < text.length; k++, i++) {
      const code = text.charCodeAt(i);
      const d = code < 128 ? (DIGIT[code] as number) : -1;
      if (d < 0) return null;
      chunk = chunk * 58 + d;
      scale *= 58;
    }
    let carry = chunk;
    for (let j = 0; j < used; j++) {
      carry += (limbs[j] as number) * scale;
      limbs[j] = carry & 0xffff;
      carry = Math.floor(carry / 0x10000);
    }
    while (carry > 0) {
      if (used === limbs.length) return null;
      limbs[used++] = carry & 0xffff;
      carry = Math.floor(carry / 0x10000);
    }
  }
  let valueBytes = used * 2;
  if (used > 0 && (limbs[used - 1] as number) < 0x100) valueBytes--;
  const total = zeros + valueBytes;
  if (total > maxBytes) return null;
  const out = new Uint8Array(total);
  for (let b = 0; b < valueBytes; b++) {
    const limb = limbs[b >> 1] as number;
    out[total - 1 - b] = b & 1 ? limb >> 8 : limb & 0xff;
  }
  return out;
}
