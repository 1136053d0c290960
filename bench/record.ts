/**
 * @module Writes one benchmark's command and figures into its own section of
 * `docs/benchmarks.md`, so that each bench script can refresh its figures without touching
 * the others'. Sections are delimited by `<!-- bench:NAME -->` … `<!-- /bench:NAME -->`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const DEFAULT_FILE = new URL('../../docs/benchmarks.md', import.meta.url);

/** Replaces (or appends) the section `name` with `markdown`, stamped with the date and machine. */
export function recordBenchmark(opts: { name: string; title: string; command: string; markdown: string; file?: URL | string }): void {
  const file = opts.file ?? resolveDocsFile();
  const header = '# Benchmarks\n\nEach section is written by its bench script; rerun the command to refresh it.\n';
  const current = existsSync(file) ? readFileSync(file, 'utf8') : header;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const body = [
    `<!-- bench:${opts.name} -->`,
    `## ${opts.title}`,
    '',
    `Command: \`${opts.command}\` — run ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${cpu}), Node ${process.version}.`,
    '',
    opts.markdown.trim(),
    `<!-- /bench:${opts.name} -->`,
  ].join('\n');
  const re = new RegExp(`<!-- bench:${opts.name} -->[\\s\\S]*?<!-- /bench:${opts.name} -->`);
  const next = re.test(current) ? current.replace(re, body) : `${current.trimEnd()}\n\n${body}\n`;
  writeFileSync(file, next);
}

/** Formats rows as a markdown table. */
export function markdownTable(headers: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

// Bench scripts run from dist/bench/*.js (compiled) or bench/*.ts (tsx); both sit two or one
// levels under the project root.
function resolveDocsFile(): URL {
  const fromSource = new URL('../docs/benchmarks.md', import.meta.url);
  return import.meta.url.includes('/dist/') ? DEFAULT_FILE : fromSource;
}
