/**
 * @module Which format a file to redact is in: the one named, or else the one its extension
 * says; and whether a file's first bytes show it is binary, which the line readers refuse.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { PiiError } from './errors.js';

/** The formats `redactFile` reads and writes. */
export const FILE_FORMATS = ['text', 'jsonl', 'parquet', 'arrow'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

const isFileFormat = (s: string): s is FileFormat => (FILE_FORMATS as readonly string[]).includes(s);

/** `given` when it is a format (from `--format`), else from the extension; anything unknown is text. */
export function fileFormatOf(file: string, given?: string): FileFormat {
  if (given) {
    if (!isFileFormat(given)) throw new PiiError(`--format "${given}" is not one of ${FILE_FORMATS.join(', ')}`, { code: 'PII_BAD_OPTION' });
    return given;
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.parquet') return 'parquet';
  if (ext === '.arrow' || ext === '.arrows' || ext === '.ipc' || ext === '.feather') return 'arrow';
  return ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : 'text';
}

/** Parquet ("PAR1") and Arrow ("ARROW1") files start with magic bytes; text has no NUL in its first KB. */
export function looksBinary(file: string): boolean {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(1024);
  let n: number;
  try {
    n = readSync(fd, head, 0, 1024, 0);
  } finally {
    closeSync(fd);
  }
  head.fill(32, n);
  return head.subarray(0, 4).toString() === 'PAR1' || head.subarray(0, 6).toString() === 'ARROW1' || head.includes(0);
}
