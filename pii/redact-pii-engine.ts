/**
 * @module `redact-pii` (the npm package, a development dependency) as a `DetectionEngine`, so it
 * can be scored beside ours. It only returns redacted text, so each of its built-in redactors
 * writes a distinct marker of private-use characters, and the spans are recovered by aligning
 * the output with the input (everything outside a marker is copied through unchanged). Its labels
 * map to Presidio's; `zipcode` and `digits` have no counterpart and are turned off, so they
 * cannot swallow numbers another of its redactors would label.
 */
import { createRequire } from 'node:module';
import { PiiError } from './errors.js';
import type { DetectionEngine, Span } from './evaluate.js';

/** redact-pii's default replacement words, which name its redactors, as Presidio types. */
const LABELS: Readonly<Record<string, string>> = {
  CREDIT_CARD_NUMBER: 'CREDIT_CARD',
  EMAIL_ADDRESS: 'EMAIL_ADDRESS',
  IP_ADDRESS: 'IP_ADDRESS',
  PERSON_NAME: 'PERSON',
  PHONE_NUMBER: 'PHONE_NUMBER',
  STREET_ADDRESS: 'STREET_ADDRESS',
  US_SOCIAL_SECURITY_NUMBER: 'US_SSN',
  URL: 'URL',
  CREDENTIALS: 'SECRET',
  PASSWORD: 'SECRET',
  USERNAME: 'SECRET',
};

interface ChildRedactor {
  replaceWith: string;
}
interface SyncRedactor {
  redact(text: string): string;
  childRedactors: ChildRedactor[];
}

export function createRedactPiiEngine(opts: { names?: boolean } = {}): DetectionEngine & { redact(text: string): string } {
  const require = createRequire(import.meta.url);
  let mod: { SyncRedactor: new (o: object) => SyncRedactor };
  try {
    mod = require('redact-pii');
  } catch (cause) {
    throw new PiiError('the redact-pii engine needs the redact-pii package, a development dependency: run `npm ci` in the Lumora checkout', {
      code: 'PII_ENGINE_MISSING',
      cause,
    });
  }
  const builtInRedactors: Record<string, object> = { zipcode: { enabled: false }, digits: { enabled: false } };
  if (opts.names === false) builtInRedactors.names = { enabled: false };
  const redactor = new mod.SyncRedactor({ builtInRedactors });
  // Its per-redactor `replaceWith` option is ignored by its composition code, so the composed
  // redactors are given our markers directly; their order and patterns stay its own.
  const markers = new Map<string, string>();
  redactor.childRedactors.forEach((child, i) => {
    const type = LABELS[child.replaceWith];
    if (!type) throw new PiiError(`redact-pii has a redactor this adapter does not know (${child.replaceWith})`, { code: 'PII_ENGINE_MISSING' });
    const marker = `\uE000${String.fromCharCode(0xe100 + i)}\uE001`;
    markers.set(marker, type);
    child.replaceWith = marker;
  });
  const markerRe = /\uE000[\uE100-\uE1FF]\uE001/g;
  return {
    name: 'redact-pii',
    types: new Set(markers.values()),
    redact: (text: string) => redactor.redact(text),
    find(text) {
      const out = redactor.redact(text);
      const spans: Span[] = [];
      const pieces = out.split(markerRe);
      const found = out.match(markerRe) ?? [];
      // pieces[0] marker0 pieces[1] marker1 …: each piece is input copied verbatim, so a marker
      // covers the input from the end of the piece before it to the start of the piece after it.
      let cursor = (pieces[0] as string).length;
      for (let i = 0; i < found.length; i++) {
        const next = pieces[i + 1] as string;
        const isLast = i === found.length - 1;
        let end = isLast ? text.length - next.length : next.length === 0 ? cursor + 1 : text.indexOf(next, cursor + 1);
        if (end < cursor) end = cursor;
        if (end > cursor) spans.push({ type: markers.get(found[i] as string) as string, start: cursor, end });
        cursor = end + next.length;
      }
      return spans;
    },
  };
}
