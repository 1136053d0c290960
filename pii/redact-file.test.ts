import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { createEngine, piiConfigSchema, redactFile } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'lumora-pii-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { analyzer, anonymizer, config } = createEngine(piiConfigSchema.parse({}));
const engine = { analyzer, anonymizer, language: config.language };
/** A case's input, written with `content`, and where its output and audit log go. */
function files(name: string, content: string | Uint8Array) {
  const ext = extname(name);
  const base = join(dir, name.slice(0, -ext.length));
  writeFileSync(join(dir, name), content);
  return { input: join(dir, name), output: `${base}.out${ext}`, auditPath: `${base}.audit.jsonl` };
}
const auditLines = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('redactFile', () => {
  it('redacts JSONL, counts findings by type and writes an audit log of fields and spans without values', async () => {
    const { input, output, auditPath } = files('posts.jsonl', '{"body": "Mail jane.doe@example.com", "n": 3}\n{"body": "nothing here"}\n');
    const r = await redactFile({ input, output, format: 'jsonl', ...engine, auditPath });
    expect(r).toEqual({ records: 2, findings: { EMAIL_ADDRESS: 1 } });
    expect(readFileSync(output, 'utf8')).toBe('{"body":"Mail <EMAIL_ADDRESS>","n":3}\n{"body":"nothing here"}\n');
    expect(auditLines(auditPath)).toEqual([
      { record: 0, field: 'body', findings: [{ type: 'EMAIL_ADDRESS', start: 5, end: 25, score: 1, recognizer: 'email' }] },
    ]);
  });

  it('redacts text as pieces, with audit offsets into the file', async () => {
    const { input, output, auditPath } = files('note.txt', 'Call (202) 555-0143 or mail jane.doe@example.com.\n');
    const r = await redactFile({ input, output, format: 'text', ...engine, auditPath });
    expect(r).toEqual({ records: 1, findings: { PHONE_NUMBER: 1, EMAIL_ADDRESS: 1 } });
    expect(readFileSync(output, 'utf8')).toBe('Call <PHONE_NUMBER> or mail <EMAIL_ADDRESS>.\n');
    const [line] = auditLines(auditPath) as [{ record: number; findings: Array<{ start: number; end: number }> }];
    expect(line.record).toBe(0);
    expect(line.findings.map((f) => [f.start, f.end])).toEqual([
      [5, 19],
      [28, 48],
    ]);
    expect(readFileSync(auditPath, 'utf8')).not.toMatch(/555|jane/);
  });

  it('redacts an Arrow file into one of the same IPC format and audits each cell by row and column', async () => {
    const { input, output, auditPath } = files(
      'people.arrow',
      tableToIPC(new Table({ note: vectorFromArray(['x', 'Mail ana@example.com'], new Utf8()) }), 'file'),
    );
    const r = await redactFile({ input, output, format: 'arrow', ...engine, auditPath });
    expect(r).toEqual({ records: 2, columns: ['note'], findings: { EMAIL_ADDRESS: 1 } });
    expect(tableFromIPC(readFileSync(output)).getChild('note')?.toArray()).toEqual(['x', 'Mail <EMAIL_ADDRESS>']);
    expect(auditLines(auditPath)).toMatchObject([{ record: 1, field: 'note' }]);
  });

  it('redacts the chosen columns of a Parquet file', async () => {
    const input = join(dir, 'people.parquet');
    const output = join(dir, 'people.out.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      await conn.run(`COPY (SELECT 'Call (202) 555-0143' AS note, 'Call (202) 555-0143' AS kept) TO '${input}' (FORMAT parquet)`);
      const r = await redactFile({ input, output, format: 'parquet', ...engine, columns: ['note'] });
      expect(r).toEqual({ records: 1, columns: ['note'], findings: { PHONE_NUMBER: 1 } });
      expect((await conn.runAndReadAll(`SELECT * FROM read_parquet('${output}')`)).getRowObjectsJS()).toEqual([
        { note: 'Call <PHONE_NUMBER>', kept: 'Call (202) 555-0143' },
      ]);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it('leaves no audit log behind when the redaction fails part-way', async () => {
    const { input, output, auditPath } = files('typo.jsonl', '{"body": "Mail jane.doe@example.com"}\n{"body": "x"}\n');
    await expect(redactFile({ input, output, format: 'jsonl', ...engine, auditPath, fields: ['body', 'nosuch'] })).rejects.toThrow(/nosuch/);
    expect(existsSync(output)).toBe(false);
    expect(existsSync(auditPath)).toBe(false);
  });

  it('names the file when it is not in the format it was given as', async () => {
    const { input, output } = files('fake.arrow', 'not arrow at all');
    await expect(redactFile({ input, output, format: 'arrow', ...engine })).rejects.toThrow(new RegExp(`^${input}: not Arrow IPC data`));
  });
});
