/**
 * @module EMAIL_ADDRESS: RFC 5322's common subset (dot-atoms, `+` tags) with a letters-only TLD.
 * Internationalised local parts are rare in the wild and left out.
 */
import { patternRecognizer } from '../recognizer.js';

export const emailRecognizer = patternRecognizer({
  name: 'email',
  entity: 'EMAIL_ADDRESS',
  trigger: { pattern: /@/g, before: 0, after: 0 },
  patterns: [{ regex: /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b/g, score: 1 }],
});
