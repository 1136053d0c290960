/**
 * @module The checks an output path passes before a pii subcommand writes anything, so a bad
 * `--out` or `--audit` fails at once, naming the flag, instead of after a long run.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PiiError } from '../../../pii/index.js';

/** An output file that can be written, is not the input, and is not overwritten unasked. */
export function checkOutput(path: string, input: string, force: boolean | undefined, flag: string): void {
  if (resolve(path) === resolve(input)) throw new PiiError(`${flag} ${path}: is the input file; write the result to another file`, { code: 'PII_BAD_OUTPUT' });
  if (!existsSync(dirname(resolve(path)))) throw new PiiError(`${flag} ${path}: the folder ${dirname(path)} does not exist`, { code: 'PII_BAD_OUTPUT' });
  if (existsSync(path) && statSync(path).isDirectory()) throw new PiiError(`${flag} ${path}: is a directory`, { code: 'PII_BAD_OUTPUT' });
  if (existsSync(path) && !force) throw new PiiError(`${path}: already exists; pass --force to overwrite it or choose ${flag}`, { code: 'PII_BAD_OUTPUT' });
}
