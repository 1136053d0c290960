import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, piiConfigSchema, redactJsonl } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'lumora-pii-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { analyzer, anonymizer } = createEngine(piiConfigSchema.parse({ operators: { PERSON: { type: 'pseudonym' }, CREDIT_CARD: { type: 'mask', keep: 4 } } }));

const LINES = [
  '{"id": 1, "body": "Ana Silva paid with 4111 1111 1111 1111", "author": {"name": "Ana Silva"}}',
  'not json but jane@example.com',
  '',
  '[1, 2]',
].join('\n');

describe('redactJsonl', () => {
  it('redacts every string of each record, and lines that are not objects as text, one output line per input line', async () => {
    const input = join(dir, 'all.jsonl');
    const output = join(dir, 'all.out.jsonl');
    writeFileSync(input, LINES + '\n');
    const found: Array<[number, string | undefined, string[]]> = [];
    const warnings: string[] = [];
    const n = await redactJsonl(input, output, {
      analyzer,
      anonymizer,
      onFindings: (record, field, findings) => void found.push([record, field, findings.map((f) => f.type)]),
      warn: (m) => void warnings.push(m),
    });
    expect(n).toBe(4);
    expect(readFileSync(output, 'utf8').split('\n')).toEqual([
      '{"id":1,"body":"<PERSON_1> paid with **** **** **** 1111","author":{"name":"<PERSON_1>"}}',
      'not json but <EMAIL_ADDRESS>',
      '',
      '[1, 2]',
      '',
    ]);
    expect(found).toEqual([
      [0, 'body', ['PERSON', 'CREDIT_CARD']],
      [0, 'author.name', ['PERSON']],
      [1, undefined, ['EMAIL_ADDRESS']],
    ]);
    expect(warnings).toEqual([`2 of 4 lines of ${input} were not JSON objects; they were redacted as plain text`]);
  });

  it('redacts only the named fields, dotted paths reaching into nested objects', async () => {
    const input = join(dir, 'fields.jsonl');
    const output = join(dir, 'fields.out.jsonl');
    writeFileSync(input, LINES.split('\n')[0] + '\n');
    await redactJsonl(input, output, { analyzer, anonymizer, fields: ['author.name'] });
    expect(JSON.parse(readFileSync(output, 'utf8'))).toEqual({ id: 1, body: 'Ana Silva paid with 4111 1111 1111 1111', author: { name: '<PERSON_1>' } });
  });

  it('fails on a field no record has, naming the field and the file, and leaves no output', async () => {
    const input = join(dir, 'typo.jsonl');
    const output = join(dir, 'typo.out.jsonl');
    writeFileSync(input, '{"a": "Ana Silva"}\n');
    await expect(redactJsonl(input, output, { analyzer, anonymizer, fields: ['a', 'nosuch.path'] })).rejects.toThrow(
      `--fields nosuch.path: no record of ${input} has this field, so nothing would be redacted there; no output was written`,
    );
    expect(existsSync(output)).toBe(false);
  });

  it('names an input that is a directory', async () => {
    await expect(redactJsonl(dir, join(dir, 'x.jsonl'), { analyzer, anonymizer })).rejects.toThrow(`${dir}: is a directory, not a file`);
  });
});
