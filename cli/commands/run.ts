/**
 * @module `lumora run INPUT... --out DIR`: the main job.
 */
import { Command, Option } from 'commander';
import { Catalog, OperationAbortedError } from '../../catalog/index.js';
import { runPipeline, RunInterruptedError, type RunProgress, type RunResult } from '../../pipeline/index.js';
import { loadConfig } from '../config-file.js';
import { createConsoleLogger } from '../console-logger.js';
import { dropSummary } from '../format-counts.js';
import { handleInterrupts, interruptGraceMs } from '../interrupt.js';
import { createStderrProgress } from '../progress.js';
import { toolVersion } from '../version.js';
import { DEFAULT_HOME, intOption, listOption } from '../options.js';

export function runCommand(): Command {
  return new Command('run')
    .description(
      'Run the pipeline: crawl URLs and/or read WARC and JSONL files, then extract, detect language, dedupe, redact PII, score quality, and write a Parquet dataset.',
    )
    .argument('<inputs...>', 'start URLs (http/https, crawled), .warc/.warc.gz files, .jsonl/.jsonl.gz files of {url, html} or {url, text}')
    .requiredOption('--out <dir>', 'dataset directory to write (must not exist or be empty)')
    .option('--config <file>', 'YAML or JSON config file; flags override it')
    .option('--home <dir>', 'data home: catalog, runs and checkpoints (env LUMORA_HOME)', DEFAULT_HOME)
    .option('--publish', 'register the finished dataset in the catalog')
    .option('--name <slug>', 'dataset name in the catalog (default: the --out directory name)')
    .option('--resume', 'continue the last interrupted run with the same inputs, --out and config')
    .option('--workers <n>', 'worker threads for CPU stages (0 = main thread only)', intOption)
    .option('--lang <codes>', 'keep only these languages (comma-separated ISO 639-1); default keeps all', listOption)
    .option('--max-pages <n>', 'crawl: stop after this many pages', intOption)
    .option('--max-depth <n>', 'crawl: follow links this many hops from the start URL', intOption)
    .option('--allow-domain <hosts>', 'crawl: hosts links may lead to (comma-separated); default the start host', listOption)
    .addOption(
      new Option('--quality <mode>', 'quality: drop docs failing hard rules, drop below a score, or only tag').choices(['drop-hard', 'threshold', 'tag']),
    )
    .option('--verbose', 'log progress details (checkpoints, skipped inputs) to stderr')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (inputs: string[], o: RunFlags) => {
      const config = loadConfig(o.config, {
        dataset: { name: o.name },
        runner: { workers: o.workers },
        language: o.lang ? { allow: o.lang } : undefined,
        crawl: { maxPages: o.maxPages, maxDepth: o.maxDepth, allowDomains: o.allowDomain },
        quality: o.quality ? { mode: o.quality } : undefined,
      });
      const logger = createConsoleLogger({ level: o.verbose ? 'info' : 'warn' });
      const progress = createStderrProgress();
      const crawls = inputs.some((i) => /^https?:\/\//i.test(i));
      // The runner's last figures, and the dataset once it is at --out: if the process has to exit
      // before the command reports the interruption itself, it prints the line the command would.
      let last: RunProgress | undefined;
      let finished: RunResult | undefined;
      const interrupt = handleInterrupts({
        graceMs: interruptGraceMs(),
        hint: (signal) =>
          finished
            ? interruptedBeforePublishing(signal, finished).message
            : RunInterruptedError.forRun({ signal, runId: last?.runId, docsRead: last?.docsRead ?? 0, docsSaved: last?.docsSaved, crawl: crawls }).message,
      });
      let result: RunResult;
      let published;
      // The handlers stay through the publish: a signal then ends the command with its hint and
      // no staging copy left, instead of killing it where it stands.
      try {
        try {
          result = await runPipeline({
            inputs,
            outDir: o.out,
            home: o.home,
            config,
            resume: Boolean(o.resume),
            toolVersion: toolVersion(),
            logger,
            onProgress: (p) => {
              last = p;
              progress.update(p);
            },
            signal: interrupt.signal,
          });
        } finally {
          progress.done();
        }
        if (o.publish) {
          finished = result;
          const stopped = (cause?: unknown) => interruptedBeforePublishing(String(interrupt.signal.reason), result, cause);
          if (interrupt.signal.aborted) throw stopped();
          try {
            const catalog = await Catalog.open({ home: o.home, signal: interrupt.signal });
            try {
              published = await catalog.publish(result.outDir, { signal: interrupt.signal });
            } finally {
              catalog.close();
            }
          } catch (err) {
            if (err instanceof OperationAbortedError && interrupt.signal.aborted) throw stopped(err);
            throw err;
          }
          // A signal that came once the catalog was being written changed nothing: the dataset is published.
        }
      } finally {
        interrupt.dispose();
      }
      if (o.json) {
        process.stdout.write(
          JSON.stringify({
            runId: result.runId,
            out: result.outDir,
            rows: result.rows,
            parts: result.parts.length,
            resumed: result.resumed,
            dataset: published ?? null,
          }) + '\n',
        );
        return;
      }
      const r = result.report;
      process.stdout.write(
        [
          `Read ${r.source.read} documents, wrote ${result.rows} rows in ${result.parts.length} Parquet part(s)${result.resumed ? ' (resumed)' : ''}.`,
          ...r.funnel.map((f) => `  ${f.stage.padEnd(9)} ${String(f.in).padStart(7)} in → ${String(f.out).padStart(7)} kept${dropSummary(f.dropped)}`),
          `Dataset: ${result.outDir}`,
          `Report:  ${result.outDir}/report.html`,
          ...(published ? [`Published as ${published.id} in ${o.home}/catalog.duckdb`] : []),
        ].join('\n') + '\n',
      );
    });
}

/** A signal came after the run finished and before the dataset was registered: it is whole at --out. */
function interruptedBeforePublishing(signal: string, result: RunResult, cause?: unknown): RunInterruptedError {
  return new RunInterruptedError(
    `run ${result.runId} interrupted by ${signal} before publishing; the dataset is complete at ${result.outDir}: publish it with lumora publish ${result.outDir}`,
    signal,
    { cause },
  );
}

interface RunFlags {
  out: string;
  config?: string;
  home: string;
  publish?: boolean;
  name?: string;
  resume?: boolean;
  workers?: number;
  lang?: string[];
  maxPages?: number;
  maxDepth?: number;
  allowDomain?: string[];
  quality?: string;
  verbose?: boolean;
  json?: boolean;
}
