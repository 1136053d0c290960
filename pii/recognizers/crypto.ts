/**
 * @module CRYPTO: wallet addresses. Bitcoin legacy addresses must pass base58check and bech32
 * ones their BCH checksum (BIP-173/350), so both are conclusive; an Ethereum address in mixed case
 * must pass EIP-55, and in one case is still an address (0x and 40 hex digits) but scores lower; a
 * Solana address is any base58 string of 32 bytes, which random tokens also are, so it needs a
 * context word ("wallet", "solana", "send").
 */
import type { Finding } from '../finding.js';
import { LONG_TOKEN_TRIGGER, type Recognizer } from '../recognizer.js';
import { bitcoinBase58Valid, bitcoinBech32Valid, ethereumValid, solanaValid } from '../validators.js';

const BASE58_RUN = /(?<![\w/+=-])[1-9A-HJ-NP-Za-km-z]{25,44}(?![\w/+=-])/g;
const BECH32_RUN = /(?<![\w-])(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}(?![\w-])/g;
const ETHEREUM_RUN = /(?<![\w-])0x[0-9a-fA-F]{40}(?![\w-])/g;

export const cryptoRecognizer: Recognizer = {
  name: 'crypto',
  entities: ['CRYPTO'],
  trigger: LONG_TOKEN_TRIGGER,
  context: ['wallet', 'address', 'bitcoin', 'btc', 'ethereum', 'eth', 'solana', 'sol', 'send', 'send to', 'pay', 'deposit', 'pubkey', 'crypto', 'usdc'],
  analyze(text) {
    const out: Finding[] = [];
    const push = (m: RegExpExecArray, score: number) => out.push({ type: 'CRYPTO', start: m.index, end: m.index + m[0].length, score, recognizer: 'crypto' });
    BASE58_RUN.lastIndex = 0;
    for (let m = BASE58_RUN.exec(text); m; m = BASE58_RUN.exec(text)) {
      const v = m[0];
      if ((v[0] === '1' || v[0] === '3') && v.length <= 35 && bitcoinBase58Valid(v)) push(m, 1);
      // Mixed letters and digits, as a key's base58 is: a long English word is not an address.
      else if (v.length >= 32 && /\d/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v) && solanaValid(v)) push(m, 0.4);
    }
    if (/bc1/i.test(text)) {
      BECH32_RUN.lastIndex = 0;
      for (let m = BECH32_RUN.exec(text); m; m = BECH32_RUN.exec(text)) if (bitcoinBech32Valid(m[0])) push(m, 1);
    }
    if (text.includes('0x')) {
      ETHEREUM_RUN.lastIndex = 0;
      for (let m = ETHEREUM_RUN.exec(text); m; m = ETHEREUM_RUN.exec(text)) {
        const hex = m[0].slice(2);
        const mixed = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
        if (mixed) {
          if (ethereumValid(m[0])) push(m, 1);
        } else push(m, 0.6);
      }
    }
    return out;
  },
};
