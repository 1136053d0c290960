import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, piiConfigSchema, redactText, type Finding } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'lumora-pii-text-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { analyzer, anonymizer } = createEngine(piiConfigSchema.parse({ operators: { PERSON: { type: 'pseudonym' } } }));

describe('redactText', () => {
  it('keeps the file byte for byte outside the values, CRLF and a missing final newline included', async () => {
    const input = join(dir, 'letter.txt');
    const output = join(dir, 'letter.out.txt');
    writeFileSync(input, 'Dear Ana Silva,\r\n\r\nAna Silva owes 20; ask Omar Haddad.\r\nCall (202) 555-0143');
    const pieces = await redactText(input, output, { analyzer, anonymizer });
    expect(pieces).toBe(1);
    expect(readFileSync(output, 'utf8')).toBe('Dear <PERSON_1>,\r\n\r\n<PERSON_1> owes 20; ask <PERSON_2>.\r\nCall <PHONE_NUMBER>');
  });

  it('streams a large file in pieces cut at blank lines, with one pseudonym numbering and offsets from the start of the file', async () => {
    const input = join(dir, 'big.txt');
    const output = join(dir, 'big.out.txt');
    // Each paragraph is 100 characters, so 2,000 of them (200 KB) need several 64 KB pieces.
    const paragraph = (i: number) => `Paragraph ${String(i).padStart(4, '0')}: write to Ana Silva at ana.silva@example.com today.`.padEnd(98, '.') + '\n\n';
    const text = Array.from({ length: 2000 }, (_, i) => paragraph(i)).join('');
    writeFileSync(input, text);
    const reported: Array<[number, Finding[]]> = [];
    const pieces = await redactText(input, output, { analyzer, anonymizer, onFindings: (piece, findings) => void reported.push([piece, findings]) });
    expect(pieces).toBeGreaterThan(1);
    const redacted = readFileSync(output, 'utf8');
    expect(redacted).toBe(text.replaceAll('Ana Silva', '<PERSON_1>').replaceAll('ana.silva@example.com', '<EMAIL_ADDRESS>'));
    expect(reported.map(([piece]) => piece)).toEqual([...Array(pieces).keys()]);
    const spans = reported.flatMap(([, findings]) => findings);
    expect(spans).toHaveLength(4000);
    for (const f of spans) expect(text.slice(f.start, f.end)).toBe(f.type === 'PERSON' ? 'Ana Silva' : 'ana.silva@example.com');
  });

  it('names an input that does not exist and writes nothing', async () => {
    const output = join(dir, 'never.txt');
    await expect(redactText(join(dir, 'missing.txt'), output, { analyzer, anonymizer })).rejects.toThrow(`${join(dir, 'missing.txt')}: no such file`);
    expect(() => readFileSync(output)).toThrow(/ENOENT/);
  });
});
