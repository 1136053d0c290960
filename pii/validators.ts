/**
 * @module Checksums and range rules that tell a real identifier from a look-alike, by name, so a
 * custom recognizer in a config file can use them (`validator: luhn`) without code.
 */
import { createHash } from 'node:crypto';
import { keccak_256 } from '@noble/hashes/sha3.js';

const digitsOf = (s: string) => s.replace(/\D/g, '');

/** Luhn (mod 10) over the digits of `s`. */
export function luhnValid(s: string): boolean {
  const digits = digitsOf(s);
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** True when a card number's prefix and length belong to a network (ISO/IEC 7812 IIN ranges). */
export function cardIssuerValid(s: string): boolean {
  const d = digitsOf(s);
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  const p6 = Number(d.slice(0, 6));
  if (d[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return n === 15; // American Express
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) return n >= 16 && n <= 19; // Discover
  if (p2 === 36 || p2 === 38 || p2 === 39 || (p3 >= 300 && p3 <= 305) || p4 === 3095) return n >= 14 && n <= 19; // Diners Club
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19; // JCB
  if (p2 === 62 || p2 === 81) return n >= 16 && n <= 19; // UnionPay
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 12 && n <= 19; // Maestro
  if (p4 >= 2200 && p4 <= 2204) return n >= 16 && n <= 19; // Mir
  return false;
}

/** IBAN lengths by country (SWIFT IBAN Registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HN: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** ISO 13616: registered length, then the first four characters moved to the end, letters to numbers, mod 97 = 1. */
export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/[ -]/g, '').toUpperCase();
  if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const v = code >= 65 ? String(code - 55) : ch;
    for (const digit of v) rem = (rem * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

/**
 * US SSN: area not 000, 666 or 900–999, group not 00, serial not 0000 (SSA, "Social Security
 * Number Randomization", 2011), and not one digit repeated.
 */
export function ssnValid(s: string): boolean {
  const d = digitsOf(s);
  if (d.length !== 9) return false;
  const area = d.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return false;
  return !/^(\d)\1{8}$/.test(d);
}

/** US ITIN: 9XX-GG-XXXX with the group in 50–65, 70–88, 90–92 or 94–99 (IRS). */
export function itinValid(s: string): boolean {
  const d = digitsOf(s);
  if (d.length !== 9 || d[0] !== '9') return false;
  const g = Number(d.slice(3, 5));
  return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || (g >= 94 && g <= 99);
}

/** ABA routing number: 3-7-1 weighted checksum, and a Federal Reserve prefix (00–12, 21–32, 61–72, 80). */
export function abaValid(s: string): boolean {
  const d = digitsOf(s);
  if (d.length !== 9 || /^(\d)\1{8}$/.test(d)) return false;
  const prefix = Number(d.slice(0, 2));
  if (!((prefix >= 0 && prefix <= 12) || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80)) return false;
  const w = [3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (d.charCodeAt(i) - 48) * (w[i % 3] as number);
  return sum % 10 === 0;
}

/** NHS number: ten digits, mod-11 check digit with weights 10..2 (a check of 10 is never issued). */
export function nhsValid(s: string): boolean {
  const d = digitsOf(s);
  if (d.length !== 10 || /^(\d)\1{9}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (d.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === d.charCodeAt(9) - 48;
}

/** UK National Insurance number prefix and suffix rules (HMRC NIM39110). */
export function ninoValid(s: string): boolean {
  const v = s.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/.test(v)) return false;
  return !['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(v.slice(0, 2));
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_INDEX = new Map([...BASE58].map((c, i) => [c, i]));

/** Base58 (Bitcoin alphabet) to bytes, or undefined for a character outside it. */
export function base58Decode(s: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (const ch of s) {
    let carry = BASE58_INDEX.get(ch);
    if (carry === undefined) return undefined;
    for (let i = 0; i < bytes.length; i++) {
      carry += (bytes[i] as number) * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (let i = 0; i < s.length && s[i] === '1'; i++) bytes.push(0);
  return Uint8Array.from(bytes.reverse());
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

/** Bitcoin legacy address (P2PKH or P2SH): base58check of a version byte and a 20-byte hash. */
export function bitcoinBase58Valid(s: string): boolean {
  const b = base58Decode(s);
  if (!b || b.length !== 25 || (b[0] !== 0x00 && b[0] !== 0x05)) return false;
  const check = sha256(sha256(b.subarray(0, 21)));
  return check[0] === b[21] && check[1] === b[22] && check[2] === b[23] && check[3] === b[24];
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

function bech32Polymod(values: number[]): number {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i] as number;
  }
  return chk >>> 0;
}

/** Bitcoin segwit address: bech32 (BIP-173, v0) or bech32m (BIP-350, v1+) with the `bc` prefix. */
export function bitcoinBech32Valid(s: string): boolean {
  if (s !== s.toLowerCase() && s !== s.toUpperCase()) return false;
  const v = s.toLowerCase();
  const sep = v.lastIndexOf('1');
  if (v.slice(0, sep) !== 'bc' || v.length > 90) return false;
  const data: number[] = [];
  for (const ch of v.slice(sep + 1)) {
    const i = BECH32.indexOf(ch);
    if (i < 0) return false;
    data.push(i);
  }
  if (data.length < 7) return false;
  const hrp = [...'bc'].map((c) => c.charCodeAt(0));
  const expanded = [...hrp.map((c) => c >> 5), 0, ...hrp.map((c) => c & 31), ...data];
  const mod = bech32Polymod(expanded);
  const version = data[0] as number;
  const programBits = (data.length - 7) * 5;
  const programBytes = Math.floor(programBits / 8);
  if (version === 0) return mod === 1 && (programBytes === 20 || programBytes === 32);
  return mod === 0x2bc830a3 && version <= 16 && programBytes >= 2 && programBytes <= 40;
}

/** Ethereum address: 0x + 40 hex; when mixed case, the EIP-55 checksum must hold. */
export function ethereumValid(s: string): boolean {
  if (!/^0x[0-9a-fA-F]{40}$/.test(s)) return false;
  const hex = s.slice(2);
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true;
  const hash = keccak_256(new TextEncoder().encode(hex.toLowerCase()));
  for (let i = 0; i < 40; i++) {
    const nibble = ((hash[i >> 1] as number) >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    const ch = hex[i] as string;
    if (/[a-f]/i.test(ch) && nibble >= 8 !== (ch === ch.toUpperCase())) return false;
  }
  return true;
}

/** Solana address: base58 of exactly 32 bytes (an ed25519 public key or a program address). */
export function solanaValid(s: string): boolean {
  if (s.length < 32 || s.length > 44) return false;
  return base58Decode(s)?.length === 32;
}

/** Validators a custom recognizer may name in config. */
export const VALIDATORS: Readonly<Record<string, (s: string) => boolean>> = {
  luhn: luhnValid,
  'credit-card': (s) => luhnValid(s) && cardIssuerValid(s),
  iban: ibanValid,
  'us-ssn': ssnValid,
  'us-itin': itinValid,
  aba: abaValid,
  'uk-nhs': nhsValid,
  'uk-nino': ninoValid,
  'bitcoin-base58': bitcoinBase58Valid,
  'bitcoin-bech32': bitcoinBech32Valid,
  ethereum: ethereumValid,
  solana: solanaValid,
};
