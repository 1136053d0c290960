/**
 * @module ABA_ROUTING_NUMBER: nine digits with the ABA 3-7-1 checksum and a Federal Reserve
 * district prefix, bare or written 0123-4567-8. One random nine-digit number in ~15 passes, so a
 * bare match stays below the threshold until a context word ("routing", "ABA") lifts it.
 */
import { DIGIT_TRIGGER, patternRecognizer } from '../recognizer.js';
import { abaValid } from '../validators.js';

export const abaRoutingRecognizer = patternRecognizer({
  name: 'aba-routing',
  entity: 'ABA_ROUTING_NUMBER',
  trigger: DIGIT_TRIGGER,
  guard: (t) => /\d{4}/.test(t),
  patterns: [{ regex: /(?<![\w-])(?:\d{9}|\d{4}-\d{4}-\d)(?![\w-])/g, score: 0.3 }],
  context: ['routing', 'routing number', 'aba', 'aba number', 'rtn', 'transit number', 'routing no'],
  validate: abaValid,
});
