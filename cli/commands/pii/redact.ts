/**
 * @module `lumora pii redact`: a copy of a text, JSONL, Parquet or Arrow file with its personal
 * data transformed, plus counts by type and, with `--audit`, where each finding was.
 */
import { extname } from 'node:path';
import { Command, Option } from 'commander';
import { OPERATOR_NAMES, PiiError, checkInputFile, createEngine, fileFormatOf, redactFile } from '../../../pii/index.js';
import { formatCounts } from '../../format-counts.js';
import { listOption } from '../../options.js';
import { checkOutput } from './check-output.js';
import { engineConfig, operatorOption, withEngineOptions, type EngineFlags } from './engine-options.js';

interface RedactFlags extends EngineFlags {
  out?: string;
  format?: string;
  columns?: string[];
  fields?: string[];
  audit?: string;
  force?: boolean;
  json?: boolean;
}

export function redactCommand(): Command {
  return withEngineOptions(
    new Command('redact')
      .description('Write a copy of a text, JSONL, Parquet or Arrow file with its personal data transformed by the operators (typed placeholders by default).')
      .argument('<file>', 'input: .parquet, .arrow/.arrows (Arrow IPC), .jsonl/.ndjson, or any other file as text')
      .option('--out <file>', 'output file (default: FILE.redacted.EXT)')
      .option('--format <format>', 'text, jsonl, parquet or arrow (default: from the extension)')
      .option('--columns <list>', 'Parquet and Arrow: the text columns to redact (default: every string column)', listOption)
      .option('--fields <list>', 'JSONL: the fields to redact, dotted paths allowed (default: every string)', listOption)
      .option(
        '--operator <TYPE=OP[:PARAM]>',
        `per type: ${OPERATOR_NAMES.join(', ')} (e.g. CREDIT_CARD=mask:4, PERSON=pseudonym, DEFAULT=hash); repeatable`,
        operatorOption,
      )
      .addOption(new Option('--pseudonym-scope <scope>', 'number pseudonyms per record or across the file').choices(['document', 'dataset']))
      .option('--audit <file>', 'also write the findings of every record (type, start, end, score, recognizer; no values) as JSONL')
      .option('--force', 'overwrite the output file if it exists')
      .option('--json', 'print the report as JSON')
      .addHelpText('after', "\nhash and encrypt read their secret from LUMORA_PII_KEY (or the config's keyEnv); `lumora pii decrypt` reverses encrypt."),
  ).action(async (file: string, o: RedactFlags) => {
    checkInputFile(file);
    const format = fileFormatOf(file, o.format);
    const output = o.out ?? defaultOutput(file);
    checkOutput(output, file, o.force, '--out');
    if (o.audit) checkOutput(o.audit, file, o.force, '--audit');
    if (o.columns && (format === 'text' || format === 'jsonl'))
      throw new PiiError(`--columns is for Parquet and Arrow files; ${file} is ${format}: use --fields`, { code: 'PII_BAD_OPTION' });
    if (o.fields && (format === 'parquet' || format === 'arrow'))
      throw new PiiError(`--fields is for JSONL files; ${file} is ${format}: use --columns`, { code: 'PII_BAD_OPTION' });
    if (o.fields && format === 'text') throw new PiiError(`--fields is for JSONL files; ${file} is read as text`, { code: 'PII_BAD_OPTION' });
    const { analyzer, anonymizer, config } = createEngine(engineConfig(o));
    const { records, columns, findings } = await redactFile({
      input: file,
      output,
      format,
      analyzer,
      anonymizer,
      language: config.language,
      columns: o.columns,
      fields: o.fields,
      auditPath: o.audit,
      warn: (message) => process.stderr.write(`lumora: ${message}\n`),
    });
    const report = { input: file, output, format, records, ...(columns ? { columns } : {}), findings };
    if (o.json) process.stdout.write(JSON.stringify(report) + '\n');
    else
      process.stderr.write(
        `Redacted ${records} ${format === 'parquet' || format === 'arrow' ? 'rows' : format === 'jsonl' ? 'records' : 'pieces of text'}: ${formatCounts(findings) || 'nothing'} -> ${output}\n`,
      );
  });
}

function defaultOutput(file: string): string {
  const ext = extname(file);
  return `${file.slice(0, file.length - ext.length)}.redacted${ext}`;
}
