/**
 * @module UK_NHS: ten digits, printed 3-3-4, with the NHS mod-11 check digit.
 */
import { DIGIT_TRIGGER, patternRecognizer } from '../recognizer.js';
import { nhsValid } from '../validators.js';

export const ukNhsRecognizer = patternRecognizer({
  name: 'uk-nhs',
  entity: 'UK_NHS',
  trigger: DIGIT_TRIGGER,
  guard: (t) => /\d{3}/.test(t),
  patterns: [{ regex: /(?<![\w-])(?:\d{3}([ -]?)\d{3}\1\d{4})(?![\w-])/g, score: 0.5 }],
  context: ['nhs', 'nhs number', 'national health service', 'health service', 'patient', 'nhs no'],
  negativeContext: ['phone', 'tel', 'call', 'mobile', 'order', 'invoice'],
  validate: nhsValid,
});
