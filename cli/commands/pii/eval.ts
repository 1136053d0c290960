/**
 * @module `lumora pii eval`: precision, recall and F1 of our engine, or of the redact-pii
 * baseline, against a labelled JSONL file, per type and overall.
 */
import { Command, Option } from 'commander';
import {
  PiiError,
  analyzerFor,
  createRedactPiiEngine,
  evaluate,
  parseExample,
  type DetectionEngine,
  type Evaluation,
  type Example,
} from '../../../pii/index.js';
import { listOption } from '../../options.js';
import { engineConfig, withEngineOptions, type EngineFlags } from './engine-options.js';
import { scanInputLines } from './stdio.js';

export function evalCommand(): Command {
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
    for await (const line of scanInputLines(file)) {
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

function printEvaluation(e: Evaluation): string {
  const rows = Object.entries(e.byType).map(([t, s]) => [
    t,
    String(s.support),
    String(s.predicted),
    s.precision.toFixed(3),
    s.recall.toFixed(3),
    s.f1.toFixed(3),
  ]);
  rows.push([
    'overall',
    String(e.overall.support),
    String(e.overall.predicted),
    e.overall.precision.toFixed(3),
    e.overall.recall.toFixed(3),
    e.overall.f1.toFixed(3),
  ]);
  const head = ['type', 'gold', 'found', 'precision', 'recall', 'F1'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return `${e.engine} on ${e.examples} examples\n${line(head)}\n${rows.map(line).join('\n')}\n`;
}
