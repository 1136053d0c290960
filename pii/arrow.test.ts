import { describe, expect, it } from 'vitest';
import { Int32, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { createEngine, piiConfigSchema, redactArrow } from './index.js';

const { analyzer, anonymizer } = createEngine(piiConfigSchema.parse({}));

function input(format: 'file' | 'stream'): Uint8Array {
  const table = new Table({
    id: vectorFromArray([1, 2, 3], new Int32()),
    body: vectorFromArray(['Mail ana@example.com now', null, 'nothing here'], new Utf8()),
    note: vectorFromArray(['Omar Haddad called', 'x', 'y'], new Utf8()),
  });
  return tableToIPC(table, format);
}

describe('redactArrow', () => {
  for (const format of ['file', 'stream'] as const) {
    it(`redacts the chosen string columns of an IPC ${format} and keeps its format, rows and other columns`, () => {
      const found: Array<[number, string]> = [];
      const r = redactArrow(input(format), { analyzer, anonymizer, columns: ['body'], onFindings: (row, col) => found.push([row, col]) });
      expect(r.rows).toBe(3);
      expect(String.fromCharCode(...r.bytes.subarray(0, 6)) === 'ARROW1').toBe(format === 'file');
      const rows = tableFromIPC(r.bytes)
        .toArray()
        .map((row) => row.toJSON());
      expect(rows).toEqual([
        { id: 1, body: 'Mail <EMAIL_ADDRESS> now', note: 'Omar Haddad called' },
        { id: 2, body: null, note: 'x' },
        { id: 3, body: 'nothing here', note: 'y' },
      ]);
      expect(found).toEqual([[0, 'body']]);
    });
  }

  it('redacts every string column by default and names a column that is not text', () => {
    const r = redactArrow(input('stream'), { analyzer, anonymizer });
    expect(r.columns).toEqual(['body', 'note']);
    expect(tableFromIPC(r.bytes).getChild('note')?.get(0)).toBe('<PERSON> called');
    expect(() => redactArrow(input('stream'), { analyzer, anonymizer, columns: ['id'] })).toThrow(/column "id" is Int32, not text/);
    expect(() => redactArrow(new Uint8Array([1, 2, 3]), { analyzer, anonymizer })).toThrow(/not Arrow IPC data/);
  });
});
