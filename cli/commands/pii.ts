/**
 * @module `lumora pii analyze | redact | eval | decrypt`: the PII engine on files, for people
 * and for other tools. Output never contains a found value: `analyze` gives offsets, `redact`
 * writes the transformed file plus counts, and errors name the line, not its text.
 */
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, extname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../../pipeline/errors.js';
import {
  OPERATOR_NAMES,
  PiiError,
  ENTITY_TYPES,
  createEngine,
  analyzerFor,
  decryptText,
  piiConfigSchema,
  type Finding,
  type OperatorConfig,
  type PiiConfig,
  type PiiEngine,
  evaluate,
  parseExample,
  redactParquet,
  redactArrow,
  redactRecord,
  createRedactPiiEngine,
  type DetectionEngine,
  type Evaluation,
  type Example,
} from '../../pii/index.js';
import { readConfigFile } from '../read-config-file.js';
import { listOption } from '../options.js';

interface EngineFlags {
  config?: string;
  entities?: string[];
  threshold?: number;
  language?: string;
  names?: boolean;
  region?: string;
  keepNonPublicIp?: boolean;
  allow?: string[];
  operator?: Record<string, OperatorConfig>;
  pseudonymScope?: 'document' | 'dataset';
}

function thresholdOption(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError(`"${value}" is not a score between 0 and 1.`);
  return n;
}

/** `TYPE=replace`, `CREDIT_CARD=mask:4`, `PERSON=pseudonym`, `DEFAULT=hash:24`. */
function operatorOption(value: string, previous: Record<string, OperatorConfig> = {}): Record<string, OperatorConfig> {
  const m = /^([A-Z][A-Z0-9_]*)=([a-z]+)(?::(.*))?$/.exec(value);
  if (!m || !OPERATOR_NAMES.includes(m[2] as (typeof OPERATOR_NAMES)[number])) {
    throw new InvalidArgumentError(`"${value}" is not TYPE=OPERATOR[:PARAM] with OPERATOR one of ${OPERATOR_NAMES.join(', ')}.`);
  }
  const [, type, name, param] = m as unknown as [string, string, OperatorConfig['type'], string | undefined];
  const num = (what: string) => {
    const n = Number(param);
    if (!Number.isInteger(n)) throw new InvalidArgumentError(`"${value}": ${what} must be an integer.`);
    return n;
  };
  const op: OperatorConfig =
    name === 'mask' ? { type: 'mask', ...(param ? { keep: num('the number of characters to keep') } : {}) }
    : name === 'hash' ? { type: 'hash', ...(param ? { chars: num('the number of hex characters') } : {}) }
    : name === 'replace' ? { type: 'replace', ...(param !== undefined ? { with: param } : {}) }
    : ({ type: name } as OperatorConfig);
  return { ...previous, [type]: op };
}

function withEngineOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'YAML or JSON: a pii config, or a pipeline config whose `pii` section is used')
    .option('--entities <list>', 'only these types (comma-separated Presidio names)', listOption)
    .option('--threshold <score>', 'report findings scoring at least this (default 0.5)', thresholdOption)
    .option('--language <code>', 'language of the text, ISO 639-1 (default en)')
    .option('--no-names', 'skip PERSON, LOCATION and ORGANIZATION (much faster)')
    .option('--region <CC>', 'region for phone numbers without a country code (default US)')
    .option('--keep-non-public-ip', 'leave private, loopback and documentation-range IP addresses alone')
    .option('--allow <list>', 'values never reported (comma-separated, case-insensitive)', listOption);
}

/** The config file's settings, overridden by the flags, validated by the engine's schema. */
function engineConfig(o: EngineFlags): PiiConfig {
  let base: Record<string, unknown> = {};
  let fromPipelineConfig = false;
  if (o.config) {
    const file = readConfigFile(o.config);
    fromPipelineConfig = typeof file.pii === 'object' && file.pii !== null;
    base = (fromPipelineConfig ? file.pii : file) as Record<string, unknown>;
  }
  const merged = {
    ...base,
    ...(o.entities ? { entities: o.entities } : {}),
    ...(o.threshold !== undefined ? { scoreThreshold: o.threshold } : {}),
    ...(o.language ? { language: o.language } : {}),
    ...(o.names === false ? { names: false } : {}),
    ...(o.region ? { defaultRegion: o.region.toUpperCase() } : {}),
    ...(o.keepNonPublicIp ? { nonPublicIp: 'keep' } : {}),
    ...(o.allow ? { allowList: o.allow } : {}),
    ...(o.operator ? { operators: { ...((base.operators as object | undefined) ?? {}), ...o.operator } } : {}),
    ...(o.pseudonymScope ? { pseudonymScope: o.pseudonymScope } : {}),
  };
  const parsed = piiConfigSchema.safeParse(merged);
  const prefix = fromPipelineConfig ? 'pii.' : '';
  if (!parsed.success) {
    const where = o.config ? `config ${o.config}` : 'options';
    const field = (path: PropertyKey[]) => (path.length > 0 ? prefix + path.join('.') : prefix ? 'pii' : '(root)');
    throw new ConfigError(`${where}: ${parsed.error.issues.map((i) => `${field(i.path)}: ${i.message}`).join('; ')}`);
  }
  // A misspelt type would otherwise match nothing and report nothing.
  const known = new Set<string>([...ENTITY_TYPES, ...parsed.data.customRecognizers.map((c) => c.entity), ...Object.keys(parsed.data.denyList)]);
  const unknownEntities = parsed.data.entities.filter((e) => !known.has(e));
  const unknownOperators = Object.keys(parsed.data.operators).filter((t) => t !== 'DEFAULT' && !known.has(t));
  if (unknownEntities.length > 0 || unknownOperators.length > 0) {
    const names = [...new Set([...unknownEntities, ...unknownOperators])];
    throw new ConfigError(`unknown entity type ${names.join(', ')}: the types are ${ENTITY_TYPES.join(', ')} and those of custom recognizers`);
  }
  return parsed.data;
}

/** An input file that exists and is a file; the error names it. */
function checkInput(path: string): void {
  if (!existsSync(path)) throw new PiiError(`${path}: no such file`, { code: 'PII_BAD_INPUT' });
  if (!statSync(path).isFile()) throw new PiiError(`${path}: is a directory, not a file`, { code: 'PII_BAD_INPUT' });
}

/** An output file that can be written, is not the input, and is not overwritten unasked. */
function checkOutput(path: string, input: string, force: boolean | undefined, flag: string): void {
  if (resolve(path) === resolve(input)) throw new PiiError(`${flag} ${path}: is the input file; write the result to another file`, { code: 'PII_BAD_OUTPUT' });
  if (!existsSync(dirname(resolve(path)))) throw new PiiError(`${flag} ${path}: the folder ${dirname(path)} does not exist`, { code: 'PII_BAD_OUTPUT' });
  if (existsSync(path) && statSync(path).isDirectory()) throw new PiiError(`${flag} ${path}: is a directory`, { code: 'PII_BAD_OUTPUT' });
  if (existsSync(path) && !force) throw new PiiError(`${path}: already exists; pass --force to overwrite it or choose ${flag}`, { code: 'PII_BAD_OUTPUT' });
}

async function* readLines(path: string): AsyncIterable<string> {
  if (path !== '-') checkInput(path);
  const rl = createInterface({ input: path === '-' ? process.stdin : createReadStream(path, 'utf8'), crlfDelay: Infinity });
  yield* rl;
}

/**
 * Writes to a file or stdout, waiting when the stream asks to. A write error (a full disk, a
 * closed pipe) becomes a PiiError naming the output instead of an unhandled 'error' event.
 */
function output(path: string | undefined) {
  const stream = path ? createWriteStream(path) : process.stdout;
  let failure: Error | undefined;
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    // `lumora pii analyze … | head` closes the pipe early: that is the reader's choice, not an error.
    if (!path && err.code === 'EPIPE') process.exit(0);
    failure = new PiiError(`${path ?? 'stdout'}: cannot write (${err.code ?? err.message})`, { code: 'PII_BAD_OUTPUT', cause: err });
  });
  return {
    async write(s: string) {
      if (failure) throw failure;
      if (!stream.write(s)) await Promise.race([once(stream, 'drain'), once(stream, 'error')]);
      if (failure) throw failure;
    },
    /** Flushes and closes a file; calling it again does nothing. */
    async close() {
      if (!path || closed) return;
      closed = true;
      (stream as ReturnType<typeof createWriteStream>).end();
      if (!failure) await Promise.race([once(stream, 'finish'), once(stream, 'error')]);
      if (failure) throw failure;
    },
  };
}

const publicFinding = (f: Finding) => ({ type: f.type, start: f.start, end: f.end, score: Math.round(f.score * 100) / 100 });

function analyzeCommand(): Command {
  return withEngineOptions(
    new Command('analyze')
      .description('Find personal data in a JSONL file of {"text": …} lines; prints offsets and types, never the values.')
      .argument('<file>', 'JSONL, one {"text": "..."} object per line ("-" for stdin)')
      .option('--json', 'one {"findings": [{"type", "start", "end", "score", "recognizer"}]} line per input line, in order; offsets are UTF-16 code units'),
  ).action(async (file: string, o: EngineFlags & { json?: boolean }) => {
    const config = engineConfig(o);
    const analyzer = analyzerFor(config);
    const out = output(undefined);
    const totals: Record<string, number> = {};
    let lineNo = 0;
    let bad = 0;
    for await (const line of readLines(file)) {
      lineNo++;
      let text: unknown;
      let problem: string | undefined;
      try {
        const parsed = JSON.parse(line) as unknown;
        text = parsed !== null && typeof parsed === 'object' ? (parsed as { text?: unknown }).text : undefined;
        if (typeof text !== 'string') problem = 'expected a JSON object with a string "text"';
      } catch {
        problem = 'not valid JSON';
      }
      if (problem || typeof text !== 'string') {
        bad++;
        // One output line per input line, so callers can zip them; the error says why.
        if (o.json) await out.write(JSON.stringify({ findings: [], error: `line ${lineNo}: ${problem}` }) + '\n');
        else await out.write(`line ${lineNo}: skipped, ${problem}\n`);
        continue;
      }
      const findings = analyzer.analyze(text, { language: config.language });
      for (const f of findings) totals[f.type] = (totals[f.type] ?? 0) + 1;
      if (o.json) await out.write(JSON.stringify({ findings: findings.map((f) => ({ ...publicFinding(f), recognizer: f.recognizer })) }) + '\n');
      else await out.write(`line ${lineNo}: ${findings.length === 0 ? '-' : findings.map((f) => `${f.type} ${f.start}-${f.end} (${f.score.toFixed(2)})`).join(', ')}\n`);
    }
    if (bad > 0) process.stderr.write(`lumora: ${bad} of ${lineNo} lines of ${file} were skipped (not JSON, or no string "text")\n`);
    if (!o.json) await out.write(`${lineNo} lines; found ${formatCounts(totals)}\n`);
  });
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? 'nothing' : entries.map(([t, n]) => `${t} ${n}`).join(', ');
}

type Format = 'text' | 'jsonl' | 'parquet' | 'arrow';

function formatOf(file: string, given?: string): Format {
  if (given) {
    if (given !== 'text' && given !== 'jsonl' && given !== 'parquet' && given !== 'arrow') throw new PiiError(`--format "${given}" is not one of text, jsonl, parquet, arrow`, { code: 'PII_BAD_OPTION' });
    return given;
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.parquet') return 'parquet';
  if (ext === '.arrow' || ext === '.arrows' || ext === '.ipc' || ext === '.feather') return 'arrow';
  return ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : 'text';
}

/** Parquet ("PAR1") and Arrow ("ARROW1") files start with magic bytes; text has no NUL in its first KB. */
function looksBinary(file: string): boolean {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(1024);
  const n = readSync(fd, head, 0, 1024, 0);
  closeSync(fd);
  head.fill(32, n);
  return head.subarray(0, 4).toString() === 'PAR1' || head.subarray(0, 6).toString() === 'ARROW1' || head.includes(0);
}

/** Runs `fn`; a PiiError it throws is reworded to start with the file it was about. */
function withFileName<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PiiError && !err.message.startsWith(file)) throw new PiiError(`${file}: ${err.message}`, { code: err.code, cause: err });
    throw err;
  }
}

function defaultOutput(file: string): string {
  const ext = extname(file);
  return `${file.slice(0, file.length - ext.length)}.redacted${ext}`;
}

interface RedactFlags extends EngineFlags {
  out?: string;
  format?: string;
  columns?: string[];
  fields?: string[];
  audit?: string;
  force?: boolean;
  json?: boolean;
}

/**
 * Text is redacted in pieces that end at a blank line (or, past 1 MB without one, at a line
 * end), so a file of any size streams and a value is never cut in two. The pieces are the file's
 * text exactly: line endings and a missing final newline survive.
 */
async function* paragraphs(file: string): AsyncIterable<string> {
  let buf = '';
  for await (const chunk of createReadStream(file, 'utf8') as AsyncIterable<string>) {
    buf += chunk;
    if (buf.length < 65_536) continue;
    let cut = buf.lastIndexOf('\n\n');
    if (cut < 0) cut = buf.lastIndexOf('\n\r\n');
    if (cut < 0 && buf.length > 1_000_000) cut = buf.lastIndexOf('\n');
    if (cut < 0) continue;
    yield buf.slice(0, cut + 1);
    buf = buf.slice(cut + 1);
  }
  if (buf.length > 0) yield buf;
}

function redactCommand(): Command {
  return withEngineOptions(
    new Command('redact')
      .description('Write a copy of a text, JSONL, Parquet or Arrow file with its personal data transformed by the operators (typed placeholders by default).')
      .argument('<file>', 'input: .parquet, .arrow/.arrows (Arrow IPC), .jsonl/.ndjson, or any other file as text')
      .option('--out <file>', 'output file (default: FILE.redacted.EXT)')
      .option('--format <format>', 'text, jsonl, parquet or arrow (default: from the extension)')
      .option('--columns <list>', 'Parquet and Arrow: the text columns to redact (default: every string column)', listOption)
      .option('--fields <list>', 'JSONL: the fields to redact, dotted paths allowed (default: every string)', listOption)
      .option('--operator <TYPE=OP[:PARAM]>', `per type: ${OPERATOR_NAMES.join(', ')} (e.g. CREDIT_CARD=mask:4, PERSON=pseudonym, DEFAULT=hash); repeatable`, operatorOption)
      .addOption(new Option('--pseudonym-scope <scope>', 'number pseudonyms per record or across the file').choices(['document', 'dataset']))
      .option('--audit <file>', 'also write the findings of every record (type, start, end, score, recognizer; no values) as JSONL')
      .option('--force', 'overwrite the output file if it exists')
      .option('--json', 'print the report as JSON')
      .addHelpText('after', '\nhash and encrypt read their secret from LUMORA_PII_KEY (or the config\'s keyEnv); `lumora pii decrypt` reverses encrypt.'),
  ).action(async (file: string, o: RedactFlags) => {
    checkInput(file);
    const format = formatOf(file, o.format);
    const outPath = o.out ?? defaultOutput(file);
    checkOutput(outPath, file, o.force, '--out');
    if (o.audit) checkOutput(o.audit, file, o.force, '--audit');
    if (o.columns && (format === 'text' || format === 'jsonl')) throw new PiiError(`--columns is for Parquet and Arrow files; ${file} is ${format}: use --fields`, { code: 'PII_BAD_OPTION' });
    if (o.fields && (format === 'parquet' || format === 'arrow')) throw new PiiError(`--fields is for JSONL files; ${file} is ${format}: use --columns`, { code: 'PII_BAD_OPTION' });
    if (o.fields && format === 'text') throw new PiiError(`--fields is for JSONL files; ${file} is read as text`, { code: 'PII_BAD_OPTION' });
    const engine = createEngine(engineConfig(o));
    const counts: Record<string, number> = {};
    const audit = o.audit ? output(o.audit) : undefined;
    const record = async (n: number, field: string | undefined, findings: Finding[]) => {
      for (const f of findings) counts[f.type] = (counts[f.type] ?? 0) + 1;
      if (audit && findings.length > 0) {
        await audit.write(JSON.stringify({ record: n, ...(field !== undefined ? { field } : {}), findings: findings.map((f) => ({ ...publicFinding(f), recognizer: f.recognizer })) }) + '\n');
      }
    };
    let records = 0;
    let columns: string[] | undefined;
    if (format === 'parquet' || format === 'arrow') {
      // The column redactors report cells from inside DuckDB or a loop that cannot wait for the
      // audit file, so findings are kept until the table is written.
      const pending: Array<[number, string, Finding[]]> = [];
      const opts = {
        analyzer: engine.analyzer,
        anonymizer: engine.anonymizer,
        language: engine.config.language,
        ...(o.columns ? { columns: o.columns } : {}),
        onFindings: (row: number, column: string, findings: Finding[]) => pending.push([row, column, findings]),
      };
      let result;
      if (format === 'parquet') result = await redactParquet(file, outPath, opts);
      else {
        const arrow = withFileName(file, () => redactArrow(readFileSync(file), opts));
        writeFileSync(outPath, arrow.bytes);
        result = arrow;
      }
      for (const [row, column, findings] of pending) await record(row, column, findings);
      records = result.rows;
      columns = result.columns;
    } else {
      records = await redactStream(file, outPath, format, engine, o.fields, record);
    }
    await audit?.close();
    const report = { input: file, output: outPath, format, records, ...(columns ? { columns } : {}), findings: counts };
    if (o.json) process.stdout.write(JSON.stringify(report) + '\n');
    else process.stderr.write(`Redacted ${records} ${format === 'parquet' || format === 'arrow' ? 'rows' : format === 'jsonl' ? 'records' : 'pieces of text'}: ${formatCounts(counts)} -> ${outPath}\n`);
  });
}

async function redactStream(
  file: string,
  outPath: string,
  format: 'text' | 'jsonl',
  engine: PiiEngine,
  fields: string[] | undefined,
  record: (n: number, field: string | undefined, findings: Finding[]) => Promise<void>,
): Promise<number> {
  const out = output(outPath);
  let n = 0;
  // A JSONL line that is not an object is redacted as text: kept, so nothing is lost, and clean.
  const redactLine = async (text: string) => {
    const findings = engine.analyzer.analyze(text, { language: engine.config.language });
    await record(n, undefined, findings);
    return findings.length === 0 ? text : engine.anonymizer.anonymize(text, findings).text;
  };
  try {
    if (format === 'text') {
      // A text file is one document: one pseudonym numbering across its pieces.
      const scope = engine.anonymizer.scope();
      let offset = 0;
      for await (const chunk of paragraphs(file)) {
        const findings = engine.analyzer.analyze(chunk, { language: engine.config.language });
        // Audit offsets count from the start of the file, as a reader of it would.
        await record(n, undefined, findings.map((f) => ({ ...f, start: f.start + offset, end: f.end + offset })));
        offset += chunk.length;
        await out.write(findings.length === 0 ? chunk : scope.anonymize(chunk, findings).text);
        n++;
      }
      return n;
    }
    const seen = new Set<string>();
    let notObjects = 0;
    for await (const line of readLines(file)) {
      let parsed: unknown;
      let isJson = true;
      try {
        parsed = JSON.parse(line);
      } catch {
        isJson = false;
      }
      if (isJson && parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const { record: redacted, findings } = redactRecord(parsed, engine.analyzer, engine.anonymizer, { ...(fields ? { fields } : {}), language: engine.config.language, seen });
        for (const f of findings) await record(n, f.field, f.findings);
        await out.write(JSON.stringify(redacted) + '\n');
      } else {
        if (line.trim() !== '') notObjects++;
        await out.write((await redactLine(line)) + '\n');
      }
      n++;
    }
    if (notObjects > 0) process.stderr.write(`lumora: ${notObjects} of ${n} lines of ${file} were not JSON objects; they were redacted as plain text\n`);
    const missing = (fields ?? []).filter((f) => !seen.has(f));
    if (missing.length > 0) {
      await out.close();
      rmSync(outPath, { force: true });
      throw new PiiError(`--fields ${missing.join(',')}: no record of ${file} has ${missing.length === 1 ? 'this field' : 'these fields'}, so nothing would be redacted there; no output was written`, { code: 'PII_BAD_OPTION' });
    }
    return n;
  } finally {
    await out.close();
  }
}

function printEvaluation(e: Evaluation): string {
  const rows = Object.entries(e.byType).map(([t, s]) => [t, String(s.support), String(s.predicted), s.precision.toFixed(3), s.recall.toFixed(3), s.f1.toFixed(3)]);
  rows.push(['overall', String(e.overall.support), String(e.overall.predicted), e.overall.precision.toFixed(3), e.overall.recall.toFixed(3), e.overall.f1.toFixed(3)]);
  const head = ['type', 'gold', 'found', 'precision', 'recall', 'F1'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return `${e.engine} on ${e.examples} examples\n${line(head)}\n${rows.map(line).join('\n')}\n`;
}

function evalCommand(): Command {
  return withEngineOptions(
    new Command('eval')
      .description('Score an engine against a labelled JSONL file: precision, recall and F1 per type and overall.')
      .argument('<file>', 'JSONL, one {"text": "...", "entities": [{"type": "EMAIL_ADDRESS", "start": 10, "end": 25}]} per line')
      .addOption(new Option('--engine <engine>', 'engine to score').choices(['lumora', 'redact-pii']).default('lumora'))
      .option('--types <list>', 'score only these types (default: every type the file labels)', listOption)
      .option('--json', 'print {"engine", "examples", "overall": {"precision", "recall", "f1", …}, "byType": {TYPE: {…}}}')
      .addHelpText(
        'after',
        '\nMatching: a found span counts as correct when it overlaps a gold span of the same type, and a gold\n' +
          'span counts as found when a found span of its type overlaps it. Offsets are UTF-16 code units.\n' +
          'Only types the file labels are scored (or --types); spans of other types are ignored. Aliases\n' +
          'PER, LOC/GPE, ORG, ADDRESS, EMAIL, PHONE, SSN, IBAN, IP are read as the Presidio names.\n' +
          'The redact-pii engine maps its labels: names->PERSON, phoneNumber->PHONE_NUMBER, emailAddress->\n' +
          'EMAIL_ADDRESS, creditCardNumber->CREDIT_CARD, usSocialSecurityNumber->US_SSN, ipAddress->IP_ADDRESS,\n' +
          'streetAddress->STREET_ADDRESS, url->URL, credentials/password/username->SECRET.',
      ),
  ).action(async (file: string, o: EngineFlags & { engine: 'lumora' | 'redact-pii'; types?: string[]; json?: boolean }) => {
    const examples: Example[] = [];
    let lineNo = 0;
    for await (const line of readLines(file)) {
      lineNo++;
      if (line.trim() === '') continue;
      examples.push(parseExample(line, lineNo, file));
    }
    let engine: DetectionEngine;
    if (o.engine === 'redact-pii') engine = createRedactPiiEngine();
    else {
      const config = engineConfig(o);
      const analyzer = analyzerFor(config);
      engine = { name: 'lumora', types: new Set(config.entities), find: (text) => analyzer.analyze(text, { language: config.language }) };
    }
    if (!o.types && !examples.some((e) => e.entities.length > 0)) {
      throw new PiiError(`${file}: no line labels any entity, so there is nothing to score; add "entities" or name --types`, { code: 'PII_BAD_GOLD' });
    }
    const result = evaluate(examples, engine, o.types ? { types: o.types } : {});
    process.stdout.write(o.json ? JSON.stringify(result) + '\n' : printEvaluation(result));
  });
}

function decryptCommand(): Command {
  return new Command('decrypt')
    .description('Restore the values the encrypt operator wrote into a text or JSONL file (needs the same key).')
    .argument('<file>', 'a file written by `lumora pii redact` with encrypt operators')
    .option('--out <file>', 'output file (default: stdout)')
    .option('--force', 'overwrite the output file if it exists')
    .option('--key-env <name>', 'environment variable holding the key', 'LUMORA_PII_KEY')
    .action(async (file: string, o: { out?: string; force?: boolean; keyEnv: string }) => {
      checkInput(file);
      if (formatOf(file) === 'parquet' || formatOf(file) === 'arrow' || looksBinary(file)) {
        throw new PiiError(`${file}: decrypt reads text and JSONL files; this one is binary (Parquet or Arrow)`, { code: 'PII_BAD_INPUT' });
      }
      if (o.out) checkOutput(o.out, file, o.force, '--out');
      const key = process.env[o.keyEnv];
      if (!key) throw new PiiError(`decrypt needs the key: set the ${o.keyEnv} environment variable`, { code: 'PII_KEY_MISSING' });
      const out = output(o.out);
      let lineNo = 0;
      for await (const line of readLines(file)) {
        lineNo++;
        await out.write(withFileName(`${file}:${lineNo}`, () => decryptText(line, key)) + '\n');
      }
      await out.close();
    });
}

export function piiCommand(): Command {
  const cmd = new Command('pii').description('Find, redact and evaluate personal data detection on files.');
  for (const sub of [analyzeCommand(), redactCommand(), evalCommand(), decryptCommand()]) cmd.addCommand(sub.showHelpAfterError().exitOverride());
  return cmd;
}
