/**
 * @module EMAIL_ADDRESS: RFC 5322's common subset (dot-atoms), with a letters-only TLD.
 */
import { patternRecognizer } from '../recognizer.js';

export const emailRecognizer = patternRecognizer({
  name: 'email',
  entity: 'EMAIL_ADDRESS',
  guard: (t) => t.includes('@'),
  patterns: [{ regex: /\b[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b/g, score: 1 }],
  context: ['email', 'mail', 'e-mail', 'contact'],
});
