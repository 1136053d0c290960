/**
 * @module Flag value parsers shared by the commands; each rejects bad values with a message
 * that names the value.
 */
import { InvalidArgumentError } from 'commander';

export function intOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not a non-negative integer.`);
  return n;
}

export function listOption(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The data home when `--home` is not given: `LUMORA_HOME`, else `./.lumora`. Read here, at the edge, only. */
export const DEFAULT_HOME = process.env.LUMORA_HOME ?? './.lumora';
