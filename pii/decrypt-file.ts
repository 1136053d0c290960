/**
 * @module Reversing the encrypt operator over a text or JSONL file, a line at a time, so a file
 * of any size streams; an error names the file and line, never the text.
 */
import { decryptText } from './anonymizer.js';
import { withFileName } from './errors.js';
import { scanLines } from './input-file.js';

/**
 * The lines of `file` (without line endings) with every encrypted value restored.
 *
 * @example
 * for await (const line of scanDecryptedLines('notes.enc.txt', key)) process.stdout.write(line + '\n');
 */
export async function* scanDecryptedLines(file: string, key: string | Uint8Array): AsyncIterable<string> {
  let lineNo = 0;
  for await (const line of scanLines(file)) {
    lineNo++;
    yield withFileName(`${file}:${lineNo}`, () => decryptText(line, key));
  }
}
