/**
 * @module What redacting the text columns of a table (Parquet, Arrow) takes and returns.
 */
import type { Analyzer } from './analyzer.js';
import type { Anonymizer } from './anonymizer.js';
import type { Finding } from './finding.js';

export interface ColumnRedactOptions {
  analyzer: Analyzer;
  anonymizer: Anonymizer;
  /** Text columns to redact (default: every string column). */
  columns?: readonly string[];
  language?: string;
  /** Called for each cell with findings, with its 0-based row number, for the audit log. */
  onFindings?: (row: number, column: string, findings: Finding[]) => void;
}

export interface ColumnRedaction {
  rows: number;
  /** The columns that were redacted. */
  columns: string[];
}
