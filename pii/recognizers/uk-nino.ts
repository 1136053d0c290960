/**
 * @module UK_NINO: National Insurance numbers, two prefix letters (HMRC's excluded letters and
 * prefixes rejected), six digits and a suffix A–D, compact or printed "QQ 12 34 56 C".
 */
import { DIGIT_TRIGGER, patternRecognizer } from '../recognizer.js';
import { ninoValid } from '../validators.js';

export const ukNinoRecognizer = patternRecognizer({
  name: 'uk-nino',
  entity: 'UK_NINO',
  trigger: DIGIT_TRIGGER,
  patterns: [{ regex: /(?<![\w-])[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w-])/gi, score: 0.6 }],
  context: ['national insurance', 'national insurance number', 'nino', 'ni number', 'ni no', 'insurance number'],
  validate: ninoValid,
});
