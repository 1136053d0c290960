/**
 * @module Redacting Arrow IPC data (the file format, `.arrow`, or the stream format, `.arrows`):
 * the chosen string columns are rewritten, every other column is passed through, and the output
 * keeps the input's format. Arrow files are read whole; use Parquet for data larger than memory.
 */
import { DataType, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import type { ColumnRedactOptions, ColumnRedaction } from './columns.js';
import { PiiError } from './errors.js';

const isString = (t: DataType) => DataType.isUtf8(t) || DataType.isLargeUtf8(t) || (DataType.isDictionary(t) && DataType.isUtf8(t.dictionary));

/** Redacts `input` (Arrow IPC bytes) and returns the output bytes, in the same IPC format. */
export function redactArrow(input: Uint8Array, opts: ColumnRedactOptions): ColumnRedaction & { bytes: Uint8Array } {
  let table: Table;
  try {
    table = tableFromIPC(input);
  } catch (cause) {
    throw new PiiError(`not Arrow IPC data (${(cause as Error).message})`, { code: 'PII_BAD_INPUT', cause });
  }
  const fields = table.schema.fields;
  // apache-arrow reads bytes that are not IPC as an empty table rather than failing.
  if (fields.length === 0) throw new PiiError('not Arrow IPC data (no schema found)', { code: 'PII_BAD_INPUT' });
  let columns: string[];
  if (opts.columns && opts.columns.length > 0) {
    for (const c of opts.columns) {
      const field = fields.find((f) => f.name === c);
      if (!field) throw new PiiError(`--columns: there is no column "${c}" (there are: ${fields.map((f) => f.name).join(', ')})`, { code: 'PII_BAD_INPUT' });
      if (!isString(field.type)) throw new PiiError(`--columns: column "${c}" is ${String(field.type)}, not text`, { code: 'PII_BAD_INPUT' });
    }
    columns = [...opts.columns];
  } else {
    columns = fields.filter((f) => isString(f.type)).map((f) => f.name);
    if (columns.length === 0) throw new PiiError('the Arrow data has no string columns to redact', { code: 'PII_BAD_INPUT' });
  }
  const out: Record<string, Vector> = {};
  for (const field of fields) {
    const vector = table.getChild(field.name) as Vector;
    if (!columns.includes(field.name)) {
      out[field.name] = vector;
      continue;
    }
    const values: Array<string | null> = [];
    for (let row = 0; row < vector.length; row++) {
      const value = vector.get(row) as string | null;
      if (value === null || value === undefined) {
        values.push(null);
        continue;
      }
      const findings = opts.analyzer.analyze(value, opts.language ? { language: opts.language } : {});
      if (findings.length > 0) opts.onFindings?.(row, field.name, findings);
      values.push(findings.length === 0 ? value : opts.anonymizer.anonymize(value, findings).text);
    }
    out[field.name] = vectorFromArray(values, new Utf8());
  }
  // The file format starts with the magic bytes "ARROW1"; the stream format does not.
  const isFile = input.length >= 6 && String.fromCharCode(...input.subarray(0, 6)) === 'ARROW1';
  return { bytes: tableToIPC(new Table(out), isFile ? 'file' : 'stream'), rows: table.numRows, columns };
}
