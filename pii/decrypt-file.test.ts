import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnonymizer, createEngine, piiConfigSchema, scanDecryptedLines } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'lumora-pii-decrypt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KEY = 'a key for the decrypt test, long enough';

async function lines(file: string, key: string): Promise<string[]> {
  const out: string[] = [];
  for await (const line of scanDecryptedLines(file, key)) out.push(line);
  return out;
}

describe('scanDecryptedLines', () => {
  it('restores what the encrypt operator wrote, line by line', async () => {
    const { analyzer } = createEngine(piiConfigSchema.parse({}));
    const anonymizer = createAnonymizer({ operators: { DEFAULT: { type: 'encrypt' } }, key: KEY });
    const plain = ['Mail jane.doe@example.com', 'no data here', 'Call (202) 555-0143'];
    const file = join(dir, 'enc.txt');
    writeFileSync(file, plain.map((l) => anonymizer.anonymize(l, analyzer.analyze(l)).text).join('\r\n') + '\n');
    expect(await lines(file, KEY)).toEqual(plain);
  });

  it('names the file and line of a value that does not decrypt', async () => {
    const { analyzer } = createEngine(piiConfigSchema.parse({}));
    const anonymizer = createAnonymizer({ operators: { DEFAULT: { type: 'encrypt' } }, key: KEY });
    const file = join(dir, 'other-key.txt');
    writeFileSync(file, 'fine\n' + anonymizer.anonymize('Mail jane.doe@example.com', analyzer.analyze('Mail jane.doe@example.com')).text + '\n');
    await expect(lines(file, 'not the key it was written with')).rejects.toThrow(new RegExp(`^${file}:2: an encrypted EMAIL_ADDRESS value did not decrypt`));
  });
});
