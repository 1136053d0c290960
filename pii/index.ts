/**
 * @module The PII engine's public face: find personal data in text (`createAnalyzer` over
 * `defaultRecognizers`, or `createEngine` from a config) and transform it (`createAnonymizer`),
 * in a string, a record, or a whole text, JSONL, Parquet or Arrow file (`redactFile`).
 *
 * @example
 * const { analyzer, anonymizer } = createEngine(piiConfigSchema.parse({}));
 * anonymizer.anonymize(input, analyzer.analyze(input)).text; // "mail <EMAIL_ADDRESS>"
 */
export { ENTITY_TYPES, ENTITY_NAME, publicFinding, type EntityType, type BuiltinEntityType, type Finding } from './finding.js';
export { CONTEXT_BOOST, CONTEXT_WINDOW_WORDS, contextWords, hasContext } from './context.js';
export { patternRecognizer, denyListRecognizer, type Recognizer, type PatternSpec, type AnalysisContext, type Validator } from './recognizer.js';
export { createAnalyzer, resolveOverlaps, DEFAULT_SCORE_THRESHOLD, type Analyzer, type AnalyzerOptions } from './analyzer.js';
export { createAnonymizer, anonymize, decryptText, type Anonymizer, type AnonymizedText, type AnonymizerOptions, type PseudonymScope } from './anonymizer.js';
export { operatorConfigSchema, canonicalValue, OPERATOR_NAMES, type OperatorConfig, type OperatorName } from './operators.js';
export { defaultRecognizers, type RegistryOptions } from './registry.js';
export {
  piiConfigSchema,
  createEngine,
  analyzerFor,
  operatorKey,
  customRecognizer,
  recognizersFor,
  type PiiConfig,
  type PiiConfigInput,
  type PiiEngine,
} from './config.js';
export { isNonPublicIp } from './recognizers/ip-address.js';
export * from './validators.js';
export { PiiError } from './errors.js';
export { evaluate, parseExample, GOLD_TYPE_ALIASES, type DetectionEngine, type Evaluation, type Example, type Score, type Span } from './evaluate.js';
export { createRedactPiiEngine } from './redact-pii-engine.js';
export { redactRecord, type RedactedRecord, type RecordFindings } from './records.js';
export { redactParquet } from './parquet.js';
export type { ColumnRedactOptions, ColumnRedaction } from './columns.js';
export { redactArrow } from './arrow.js';
export { redactText, type TextRedactOptions } from './redact-text.js';
export { redactJsonl, type JsonlRedactOptions } from './redact-jsonl.js';
export { redactFile, type FileRedactOptions, type FileRedaction } from './redact-file.js';
export { FILE_FORMATS, fileFormatOf, looksBinary, type FileFormat } from './file-format.js';
export { checkInputFile, scanLines } from './input-file.js';
export { createFileSink, createStreamSink, type TextSink } from './text-sink.js';
export { scanDecryptedLines } from './decrypt-file.js';
