/**
 * @module IP_ADDRESS: dotted-quad IPv4 with each octet ≤ 255, and IPv6 in any RFC 4291 text form
 * (validated by node:net). A dotted quad after "version" or "v" is a version string, not an address.
 */
import { isIPv6 } from 'node:net';
import { hasContext, type Recognizer } from '../recognizer.js';
import type { Finding } from '../finding.js';

const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\d|\.\d)/g;
const IPV6_CANDIDATE = /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:])/g;
const VERSION_WORDS = new Set(['version', 'v', 'ver', 'release', 'build', 'firmware']);
const IP_CONTEXT = new Set(['ip', 'address', 'server', 'host', 'ipv4', 'ipv6', 'from']);
const SCORE = 0.6;

export const ipAddressRecognizer: Recognizer = {
  name: 'ip-address',
  entities: ['IP_ADDRESS'],
  analyze(text) {
    const out: Finding[] = [];
    if (text.includes('.')) {
      IPV4.lastIndex = 0;
      for (let m = IPV4.exec(text); m; m = IPV4.exec(text)) {
        if (hasContext(text, m.index, VERSION_WORDS, 2) || /v$/i.test(text.slice(Math.max(0, m.index - 1), m.index))) continue;
        const score = hasContext(text, m.index, IP_CONTEXT) ? Math.min(1, SCORE + 0.35) : SCORE;
        out.push({ type: 'IP_ADDRESS', start: m.index, end: m.index + m[0].length, score, recognizer: 'ip-address' });
      }
    }
    if (text.includes(':')) {
      IPV6_CANDIDATE.lastIndex = 0;
      for (let m = IPV6_CANDIDATE.exec(text); m; m = IPV6_CANDIDATE.exec(text)) {
        // "12:30:45" is a time: require a hex letter or "::" before calling it an address.
        if (!isIPv6(m[0]) || (!/[a-f]/i.test(m[0]) && !m[0].includes('::'))) continue;
        out.push({ type: 'IP_ADDRESS', start: m.index, end: m.index + m[0].length, score: 0.8, recognizer: 'ip-address' });
      }
    }
    return out;
  },
};
