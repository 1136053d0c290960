/**
 * @module `lumora pii analyze`: where personal data is in a JSONL file of `{"text": …}` lines, as
 * types and offsets, never the values; one output line per input line, so callers can zip them.
 */
import { Command } from 'commander';
import { analyzerFor, publicFinding } from '../../../pii/index.js';
import { formatCounts } from '../../format-counts.js';
import { engineConfig, withEngineOptions, type EngineFlags } from './engine-options.js';
import { scanInputLines, stdoutSink } from './stdio.js';

export function analyzeCommand(): Command {
  return withEngineOptions(
    new Command('analyze')
      .description('Find personal data in a JSONL file of {"text": …} lines; prints offsets and types, never the values.')
      .argument('<file>', 'JSONL, one {"text": "..."} object per line ("-" for stdin)')
      .option('--json', 'one {"findings": [{"type", "start", "end", "score", "recognizer"}]} line per input line, in order; offsets are UTF-16 code units'),
  ).action(async (file: string, o: EngineFlags & { json?: boolean }) => {
    const config = engineConfig(o);
    const analyzer = analyzerFor(config);
    const out = stdoutSink();
    const totals: Record<string, number> = {};
    let lineNo = 0;
    let bad = 0;
    for await (const line of scanInputLines(file)) {
      lineNo++;
      const text = textOf(line);
      if (typeof text !== 'string') {
        bad++;
        // The error says why, on the line that stands for the input line.
        if (o.json) await out.write(JSON.stringify({ findings: [], error: `line ${lineNo}: ${text.problem}` }) + '\n');
        else await out.write(`line ${lineNo}: skipped, ${text.problem}\n`);
        continue;
      }
      const findings = analyzer.analyze(text, { language: config.language });
      for (const f of findings) totals[f.type] = (totals[f.type] ?? 0) + 1;
      if (o.json) await out.write(JSON.stringify({ findings: findings.map(publicFinding) }) + '\n');
      else
        await out.write(
          `line ${lineNo}: ${findings.length === 0 ? '-' : findings.map((f) => `${f.type} ${f.start}-${f.end} (${f.score.toFixed(2)})`).join(', ')}\n`,
        );
    }
    if (bad > 0) process.stderr.write(`lumora: ${bad} of ${lineNo} lines of ${file} were skipped (not JSON, or no string "text")\n`);
    if (!o.json) await out.write(`${lineNo} lines; found ${formatCounts(totals) || 'nothing'}\n`);
  });
}

/** The line's `"text"`, or what is wrong with the line. */
function textOf(line: string): string | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { problem: 'not valid JSON' };
  }
  const text = parsed !== null && typeof parsed === 'object' ? (parsed as { text?: unknown }).text : undefined;
  return typeof text === 'string' ? text : { problem: 'expected a JSON object with a string "text"' };
}
