/**
 * @module The PII engine's public face: find personal data in text (`createAnalyzer` over
 * `defaultRecognizers`) and replace it (`anonymize`).
 *
 * @example
 * const analyzer = createAnalyzer({ recognizers: defaultRecognizers() });
 * const { text } = anonymize(input, analyzer.analyze(input)); // "mail <EMAIL_ADDRESS>"
 */
export { ENTITY_TYPES, type EntityType, type Finding } from './finding.js';
export { patternRecognizer, hasContext, CONTEXT_BOOST, type Recognizer, type PatternSpec } from './recognizer.js';
export { createAnalyzer, resolveOverlaps, DEFAULT_SCORE_THRESHOLD, type Analyzer } from './analyzer.js';
export { anonymize, type AnonymizedText, type OperatorName } from './anonymize.js';
export { defaultRecognizers } from './registry.js';
export { luhnValid, issuerValid } from './recognizers/credit-card.js';
export { ibanValid } from './recognizers/iban.js';
export { ssnValid } from './recognizers/us-ssn.js';
export { PiiError } from './errors.js';
