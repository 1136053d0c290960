/**
 * @module The engine flags the pii subcommands share (`--config`, `--entities`, `--threshold`,
 * …, and redact's `--operator`), and `engineConfig`, which merges them over the config file.
 */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../../../pipeline/errors.js';
import { ENTITY_TYPES, OPERATOR_NAMES, piiConfigSchema, type OperatorConfig, type PiiConfig } from '../../../pii/index.js';
import { listOption } from '../../options.js';
import { readConfigFile } from '../../read-config-file.js';

export interface EngineFlags {
  config?: string;
  entities?: string[];
  threshold?: number;
  language?: string;
  names?: boolean;
  region?: string;
  keepNonPublicIp?: boolean;
  allow?: string[];
  operator?: Record<string, OperatorConfig>;
  pseudonymScope?: 'document' | 'dataset';
}

export function thresholdOption(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError(`"${value}" is not a score between 0 and 1.`);
  return n;
}

/** `TYPE=replace`, `CREDIT_CARD=mask:4`, `PERSON=pseudonym`, `DEFAULT=hash:24`. */
export function operatorOption(value: string, previous: Record<string, OperatorConfig> = {}): Record<string, OperatorConfig> {
  const m = /^([A-Z][A-Z0-9_]*)=([a-z]+)(?::(.*))?$/.exec(value);
  if (!m || !OPERATOR_NAMES.includes(m[2] as (typeof OPERATOR_NAMES)[number])) {
    throw new InvalidArgumentError(`"${value}" is not TYPE=OPERATOR[:PARAM] with OPERATOR one of ${OPERATOR_NAMES.join(', ')}.`);
  }
  const [, type, name, param] = m as unknown as [string, string, OperatorConfig['type'], string | undefined];
  const num = (what: string) => {
    const n = Number(param);
    if (!Number.isInteger(n)) throw new InvalidArgumentError(`"${value}": ${what} must be an integer.`);
    return n;
  };
  const op: OperatorConfig =
    name === 'mask'
      ? { type: 'mask', ...(param ? { keep: num('the number of characters to keep') } : {}) }
      : name === 'hash'
        ? { type: 'hash', ...(param ? { chars: num('the number of hex characters') } : {}) }
        : name === 'replace'
          ? { type: 'replace', ...(param !== undefined ? { with: param } : {}) }
          : ({ type: name } as OperatorConfig);
  return { ...previous, [type]: op };
}

/** Adds the flags every subcommand that runs the analyzer takes. */
export function withEngineOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'YAML or JSON: a pii config, or a pipeline config whose `pii` section is used')
    .option('--entities <list>', 'only these types (comma-separated Presidio names)', listOption)
    .option('--threshold <score>', 'report findings scoring at least this (default 0.5)', thresholdOption)
    .option('--language <code>', 'language of the text, ISO 639-1 (default en)')
    .option('--no-names', 'skip PERSON, LOCATION and ORGANIZATION (much faster)')
    .option('--region <CC>', 'region for phone numbers without a country code (default US)')
    .option('--keep-non-public-ip', 'leave private, loopback and documentation-range IP addresses alone')
    .option('--allow <list>', 'values never reported (comma-separated, case-insensitive)', listOption);
}

/** The config file's settings, overridden by the flags, validated by the engine's schema. */
export function engineConfig(o: EngineFlags): PiiConfig {
  let base: Record<string, unknown> = {};
  let fromPipelineConfig = false;
  if (o.config) {
    const file = readConfigFile(o.config);
    fromPipelineConfig = typeof file.pii === 'object' && file.pii !== null;
    base = (fromPipelineConfig ? file.pii : file) as Record<string, unknown>;
  }
  const merged = {
    ...base,
    ...(o.entities ? { entities: o.entities } : {}),
    ...(o.threshold !== undefined ? { scoreThreshold: o.threshold } : {}),
    ...(o.language ? { language: o.language } : {}),
    ...(o.names === false ? { names: false } : {}),
    ...(o.region ? { defaultRegion: o.region.toUpperCase() } : {}),
    ...(o.keepNonPublicIp ? { nonPublicIp: 'keep' } : {}),
    ...(o.allow ? { allowList: o.allow } : {}),
    ...(o.operator ? { operators: { ...((base.operators as object | undefined) ?? {}), ...o.operator } } : {}),
    ...(o.pseudonymScope ? { pseudonymScope: o.pseudonymScope } : {}),
  };
  const parsed = piiConfigSchema.safeParse(merged);
  const prefix = fromPipelineConfig ? 'pii.' : '';
  if (!parsed.success) {
    const where = o.config ? `config ${o.config}` : 'options';
    const field = (path: PropertyKey[]) => (path.length > 0 ? prefix + path.join('.') : prefix ? 'pii' : '(root)');
    throw new ConfigError(`${where}: ${parsed.error.issues.map((i) => `${field(i.path)}: ${i.message}`).join('; ')}`);
  }
  // A misspelt type would otherwise match nothing and report nothing.
  const known = new Set<string>([...ENTITY_TYPES, ...parsed.data.customRecognizers.map((c) => c.entity), ...Object.keys(parsed.data.denyList)]);
  const unknownEntities = parsed.data.entities.filter((e) => !known.has(e));
  const unknownOperators = Object.keys(parsed.data.operators).filter((t) => t !== 'DEFAULT' && !known.has(t));
  if (unknownEntities.length > 0 || unknownOperators.length > 0) {
    const names = [...new Set([...unknownEntities, ...unknownOperators])];
    throw new ConfigError(`unknown entity type ${names.join(', ')}: the types are ${ENTITY_TYPES.join(', ')} and those of custom recognizers`);
  }
  return parsed.data;
}
