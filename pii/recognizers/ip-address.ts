/**
 * @module IP_ADDRESS: dotted-quad IPv4 with each octet ≤ 255, and IPv6 in any RFC 4291 text form
 * (validated by node:net). A dotted quad after "version" or "v" is a version string, not an
 * address. Private, loopback, link-local and documentation ranges are redacted unless the policy
 * says to keep them: an internal address in a log still points at a person's machine.
 */
import { BlockList, isIPv6 } from 'node:net';
import type { Finding } from '../finding.js';
import { DIGIT_TRIGGER, type Recognizer } from '../recognizer.js';

const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\d|\.\d)/g;
const IPV6_CANDIDATE = /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:])/g;

/** `redact` (default) reports every address; `keep` leaves non-public ones alone. */
export type NonPublicIpPolicy = 'redact' | 'keep';

/** Ranges that are not public unicast: RFC 1918, 6598, 5735 loopback, 3927, 5737, 4193, 4291, 3849. */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
] as const)
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['2001:db8::', 32],
] as const)
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');

/** True for private, loopback, link-local, shared and documentation addresses. */
export function isNonPublicIp(address: string): boolean {
  return NON_PUBLIC.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
}

export function createIpAddressRecognizer(opts: { nonPublic?: NonPublicIpPolicy } = {}): Recognizer {
  const keepNonPublic = opts.nonPublic === 'keep';
  return {
    name: 'ip-address',
    entities: ['IP_ADDRESS'],
    trigger: DIGIT_TRIGGER,
    context: ['ip', 'ip address', 'address', 'server', 'host', 'ipv4', 'ipv6', 'client', 'from', 'login', 'connected'],
    negativeContext: [
      'version',
      'v',
      'ver',
      'release',
      'build',
      'firmware',
      'oid',
      'upgraded',
      'upgrade',
      'updated',
      'update',
      'downgraded',
      'kernel',
      'patch',
      'installed',
      'bumped',
      'tag',
      'tagged',
      'pipeline',
      'sdk',
      'driver',
      'app',
    ],
    analyze(text) {
      const out: Finding[] = [];
      const push = (start: number, value: string, score: number) => {
        if (keepNonPublic && isNonPublicIp(value)) return;
        out.push({ type: 'IP_ADDRESS', start, end: start + value.length, score, recognizer: 'ip-address' });
      };
      if (text.includes('.')) {
        IPV4.lastIndex = 0;
        for (let m = IPV4.exec(text); m; m = IPV4.exec(text)) {
          // "v1.2.3.4" is a version.
          if (/[vV]$/.test(text.slice(Math.max(0, m.index - 1), m.index))) continue;
          push(m.index, m[0], 0.6);
        }
      }
      if (text.includes(':')) {
        IPV6_CANDIDATE.lastIndex = 0;
        for (let m = IPV6_CANDIDATE.exec(text); m; m = IPV6_CANDIDATE.exec(text)) {
          // "12:30:45" is a time: an address has a hex letter or "::".
          if (!isIPv6(m[0]) || (!/[a-f]/i.test(m[0]) && !m[0].includes('::'))) continue;
          push(m.index, m[0], 0.8);
        }
      }
      return out;
    },
  };
}
