/**
 * @module URL: web addresses with a scheme (http, https, ftp) or starting "www.", bare host names
 * followed by a path ("example.org/jobs"), and bare host names under a common top-level domain
 * ("acme-robotics.com", as Presidio reports them; "Node.js" or "report.pdf" are not hosts).
 * Trailing sentence punctuation and an unbalanced closing bracket are not part of the URL.
 */
import type { Finding } from '../finding.js';
import type { Recognizer, Trigger } from '../recognizer.js';

const COMMON_TLDS =
  'com|org|net|edu|gov|mil|int|info|biz|io|co|ai|app|dev|uk|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|cz|pt|ie|eu|us|ca|au|nz|jp|cn|in|br|mx|ru|za|kr|sg|hk|tw';
const CANDIDATE = new RegExp(
  '(?<![\\w@.-])(?:(?:https?|ftp):\\/\\/[^\\s<>"\'`]+|www\\.[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+[^\\s<>"\'`]*|[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,24}\\/[^\\s<>"\'`]*' +
    `|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9-]+)*\\.(?:${COMMON_TLDS})(?![\\w@-]|\\.[A-Za-z0-9]))`,
  'g',
);
const TRAILING = /[.,;:!?'"*_]+$/;

/** Cuts trailing punctuation and closing brackets that have no opening one inside the URL. */
export function trimUrl(url: string): string {
  let u = url.replace(TRAILING, '');
  for (;;) {
    const last = u[u.length - 1];
    const open = last === ')' ? '(' : last === ']' ? '[' : last === '}' ? '{' : undefined;
    if (!open) break;
    const opens = u.split(open).length - 1;
    const closes = u.split(last as string).length - 1;
    if (closes <= opens) break;
    u = u.slice(0, -1).replace(TRAILING, '');
  }
  return u;
}

/** Every URL form this recognizer reads has a slash, starts "www." or ends in a common TLD. */
const URL_TRIGGER: Trigger = { pattern: new RegExp(`\\/|www\\.|\\.(?:${COMMON_TLDS})\\b`, 'g'), before: 0, after: 0 };

export const urlRecognizer: Recognizer = {
  name: 'url',
  entities: ['URL'],
  trigger: URL_TRIGGER,
  context: ['url', 'link', 'website', 'site', 'visit', 'homepage', 'profile', 'page'],
  analyze(text) {
    if (!text.includes('.')) return [];
    const out: Finding[] = [];
    CANDIDATE.lastIndex = 0;
    for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
      const value = trimUrl(m[0]);
      const scheme = /^[a-z]+:\/\//i.test(value);
      if (scheme && value.length < 10) continue;
      // A bare host ("acme.com") is a URL of the weakest kind: a context word lifts it.
      const score = scheme || value.startsWith('www.') ? 0.6 : 0.5;
      out.push({ type: 'URL', start: m.index, end: m.index + value.length, score, recognizer: 'url' });
    }
    return out;
  },
};
