/**
 * @module Redacting a JSONL file into a new one, a record per line (see `redactRecord`). A line
 * that is not a JSON object is redacted as text: kept, so nothing is lost, and clean.
 */
import { rmSync } from 'node:fs';
import type { Analyzer } from './analyzer.js';
import type { Anonymizer } from './anonymizer.js';
import { PiiError } from './errors.js';
import type { Finding } from './finding.js';
import { checkInputFile, scanLines } from './input-file.js';
import { redactRecord } from './records.js';
import { createFileSink } from './text-sink.js';

export interface JsonlRedactOptions {
  analyzer: Analyzer;
  anonymizer: Anonymizer;
  language?: string;
  /** The fields to redact, dotted paths allowed (default: every string). */
  fields?: readonly string[];
  /**
   * Called for each field (or non-object line, with no field) that has findings, with the
   * record's 0-based line number. Awaited, so a slow audit log holds the reading back.
   */
  onFindings?: (record: number, field: string | undefined, findings: Finding[]) => void | Promise<void>;
  /** Told, once the file is read, how many lines were not JSON objects. */
  warn?: (message: string) => void;
}

/**
 * Writes `input` to `output` with its personal data transformed; returns the number of lines.
 * A `fields` path that no record has fails the run and removes the output, since redacting
 * nothing there is almost surely a typo.
 *
 * @example
 * const { analyzer, anonymizer } = createEngine(piiConfigSchema.parse({}));
 * await redactJsonl('posts.jsonl', 'posts.redacted.jsonl', { analyzer, anonymizer, fields: ['body', 'author.name'] });
 */
export async function redactJsonl(input: string, output: string, opts: JsonlRedactOptions): Promise<number> {
  checkInputFile(input);
  const out = createFileSink(output);
  const language = opts.language ? { language: opts.language } : {};
  const seen = new Set<string>();
  let records = 0;
  let notObjects = 0;
  try {
    for await (const line of scanLines(input)) {
      const parsed = parseJson(line);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const { record, findings } = redactRecord(parsed, opts.analyzer, opts.anonymizer, {
          ...(opts.fields ? { fields: opts.fields } : {}),
          language: opts.language,
          seen,
        });
        for (const f of findings) await opts.onFindings?.(records, f.field, f.findings);
        await out.write(JSON.stringify(record) + '\n');
      } else {
        if (line.trim() !== '') notObjects++;
        const findings = opts.analyzer.analyze(line, language);
        if (findings.length > 0) await opts.onFindings?.(records, undefined, findings);
        await out.write((findings.length === 0 ? line : opts.anonymizer.anonymize(line, findings).text) + '\n');
      }
      records++;
    }
    if (notObjects > 0) opts.warn?.(`${notObjects} of ${records} lines of ${input} were not JSON objects; they were redacted as plain text`);
    const missing = (opts.fields ?? []).filter((f) => !seen.has(f));
    if (missing.length > 0) {
      await out.close();
      rmSync(output, { force: true });
      throw new PiiError(
        `--fields ${missing.join(',')}: no record of ${input} has ${missing.length === 1 ? 'this field' : 'these fields'}, so nothing would be redacted there; no output was written`,
        { code: 'PII_BAD_OPTION' },
      );
    }
    return records;
  } finally {
    await out.close();
  }
}

/** The line's JSON value, or undefined when it is not JSON. */
function parseJson(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
