/**
 * @module The file a redactor or reader is given: it must exist and be a file, and the error
 * names it; JSONL and encrypted files are then read a line at a time.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { PiiError } from './errors.js';

/** Throws a PiiError naming `path` when it does not exist or is a directory. */
export function checkInputFile(path: string): void {
  if (!existsSync(path)) throw new PiiError(`${path}: no such file`, { code: 'PII_BAD_INPUT' });
  if (!statSync(path).isFile()) throw new PiiError(`${path}: is a directory, not a file`, { code: 'PII_BAD_INPUT' });
}

/** The lines of a UTF-8 file without their line endings (`\n` or `\r\n`); checked when first pulled. */
export async function* scanLines(path: string): AsyncIterable<string> {
  checkInputFile(path);
  yield* createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
}
