import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { lumora, ROOT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lumora-pii-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINES = [
  { text: 'Mail jane.doe@example.com or call (202) 555-0143.' },
  { text: 'Nothing to see here.' },
  { text: '👩‍👩‍👧 Ana Silva: card 4111 1111 1111 1111' },
];

describe('lumora pii (contract)', () => {
  it('analyze --json writes one findings line per input line, in order, with UTF-16 offsets and Presidio types', () => {
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, LINES.map((l) => JSON.stringify(l)).join('\n') + '\n{"no": "text"}\n');
    const r = lumora(['pii', 'analyze', file, '--json']);
    expect(r.status).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { findings: Array<{ type: string; start: number; end: number; score: number }>; error?: string });
    expect(out).toHaveLength(4);
    const [a, b, c, d] = out as [(typeof out)[0], (typeof out)[0], (typeof out)[0], (typeof out)[0]];
    expect(a.findings.map((f) => [f.type, LINES[0]!.text.slice(f.start, f.end)])).toEqual([
      ['EMAIL_ADDRESS', 'jane.doe@example.com'],
      ['PHONE_NUMBER', '(202) 555-0143'],
    ]);
    for (const f of a.findings) expect(Object.keys(f)).toEqual(expect.arrayContaining(['type', 'start', 'end', 'score']));
    expect(b.findings).toEqual([]);
    // The emoji is 8 UTF-16 code units: offsets count them as JavaScript does.
    expect(c.findings.map((f) => [f.type, LINES[2]!.text.slice(f.start, f.end)])).toEqual([
      ['PERSON', 'Ana Silva'],
      ['CREDIT_CARD', '4111 1111 1111 1111'],
    ]);
    expect(d).toEqual({ findings: [], error: 'line 4: expected a JSON object with a string "text"' });
    expect(r.stdout).not.toContain('jane.doe');
    expect(r.stderr).toMatch(/1 of 4 lines of .*in\.jsonl were skipped \(not JSON, or no string "text"\)/);
  });

  it('redact writes JSONL with operators, an audit log without values, and refuses to overwrite', () => {
    const file = join(dir, 'records.jsonl');
    writeFileSync(file, '{"id": 1, "body": "Ana Silva paid with 4111 1111 1111 1111", "author": "Ana Silva"}\nnot json but jane@example.com\n');
    const audit = join(dir, 'audit.jsonl');
    const r = lumora(['pii', 'redact', file, '--operator', 'PERSON=pseudonym', '--operator', 'CREDIT_CARD=mask:4', '--audit', audit, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'jsonl', records: 2, findings: { PERSON: 2, CREDIT_CARD: 1, EMAIL_ADDRESS: 1 } });
    const out = readFileSync(join(dir, 'records.redacted.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(out[0]!)).toEqual({ id: 1, body: '<PERSON_1> paid with **** **** **** 1111', author: '<PERSON_1>' });
    expect(out[1]).toBe('not json but <EMAIL_ADDRESS>');
    const log = readFileSync(audit, 'utf8');
    expect(log).toContain('"field":"body"');
    expect(log).not.toMatch(/Ana|4111|jane/);
    const again = lumora(['pii', 'redact', file]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/records\.redacted\.jsonl: already exists; pass --force/);
  });

  it('redact --columns rewrites a Parquet file; hash and encrypt need LUMORA_PII_KEY and decrypt reverses encrypt', async () => {
    const input = join(dir, 'people.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await conn.run(`COPY (SELECT 1 AS id, 'Call (202) 555-0143' AS note, 'Omar Haddad' AS name) TO '${input}' (FORMAT parquet)`);
    const out = join(dir, 'people.out.parquet');
    const r = lumora(['pii', 'redact', input, '--out', out, '--columns', 'note']);
    expect(r.status, r.stderr).toBe(0);
    const rows = (await conn.runAndReadAll(`SELECT * FROM read_parquet('${out}')`)).getRowObjectsJS();
    expect(rows).toEqual([{ id: 1, note: 'Call <PHONE_NUMBER>', name: 'Omar Haddad' }]);
    conn.closeSync();
    instance.closeSync();

    const text = join(dir, 'note.txt');
    writeFileSync(text, 'Dear Ana Silva,\nyour SSN 078-05-1120 is on file.\n');
    const noKey = lumora(['pii', 'redact', text, '--operator', 'DEFAULT=encrypt'], { env: { LUMORA_PII_KEY: '' } });
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toMatch(/set the LUMORA_PII_KEY environment variable/);
    const env = { LUMORA_PII_KEY: 'a key for the e2e test, long enough' };
    const enc = lumora(['pii', 'redact', text, '--operator', 'DEFAULT=encrypt', '--out', join(dir, 'note.enc.txt')], { env });
    expect(enc.status, enc.stderr).toBe(0);
    expect(readFileSync(join(dir, 'note.enc.txt'), 'utf8')).not.toMatch(/Ana|078-05/);
    const dec = lumora(['pii', 'decrypt', join(dir, 'note.enc.txt')], { env });
    expect(dec.stdout).toBe('Dear Ana Silva,\nyour SSN 078-05-1120 is on file.\n');
  });

  it('redact keeps a text file byte for byte outside the values, with one pseudonym numbering for the file', () => {
    const file = join(dir, 'letter.txt');
    writeFileSync(file, 'Dear Ana Silva,\r\n\r\nAna Silva owes 20; ask Omar Haddad.\r\nCall (202) 555-0143');
    const audit = join(dir, 'letter.audit.jsonl');
    const r = lumora(['pii', 'redact', file, '--operator', 'PERSON=pseudonym', '--audit', audit]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'letter.redacted.txt'), 'utf8')).toBe('Dear <PERSON_1>,\r\n\r\n<PERSON_1> owes 20; ask <PERSON_2>.\r\nCall <PHONE_NUMBER>');
    const first = JSON.parse(readFileSync(audit, 'utf8').split('\n')[0]!) as { findings: Array<{ start: number; end: number }> };
    expect(first.findings[0]).toMatchObject({ start: 5, end: 14 });
  });

  it('eval --json prints overall and per-type precision, recall and F1 for both engines', () => {
    const gold = join(ROOT, 'fixtures', 'pii', 'test.jsonl');
    const ours = JSON.parse(lumora(['pii', 'eval', gold, '--json']).stdout) as {
      overall: Record<string, number>;
      byType: Record<string, Record<string, number>>;
    };
    const theirs = JSON.parse(lumora(['pii', 'eval', gold, '--engine', 'redact-pii', '--json']).stdout) as typeof ours;
    expect(Object.keys(ours.overall)).toEqual(expect.arrayContaining(['precision', 'recall', 'f1']));
    expect(ours.byType.CREDIT_CARD!.f1).toBeGreaterThanOrEqual(0.95);
    expect(ours.overall.f1!).toBeGreaterThan(theirs.overall.f1!);
    expect(Object.keys(theirs.byType)).toEqual(Object.keys(ours.byType));
    const help = lumora(['pii', 'eval', '--help']).stdout;
    expect(help).toMatch(/overlaps a gold span of the same type/);
  });

  it('refuses to overwrite its input, to leave nested Parquet text unredacted, or to ignore a --fields path', async () => {
    const file = join(dir, 'self.txt');
    writeFileSync(file, 'Dear Ana Silva');
    const same = lumora(['pii', 'redact', file, '--out', file, '--force']);
    expect(same.status).toBe(2);
    expect(same.stderr).toMatch(/is the input file/);
    expect(readFileSync(file, 'utf8')).toBe('Dear Ana Silva');

    const nested = join(dir, 'nested.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await conn.run(`COPY (SELECT 'Ana Silva' AS name, ['bob@example.org'] AS tags) TO '${nested}' (FORMAT parquet)`);
    conn.closeSync();
    instance.closeSync();
    const n = lumora(['pii', 'redact', nested]);
    expect(n.status).toBe(2);
    expect(n.stderr).toMatch(/tags \(VARCHAR\[\]\) hold text inside lists or structs/);

    const jsonl = join(dir, 'fields.jsonl');
    writeFileSync(jsonl, '{"a": "Ana Silva"}\n');
    const f = lumora(['pii', 'redact', jsonl, '--fields', 'nosuch.path']);
    expect(f.status).toBe(2);
    expect(f.stderr).toMatch(/--fields nosuch.path: no record of .* has this field/);
  });

  it.skipIf(!existsSync('/dev/full'))('redact names an output it cannot write (a full disk), exits 2 and leaves no audit log', () => {
    const file = join(dir, 'full.txt');
    writeFileSync(file, 'Mail jane.doe@example.com.\n'.repeat(20_000));
    const audit = join(dir, 'full.audit.jsonl');
    const r = lumora(['pii', 'redact', file, '--out', '/dev/full', '--force', '--audit', audit]);
    expect(r.stderr.trim()).toBe('lumora: /dev/full: cannot write (ENOSPC)');
    expect(r.status).toBe(2);
    expect(existsSync(audit)).toBe(false);
  });

  it('names a bad gold line and a bad option', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"text": "x", "entities": [{"type": "PERSON", "start": 0, "end": 5}]}\n');
    const r = lumora(['pii', 'eval', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bad.jsonl:1: entities.0: span 0-5 is empty or outside the text (length 1)');
    const op = lumora(['pii', 'redact', bad, '--operator', 'PERSON=shred']);
    expect(op.status).not.toBe(0);
    expect(op.stderr).toMatch(/"PERSON=shred" is not TYPE=OPERATOR\[:PARAM\]/);
  });
});
