/**
 * @module Loads the run config: a YAML or JSON file, overridden by flags, validated once by the
 * pipeline's schema. Errors name the file and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError, parsePipelineConfig, type PipelineConfig } from '../pipeline/index.js';

type Json = Record<string, unknown>;

/** Reads `path` (YAML or JSON), merges `overrides` over it and validates the result. */
export function loadConfig(path: string | undefined, overrides: Json): PipelineConfig {
  const fromFile = path ? readConfigFile(path) : {};
  return parsePipelineConfig(deepMerge(fromFile, overrides), path ? `config ${path}` : 'config');
}

/** Reads a YAML or JSON config file as a mapping; the error names the file and what is wrong. */
export function readConfigFile(path: string): Json {
  if (!existsSync(path)) throw new ConfigError(`config ${path}: no such file`);
  const raw = readFileSync(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = path.endsWith('.json') ? JSON.parse(raw) : parseYaml(raw);
  } catch (cause) {
    throw new ConfigError(`config ${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'} (${(cause as Error).message.split('\n')[0]})`, {
      cause,
    });
  }
  if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) {
    throw new ConfigError(`config ${path}: expected a mapping of sections (runner, crawl, extract, …) at the top level`);
  }
  return (parsed ?? {}) as Json;
}

/** Merges plain objects recursively; `override` wins; arrays are replaced, not concatenated. */
export function deepMerge(base: Json, override: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === undefined) continue;
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge(b, v) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
