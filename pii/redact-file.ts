/**
 * @module Redacting a file of any format the engine reads (text, JSONL, Parquet, Arrow) into a
 * new file of the same format, counting the findings by type and, when asked, writing an audit
 * log of where they were: record, field or column, type, offsets, score, never a value.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Analyzer } from './analyzer.js';
import type { Anonymizer } from './anonymizer.js';
import { redactArrow } from './arrow.js';
import type { ColumnRedactOptions, ColumnRedaction } from './columns.js';
import { withFileName } from './errors.js';
import type { FileFormat } from './file-format.js';
import { publicFinding, type Finding } from './finding.js';
import { redactJsonl } from './redact-jsonl.js';
import { redactParquet } from './parquet.js';
import { redactText } from './redact-text.js';
import { createFileSink } from './text-sink.js';

export interface FileRedactOptions {
  input: string;
  output: string;
  format: FileFormat;
  analyzer: Analyzer;
  anonymizer: Anonymizer;
  language?: string;
  /** Parquet and Arrow: the text columns to redact (default: every string column). */
  columns?: readonly string[];
  /** JSONL: the fields to redact, dotted paths allowed (default: every string). */
  fields?: readonly string[];
  /** Where to write the audit log, one JSONL line per record and field with findings. */
  auditPath?: string;
  /** Told what was read but not as its format says (JSONL lines that are not objects). */
  warn?: (message: string) => void;
}

export interface FileRedaction {
  /** Rows (Parquet, Arrow), lines (JSONL) or pieces of text. */
  records: number;
  /** Parquet and Arrow: the columns that were redacted. */
  columns?: string[];
  /** How many findings of each entity type were transformed. */
  findings: Record<string, number>;
}

type RecordFindings = (record: number, field: string | undefined, findings: Finding[]) => Promise<void>;

/**
 * Writes `input` to `output` with its personal data transformed.
 *
 * @example
 * const { analyzer, anonymizer } = createEngine(piiConfigSchema.parse({}));
 * const r = await redactFile({ input: 'posts.jsonl', output: 'posts.redacted.jsonl', format: 'jsonl', analyzer, anonymizer });
 * r.findings; // { EMAIL_ADDRESS: 3, PERSON: 2 }
 */
export async function redactFile(opts: FileRedactOptions): Promise<FileRedaction> {
  const { input, output, analyzer, anonymizer, language } = opts;
  const findings: Record<string, number> = {};
  const audit = opts.auditPath ? createFileSink(opts.auditPath) : undefined;
  const onFindings: RecordFindings = async (record, field, found) => {
    for (const f of found) findings[f.type] = (findings[f.type] ?? 0) + 1;
    if (audit) await audit.write(JSON.stringify({ record, ...(field !== undefined ? { field } : {}), findings: found.map(publicFinding) }) + '\n');
  };
  let redaction: Omit<FileRedaction, 'findings'>;
  try {
    if (opts.format === 'parquet' || opts.format === 'arrow') {
      redaction = await redactTable(opts, onFindings);
    } else if (opts.format === 'jsonl') {
      redaction = { records: await redactJsonl(input, output, { analyzer, anonymizer, language, fields: opts.fields, onFindings, warn: opts.warn }) };
    } else {
      redaction = {
        records: await redactText(input, output, { analyzer, anonymizer, language, onFindings: (piece, found) => onFindings(piece, undefined, found) }),
      };
    }
    await audit?.close();
  } catch (err) {
    // An audit log of a redaction that failed would describe an output that does not exist.
    if (audit && opts.auditPath) {
      await audit.close().catch(() => {});
      rmSync(opts.auditPath, { force: true });
    }
    throw err;
  }
  return { ...redaction, findings };
}

async function redactTable(opts: FileRedactOptions, onFindings: RecordFindings): Promise<Omit<FileRedaction, 'findings'>> {
  // The column redactors report cells from inside DuckDB or a loop that cannot wait for the
  // audit file, so findings are kept until the table is written.
  const pending: Array<[number, string, Finding[]]> = [];
  const columnOpts: ColumnRedactOptions = {
    analyzer: opts.analyzer,
    anonymizer: opts.anonymizer,
    language: opts.language,
    columns: opts.columns,
    onFindings: (row, column, findings) => pending.push([row, column, findings]),
  };
  let result: ColumnRedaction;
  if (opts.format === 'parquet') result = await redactParquet(opts.input, opts.output, columnOpts);
  else {
    const arrow = withFileName(opts.input, () => redactArrow(readFileSync(opts.input), columnOpts));
    writeFileSync(opts.output, arrow.bytes);
    result = arrow;
  }
  for (const [row, column, findings] of pending) await onFindings(row, column, findings);
  return { records: result.rows, columns: result.columns };
}
