/**
 * @module SECRET: credentials that leak into pages and logs. Formats a vendor fixed (AWS access key
 * ids, GitHub, Slack, Stripe and Google API keys, JWTs, PEM private key blocks) are reported on
 * sight; any other value counts when it follows a key-like name (`api_key=`, `"secret": "…"`)
 * and looks random (Shannon entropy ≥ 3 bits a character), or follows `password:` and is at
 * least six characters without a space; `token: see below` is left.
 */
import type { Finding } from '../finding.js';
import { LONG_TOKEN_TRIGGER, type Recognizer, type Trigger } from '../recognizer.js';

// Vendor formats are long unbroken tokens, read only where such tokens are; a PEM block spans
// lines and is read whole.
const FIXED: ReadonlyArray<{ regex: RegExp; score: number }> = [
  { regex: /(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}(?![A-Z0-9])/g, score: 0.95 },
  { regex: /(?<![\w-])(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}(?![\w-])|(?<![\w-])github_pat_[A-Za-z0-9_]{22,255}/g, score: 1 },
  { regex: /(?<![\w-])xox[abposr]-[A-Za-z0-9-]{10,250}/g, score: 1 },
  { regex: /(?<![\w-])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}(?![\w-])/g, score: 1 },
  { regex: /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])/g, score: 1 },
  { regex: /(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(?![\w-])/g, score: 0.95 },
];
// The body is bounded, so an unterminated header cannot make the lazy scan quadratic.
const PEM = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----[\s\S]{1,16384}?-----END \1-----/g;

const KEY_VALUE =
  /(?:api[_-]?key|apikey|secret|secret[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token|token|password|passwd|pwd|private[_-]?key|access[_-]?key|bearer)["']?\s*(?:[:=]|=>)\s*["']?([A-Za-z0-9_\-+/=.~!@#$%^*]{8,256})/dgi;
const BEARER = /\bBearer\s+([A-Za-z0-9_\-.~+/]{16,}=*)/dg;

/** Bits of Shannon entropy a character. */
export function entropyPerChar(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A value that looks generated: long enough, mixed classes, and high entropy. */
function looksRandom(v: string): boolean {
  if (v.length < 8) return false;
  const classes = Number(/[a-z]/.test(v)) + Number(/[A-Z]/.test(v)) + Number(/\d/.test(v)) + Number(/[^A-Za-z0-9]/.test(v));
  if (v.length >= 16) return classes >= 2 && entropyPerChar(v) >= 3;
  // A short password is a secret when it mixes at least three classes ("hunter2!" → "Hunt3r!x").
  return classes >= 3 && entropyPerChar(v) >= 2.5;
}

const push = (out: Finding[], start: number, end: number, score: number, recognizer: string) => out.push({ type: 'SECRET', start, end, score, recognizer });

/** Vendor-format keys and tokens, and PEM private key blocks. */
export const secretRecognizer: Recognizer = {
  name: 'secret',
  entities: ['SECRET'],
  trigger: LONG_TOKEN_TRIGGER,
  analyze(text) {
    const out: Finding[] = [];
    for (const { regex, score } of FIXED) {
      regex.lastIndex = 0;
      for (let m = regex.exec(text); m; m = regex.exec(text)) push(out, m.index, m.index + m[0].length, score, 'secret');
    }
    return out;
  },
};

export const privateKeyRecognizer: Recognizer = {
  name: 'private-key',
  entities: ['SECRET'],
  analyze(text) {
    if (!text.includes('-----BEGIN')) return [];
    const out: Finding[] = [];
    PEM.lastIndex = 0;
    for (let m = PEM.exec(text); m; m = PEM.exec(text)) push(out, m.index, m.index + m[0].length, 1, 'private-key');
    return out;
  },
};

/** A separator and the start of a value: where a `key = value` pair can be. */
const ASSIGNMENT_TRIGGER: Trigger = { pattern: /[:=]\s{0,2}["']?[A-Za-z0-9_\-+/]{6}/g, before: 40, after: 0 };

/** Values after a key-like name (`api_key=`, `"secret": "…"`, `Bearer …`) that look random. */
export const keyValueSecretRecognizer: Recognizer = {
  name: 'secret-key-value',
  entities: ['SECRET'],
  trigger: ASSIGNMENT_TRIGGER,
  analyze(text) {
    const out: Finding[] = [];
    for (const re of [KEY_VALUE, BEARER]) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        // `?token=…` inside a URL: the URL recognizer reports the whole address.
        if (/[?&]$/.test(text.slice(m.index - 1, m.index))) continue;
        const [start, end] = m.indices?.[1] ?? [0, 0];
        const value = text.slice(start, end).replace(/["',;]+$/, '');
        // A password is a secret however plain it looks ("hunter2hunter2"); other keys' values
        // must look generated, so "token: see below" is left alone.
        const isPassword = /^(?:password|passwd|pwd)/i.test(m[0]);
        if (isPassword ? value.length < 6 : !looksRandom(value)) continue;
        push(out, start, start + value.length, 0.75, 'secret-key-value');
      }
    }
    return out;
  },
};
