import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileFormatOf, looksBinary } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'lumora-pii-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fileFormatOf', () => {
  it.each([
    ['a.parquet', 'parquet'],
    ['a.PARQUET', 'parquet'],
    ['a.arrow', 'arrow'],
    ['a.arrows', 'arrow'],
    ['a.ipc', 'arrow'],
    ['a.feather', 'arrow'],
    ['a.jsonl', 'jsonl'],
    ['a.ndjson', 'jsonl'],
    ['a.json', 'text'],
    ['README', 'text'],
  ])('reads %s as %s', (file, format) => {
    expect(fileFormatOf(file)).toBe(format);
  });

  it('takes a named format over the extension and rejects an unknown one', () => {
    expect(fileFormatOf('a.txt', 'jsonl')).toBe('jsonl');
    expect(() => fileFormatOf('a.txt', 'csv')).toThrow('--format "csv" is not one of text, jsonl, parquet, arrow');
  });
});

describe('looksBinary', () => {
  it('tells Parquet, Arrow and NUL-bearing files from text', () => {
    const file = (name: string, bytes: string | Uint8Array) => {
      writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    };
    expect(looksBinary(file('p', 'PAR1xxxx'))).toBe(true);
    expect(looksBinary(file('a', 'ARROW1\0\0'))).toBe(true);
    expect(looksBinary(file('z', new Uint8Array([104, 105, 0, 33])))).toBe(true);
    expect(looksBinary(file('t', 'plain text\n'))).toBe(false);
    expect(looksBinary(file('e', ''))).toBe(false);
  });
});
