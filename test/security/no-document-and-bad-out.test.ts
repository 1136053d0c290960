// Issue 11, medium (a clumsy user): random bytes named .warc, or an empty input, "succeeded" with
// exit 0 and published a 0-row dataset; an --out that is a file, or cannot be written, ended in a
// stack trace. Each must end non-zero with one line naming the path and what is wrong.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { lumora } from '../e2e/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'lumora-clumsy-'));
afterAll(() => {
  chmodSync(root, 0o755);
  rmSync(root, { recursive: true, force: true });
});

const GOOD_LINE = JSON.stringify({ url: 'https://a.example/', text: 'The library opens at nine on weekdays and at ten on Saturdays.' }) + '\n';

/** The lines lumora printed on stderr, apart from warnings about skipped inputs. */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l !== '' && !l.startsWith('warn '));
}

describe('a run that reads no document fails and publishes nothing', () => {
  const cases: Array<[string, string, () => Buffer, RegExp]> = [
    ['random bytes named .warc', 'noise.warc', () => randomBytes(64 * 1024), /\(skipped: not_warc 1\)/],
    ['gzipped random bytes named .warc.gz', 'noise.warc.gz', () => gzipSync(randomBytes(64 * 1024)), /\(skipped: not_warc 1\)/],
    ['an empty .warc file', 'empty.warc', () => Buffer.alloc(0), /\(skipped: not_warc 1\)/],
    ['an empty .jsonl file', 'empty.jsonl', () => Buffer.alloc(0), /\(no records in it\)/],
    ['a .jsonl file of blank lines and broken JSON', 'broken.jsonl', () => Buffer.from('\n\n{"url": \nnot json\n'), /\(skipped: invalid_json 2\)/],
  ];
  for (const [what, name, bytes, detail] of cases) {
    it(`exits non-zero for ${what}, saying no document was read, and publishes nothing`, () => {
      const dir = mkdtempSync(join(root, 'input-'));
      const input = join(dir, name);
      writeFileSync(input, bytes());
      const home = join(dir, 'home');
      const r = lumora(['run', input, '--out', join(dir, 'out'), '--home', home, '--publish', '--workers', '0']);
      expect(r.status).toBe(2);
      const lines = errorLines(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^lumora: input ${input.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no document was read`));
      expect(lines[0]).toMatch(detail);
      expect(r.stdout).toBe('');
      expect(existsSync(join(dir, 'out'))).toBe(false);
      expect(JSON.parse(lumora(['datasets', '--home', home, '--json']).stdout)).toEqual([]);
    });
  }

  it('names every input when several read nothing', () => {
    const dir = mkdtempSync(join(root, 'inputs-'));
    const a = join(dir, 'a.warc');
    const b = join(dir, 'b.jsonl');
    writeFileSync(a, randomBytes(1000));
    writeFileSync(b, '');
    const r = lumora(['run', a, b, '--out', join(dir, 'out'), '--home', join(dir, 'home'), '--workers', '0']);
    expect(r.status).toBe(2);
    expect(errorLines(r.stderr)).toEqual([`lumora: inputs ${a}, ${b}: no document was read (skipped: not_warc 1); nothing was written`]);
  });
});

describe('an --out (or --home) that cannot receive the dataset', () => {
  const input = join(root, 'good.jsonl');
  writeFileSync(input, GOOD_LINE);

  function expectOneLine(out: string, rule: RegExp): void {
    const r = lumora(['run', input, '--out', out, '--home', join(root, 'home-out'), '--workers', '0']);
    expect(r.status).toBe(2);
    const lines = errorLines(r.stderr);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toContain(`lumora: output ${out}: `);
    expect(lines[0]).toMatch(rule);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain('unexpected error');
  }

  it('refuses an --out that is a file', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    expectOneLine(file, /exists and is not a directory/);
  });

  it('refuses an --out below a file', () => {
    const file = join(root, 'another-file');
    writeFileSync(file, 'x');
    expectOneLine(join(file, 'dataset'), new RegExp(`${file}.* is not a directory`));
  });

  it('refuses a --home that is a file, before any work', () => {
    const file = join(root, 'home-file');
    writeFileSync(file, 'x');
    const r = lumora(['run', input, '--out', join(root, 'out-home-file'), '--home', file, '--workers', '0']);
    expect(r.status).toBe(2);
    expect(errorLines(r.stderr)).toEqual([`lumora: data home ${file}: exists and is not a directory; choose another --home`]);
  });

  it('refuses an --out in a directory it cannot write', () => {
    // Permission bits do not stop root; the kernel's /proc/sys refuses even root new entries.
    let parent = '/proc/sys';
    if (process.getuid?.() !== 0) {
      parent = join(root, 'read-only');
      mkdirSync(parent);
      chmodSync(parent, 0o555);
    }
    expectOneLine(join(parent, 'lumora-test', 'dataset'), new RegExp(`cannot be created: ${parent} is not writable \\(EACCES\\)`));
  });
});
