/**
 * @module Loads the run config: a YAML or JSON file, overridden by flags, validated once by the
 * pipeline's schema. Errors name the file and the field.
 */
import { parsePipelineConfig, type PipelineConfig } from '../pipeline/index.js';
import { readConfigFile } from './read-config-file.js';

type Json = Record<string, unknown>;

/** Reads `path` (YAML or JSON), merges `overrides` over it and validates the result. */
export function loadConfig(path: string | undefined, overrides: Json): PipelineConfig {
  const fromFile = path ? readConfigFile(path) : {};
  return parsePipelineConfig(deepMerge(fromFile, overrides), path ? `config ${path}` : 'config');
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
