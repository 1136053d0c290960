/**
 * @module Reads a YAML or JSON config file, on its own so that commands which only need the file
 * (`lumora pii`) do not load the pipeline to get it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../pipeline/errors.js';

type Json = Record<string, unknown>;

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
