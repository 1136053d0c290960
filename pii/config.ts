/**
 * @module The PII engine's configuration, validated with zod, and `createEngine`, which turns it
 * into an analyzer and an anonymizer. The same schema serves the pipeline's `pii` section, the
 * CLI's `--config` and library callers.
 *
 * @example
 * const { analyzer, anonymizer } = createEngine(piiConfigSchema.parse({
 *   operators: { PERSON: { type: 'pseudonym' }, CREDIT_CARD: { type: 'mask', keep: 4 } },
 *   customRecognizers: [{ name: 'employee-id', entity: 'EMPLOYEE_ID', patterns: [{ regex: 'EMP-\\d{6}', score: 0.6 }], context: ['employee'] }],
 * }));
 */
import { z } from 'zod';
import { createAnalyzer, type Analyzer } from './analyzer.js';
import { createAnonymizer, type Anonymizer } from './anonymizer.js';
import { PiiError } from './errors.js';
import { ENTITY_NAME, ENTITY_TYPES } from './finding.js';
import { operatorConfigSchema } from './operators.js';
import { denyListRecognizer, patternRecognizer, type Recognizer } from './recognizer.js';
import { defaultRecognizers } from './registry.js';
import { VALIDATORS } from './validators.js';

const entityName = z.string().regex(ENTITY_NAME, 'an entity name in upper snake case, such as "EMAIL_ADDRESS"');

const regexSource = z
  .string()
  .min(1)
  .max(2000)
  .superRefine((source, ctx) => {
    try {
      new RegExp(source, 'gu');
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(e as Error).message}` });
    }
  });

export const customRecognizerSchema = z
  .object({
    name: z.string().min(1).max(64),
    entity: entityName,
    /** Regexes (JavaScript syntax, matched with the `u` flag), each with a base score. */
    patterns: z.array(z.object({ regex: regexSource, score: z.number().min(0).max(1) }).strict()).min(1),
    context: z.array(z.string().min(1)).default([]),
    /** A checksum from the built-in list that a match must pass. */
    validator: z.enum(Object.keys(VALIDATORS) as [string, ...string[]]).optional(),
    caseInsensitive: z.boolean().default(false),
  })
  .strict();

export const piiConfigSchema = z
  .object({
    /** Types to report (Presidio names, or a custom recognizer's); default: every built-in type. */
    entities: z
      .array(entityName)
      .min(1)
      .default([...ENTITY_TYPES]),
    /** Findings scoring below this are left alone. */
    scoreThreshold: z.number().min(0).max(1).default(0.5),
    /** Language of the text when the caller does not say (ISO 639-1). */
    language: z
      .string()
      .regex(/^[a-z]{2,3}$/, 'an ISO 639-1 code such as "en"')
      .default('en'),
    /** PERSON, LOCATION and ORGANIZATION: the costliest recognizer; off trades recall for speed. */
    names: z.boolean().default(true),
    /** Region for phone numbers written without a country code (ISO 3166-1 alpha-2). */
    defaultRegion: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166 country code such as "US"')
      .default('US'),
    /** Private, loopback, link-local and documentation-range IP addresses: `redact` (default) or `keep`. */
    nonPublicIp: z.enum(['redact', 'keep']).default('redact'),
    /** Values never reported (exact, case-insensitive): the company's own support address, say. */
    allowList: z.array(z.string().min(1)).default([]),
    /** Values always reported as the given type: `{ PERSON: ["Jo Bloggs"] }`. */
    denyList: z.record(entityName, z.array(z.string().min(1))).default({}),
    customRecognizers: z.array(customRecognizerSchema).default([]),
    /** Operator per type, `DEFAULT` for the rest (default `replace`). */
    operators: z.record(z.union([entityName, z.literal('DEFAULT')]), operatorConfigSchema).default({}),
    /** Pseudonyms numbered per `document` (default) or across a `dataset`. */
    pseudonymScope: z.enum(['document', 'dataset']).default('document'),
    /** Environment variable that holds the secret for `hash` and `encrypt`. */
    keyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .default('LUMORA_PII_KEY'),
  })
  .strict();

export type PiiConfig = z.output<typeof piiConfigSchema>;
export type PiiConfigInput = z.input<typeof piiConfigSchema>;

export interface PiiEngine {
  analyzer: Analyzer;
  anonymizer: Anonymizer;
  config: PiiConfig;
}

/** A recognizer from a custom-recognizer config entry. */
export function customRecognizer(spec: z.output<typeof customRecognizerSchema>): Recognizer {
  const validate = spec.validator ? VALIDATORS[spec.validator] : undefined;
  return patternRecognizer({
    name: spec.name,
    entity: spec.entity,
    patterns: spec.patterns.map((p) => ({ regex: new RegExp(p.regex, spec.caseInsensitive ? 'giu' : 'gu'), score: p.score })),
    context: spec.context,
    ...(validate ? { validate } : {}),
  });
}

/** Every recognizer the config asks for: the defaults, its custom recognizers and its deny lists. */
export function recognizersFor(config: PiiConfig): Recognizer[] {
  return [
    ...defaultRecognizers({ defaultRegion: config.defaultRegion, names: config.names, nonPublicIp: config.nonPublicIp }),
    ...config.customRecognizers.map(customRecognizer),
    ...Object.entries(config.denyList).map(([entity, values]) => denyListRecognizer(entity, values)),
  ];
}

/** The analyzer a config describes (no operators, so no key needed: for analysis and evaluation). */
export function analyzerFor(config: PiiConfig): Analyzer {
  const custom = new Set([...config.customRecognizers.map((c) => c.entity), ...Object.keys(config.denyList)]);
  // A custom type is reported even when `entities` was left at its default list of built-ins.
  const entities = [...new Set([...config.entities, ...custom])];
  return createAnalyzer({
    recognizers: recognizersFor(config),
    entities,
    scoreThreshold: config.scoreThreshold,
    language: config.language,
    allowList: config.allowList,
  });
}

/**
 * The secret the config's operators need from the environment, or undefined when none needs one;
 * throws, naming the variable, when one is needed and missing. Callers that build the engine
 * elsewhere (pipeline workers) call it first to fail early.
 */
export function operatorKey(config: PiiConfig, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const needsKey = Object.values(config.operators).some((op) => op.type === 'hash' || op.type === 'encrypt');
  if (!needsKey) return undefined;
  const key = env[config.keyEnv];
  if (!key)
    throw new PiiError(`the hash and encrypt operators need a secret: set the ${config.keyEnv} environment variable (at least 16 bytes)`, {
      code: 'PII_KEY_MISSING',
    });
  return key;
}

export function createEngine(config: PiiConfig, env: Readonly<Record<string, string | undefined>> = process.env): PiiEngine {
  const analyzer = analyzerFor(config);
  const key = operatorKey(config, env);
  const anonymizer = createAnonymizer({
    operators: config.operators,
    pseudonymScope: config.pseudonymScope,
    ...(key ? { key } : {}),
  });
  return { analyzer, anonymizer, config };
}
