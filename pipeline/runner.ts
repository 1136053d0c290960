/**
 * @module The runner: wires sources → the stages of `stage-list.ts` → Parquet sink, the stateless
 * stages on worker threads, in segments that each end with a part file and a checkpoint. A run
 * writes into a staging directory under the data home and moves it to `--out` only when complete,
 * so no reader ever sees half a dataset.
 *
 * @example
 * const result = await runPipeline({ inputs: ['site.warc.gz'], outDir: 'out/site', home: '.lumora',
 *   config: parsePipelineConfig({}), toolVersion: '0.1.0' });
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { PipelineConfig } from './config.js';
import { readCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint.js';
import { DatasetProfiler } from './dataset-profile.js';
import { DatasetWriter, type PartFile } from './dataset-writer.js';
import type { Doc } from './doc.js';
import { FatalError, RunInterruptedError } from './errors.js';
import { silentLogger, type Logger } from '../common/index.js';
import { writeDatasetFiles } from './dataset-files.js';
import { buildRunReport, type RunReport } from './report.js';
import { writeReportHtml } from './report-html.js';
import { checkDataHome, checkOutputDir, moveToOutputDir } from './run-paths.js';
import { openSource } from './sources/open-source.js';
import { isInputReadError } from './sources/input-file.js';
import type { Source } from './sources/source.js';
import { chainStages } from './run-segment.js';
import type { StatefulStage } from './stage.js';
import { PIPELINE_STAGES, planStages } from './stage-list.js';
import type { StageStats } from './stats.js';
import { Stats } from './stats.js';
import { WorkerPool } from './worker-pool.js';

/**
 * Progress figures, sent to `onProgress` as the run goes, after each checkpoint, and at once when
 * the run's signal aborts, so a caller that has to report the interruption itself has the figures
 * the runner would have used.
 */
export interface RunProgress {
  runId: string;
  docsRead: number;
  /** Input docs the last checkpoint holds (what `--resume` skips). */
  docsSaved: number;
  bytesRead: number;
  docsWritten: number;
  elapsedMs: number;
  /** Sum of the input files' sizes, when every input is an uncompressed file. */
  totalBytes?: number;
}

export interface RunOptions {
  inputs: string[];
  outDir: string;
  home: string;
  config: PipelineConfig;
  toolVersion: string;
  /** Continue from the last checkpoint of the same inputs, output and config. */
  resume?: boolean;
  logger?: Logger;
  onProgress?: (p: RunProgress) => void;
  now?: () => Date;
  /**
   * Stops the run between two documents: workers and files are closed, the last checkpoint is
   * kept, and the run rejects with RunInterruptedError (the abort reason names the signal).
   */
  signal?: AbortSignal;
}

export interface RunResult {
  runId: string;
  outDir: string;
  rows: number;
  parts: PartFile[];
  report: RunReport;
  /** True when the run continued from a checkpoint. */
  resumed: boolean;
}

const SOURCE_STAGE = 'source';

/** Runs the whole pipeline; throws `FatalError` for bad inputs or output, never for a bad page. */
export async function runPipeline(opts: RunOptions): Promise<RunResult> {
  const logger = (opts.logger ?? silentLogger).child({ component: 'runner' });
  const now = opts.now ?? (() => new Date());
  const outDir = resolve(opts.outDir);
  checkOutputDir(outDir, opts.outDir);
  checkDataHome(resolve(opts.home), opts.home);
  if (opts.inputs.length === 0) throw new FatalError('no input: name at least one URL, WARC or JSONL file');
  for (const stage of PIPELINE_STAGES) {
    try {
      stage.check?.(opts.config);
    } catch (e) {
      throw new FatalError((e as Error).message, { cause: e });
    }
  }
  const sources = opts.inputs.map((input) => openSource(input, { crawl: opts.config.crawl, maxRecordBytes: opts.config.input.maxRecordBytes }));

  const runId = computeRunId(opts.inputs, outDir, opts.config);
  const runDir = join(resolve(opts.home), 'runs', runId);
  const stagingDir = join(runDir, 'dataset');
  const checkpointPath = join(runDir, 'checkpoint.json');
  const statePath = (stageName: string) => join(runDir, `${stageName}.state`);

  // Resuming skips the docs a checkpoint holds by position, which is exact for files. A crawl
  // fetches in a different order each time, so skipping by position could lose or repeat pages.
  const hasCrawl = opts.inputs.some((i) => /^https?:\/\//i.test(i));
  if (opts.resume && hasCrawl) logger.warn({ runId }, 'a crawl cannot be replayed in the same order, so --resume starts it over');
  const previous = opts.resume && !hasCrawl ? readCheckpoint(checkpointPath) : undefined;
  if (opts.resume && !hasCrawl && !previous) logger.info({ runId }, 'no checkpoint to resume from; starting from the beginning');
  if (!previous) await rm(runDir, { recursive: true, force: true });
  await mkdir(stagingDir, { recursive: true });

  const stats = previous ? Stats.from(previous.stats) : new Stats();
  const profile = previous ? DatasetProfiler.from(previous.profile) : new DatasetProfiler();
  const parts: PartFile[] = previous ? [...previous.parts] : [];
  const startedAt = previous?.startedAt ?? now().toISOString();
  let sourceDocsDone = previous?.sourceDocsDone ?? 0;
  if (previous) logger.info({ runId, sourceDocsDone, parts: parts.length }, 'resuming from checkpoint');

  // The stage list in the order it runs: runs of worker stages on the pool, stateful stages here.
  const plan = planStages();
  const steps: Array<{ workerSegment: number } | { stage: StatefulStage }> = [];
  for (const step of plan.steps) {
    if ('workerSegment' in step) steps.push(step);
    else steps.push({ stage: await step.main.create(opts.config, previous ? { statePath: statePath(step.main.name) } : {}) });
  }
  const statefulStages = steps.flatMap((step) => ('stage' in step ? [step.stage] : []));
  const pool = await WorkerPool.create({
    size: opts.config.runner.workers,
    config: opts.config,
    segments: plan.workerSegments,
    docTimeoutMs: opts.config.runner.docTimeoutMs,
    batchDocs: opts.config.runner.batchDocs,
    batchBytes: opts.config.runner.batchBytes,
    heapMb: opts.config.runner.workerHeapMb,
    logger,
  });
  const writer = await DatasetWriter.create({ dir: stagingDir, scratchPath: join(runDir, 'part-buffer.duckdb') });
  const t0 = Date.now();
  const progress = { docsRead: 0, bytesRead: 0, docsWritten: 0 };
  const interrupted = () =>
    RunInterruptedError.forRun({
      // The CLI aborts with the signal's name; a library caller's abort() has an AbortError as reason.
      signal: typeof opts.signal?.reason === 'string' ? opts.signal.reason : 'SIGTERM',
      runId,
      docsRead: progress.docsRead,
      docsSaved: sourceDocsDone,
      crawl: hasCrawl,
    });
  const totalBytes = totalInputBytes(sources, opts.inputs);
  let lastProgressAt = 0;
  const reportProgress = (force = false) => {
    const t = Date.now();
    if (!opts.onProgress || (!force && t - lastProgressAt < 250)) return;
    lastProgressAt = t;
    opts.onProgress({ runId, ...progress, docsSaved: sourceDocsDone, elapsedMs: t - t0, ...(totalBytes ? { totalBytes } : {}) });
  };
  const reportAbort = () => reportProgress(true);
  opts.signal?.addEventListener('abort', reportAbort, { once: true });

  try {
    const reader = readSources(sources, stats, logger, sourceDocsDone, opts.signal)[Symbol.asyncIterator]();
    // Every segment but the last consumes exactly docsPerPart docs, so the segment number (and the
    // part's file name) is the same whether or not the run was resumed.
    for (let partIndex = Math.floor(sourceDocsDone / opts.config.runner.docsPerPart); ; partIndex++) {
      let consumed = 0;
      let exhausted = false;
      const segmentDocs = async function* (): AsyncIterable<Doc> {
        while (consumed < opts.config.runner.docsPerPart) {
          const next = await orAbort(reader.next(), opts.signal, interrupted);
          if (next.done) {
            exhausted = true;
            return;
          }
          consumed++;
          progress.docsRead++;
          progress.bytesRead += (next.value.html ?? next.value.text).length;
          reportProgress();
          yield next.value;
        }
      };
      await writer.beginPart();
      let stream = segmentDocs();
      for (const step of steps) {
        stream = 'stage' in step ? chainStages([step.stage], stream, stats, logger) : pool.map(step.workerSegment, stream, stats);
      }
      // Pulled by hand so that a signal ends the wait for a worker's batch, not only for the next input doc.
      const kept = stream[Symbol.asyncIterator]();
      for (;;) {
        const next = await orAbort(kept.next(), opts.signal, interrupted);
        if (next.done) break;
        writer.append(next.value);
        profile.add(next.value);
        progress.docsWritten++;
      }
      const part = await writer.finishPart(partIndex);
      if (part) parts.push(part);
      sourceDocsDone += consumed;
      if (consumed > 0) {
        for (const stage of statefulStages) await stage.saveState(statePath(stage.name));
        const cp: Checkpoint = {
          version: 1,
          runId,
          startedAt,
          sourceDocsDone,
          parts,
          stats: stats.toJSON(),
          profile: profile.toJSON(),
        };
        await writeCheckpoint(checkpointPath, cp);
        logger.info({ runId, sourceDocsDone, rows: cp.profile.rows, parts: parts.length }, 'checkpoint written');
      }
      reportProgress(true);
      if (exhausted || consumed === 0) break;
    }
    // Stopped after the last segment: the checkpoint holds everything, and --resume finishes the dataset.
    if (opts.signal?.aborted) throw interrupted();
  } finally {
    // From here on the figures do not change: the last report stands.
    opts.signal?.removeEventListener('abort', reportAbort);
    writer.close();
    await pool.close();
  }

  // Nothing read at all (random bytes named .warc, an empty file, a crawl that fetched no page) is
  // a failed run, not an empty dataset: say why, and leave no dataset behind to publish.
  if (stats.get(SOURCE_STAGE, 'read') === 0) {
    await rm(runDir, { recursive: true, force: true });
    throw new FatalError(`${describeInputs(opts.inputs)}: no document was read${skippedSummary(stats)}; nothing was written`);
  }

  const finishedAt = now().toISOString();
  const profileJson = profile.toJSON();
  const report = buildRunReport({
    runId,
    inputs: opts.inputs,
    startedAt,
    finishedAt,
    durationMs: Date.now() - t0,
    stats: stats.toJSON(),
    profile: profileJson,
    parts,
    resumed: previous !== undefined,
  });
  await writeDatasetFiles({
    dir: stagingDir,
    name: opts.config.dataset.name ?? slugify(basename(outDir)),
    config: opts.config,
    inputs: opts.inputs,
    parts,
    profile: profileJson,
    stats: stats.toJSON(),
    report,
    toolVersion: opts.toolVersion,
    createdAt: finishedAt,
  });
  await writeReportHtml(join(stagingDir, 'report.html'), report);
  await cp(join(stagingDir, 'report.json'), join(runDir, 'report.json'));
  await cp(join(stagingDir, 'report.html'), join(runDir, 'report.html'));
  // Not started once the run is interrupted, and stopped if the signal comes during a copy: the
  // checkpoint stays until the dataset is in place, so --resume finishes the run either way.
  await moveToOutputDir(stagingDir, outDir, opts.outDir, { signal: opts.signal, interrupted });
  // The dataset is in place: first the checkpoint goes (a --resume now has nothing to continue),
  // then what is left of the run, including the staging copy a move across filesystems leaves.
  await rm(checkpointPath, { force: true });
  await rm(stagingDir, { recursive: true, force: true });
  for (const stage of statefulStages) await rm(statePath(stage.name), { force: true });
  await rm(join(runDir, 'part-buffer.duckdb'), { force: true });
  await rm(join(runDir, 'part-buffer.duckdb.wal'), { force: true });
  logger.info({ runId, outDir, rows: profileJson.rows, parts: parts.length }, 'run finished');
  return { runId, outDir, rows: profileJson.rows, parts, report, resumed: previous !== undefined };
}

/**
 * All inputs in order as one stream, numbering docs across inputs. The first `skip` docs (already
 * in a checkpoint) are read past without counting, since the checkpoint's counters include them.
 * An input that cannot be read ends with the docs read before the error, counted as
 * `skipped_unreadable`.
 */
async function* readSources(sources: Source[], stats: Stats, logger: Logger, skip: number, signal: AbortSignal | undefined): AsyncIterable<Doc> {
  let seen = 0;
  const live = stats.stage(SOURCE_STAGE);
  const quiet: StageStats = { count() {}, addTimeMs() {} };
  const counting: StageStats = {
    count: (name, by) => (seen >= skip ? live.count(name, by) : quiet.count(name, by)),
    addTimeMs: (ms) => live.addTimeMs(ms),
  };
  for (const source of sources) {
    const ctx = { stats: counting, logger: logger.child({ input: source.input }), signal };
    try {
      for await (const doc of source.scan(ctx)) {
        seen++;
        if (seen <= skip) continue;
        yield doc;
      }
    } catch (err) {
      // A broken input (a failing disk, a file we may not read) is skipped and counted, never the end of the run.
      if (!isInputReadError(err)) throw err;
      counting.count('skipped_unreadable');
      logger.warn(
        { input: source.input, code: err.code, syscall: err.syscall },
        `input could not be read (${err.code}); kept the documents read before the error and went on to the next input`,
      );
    }
  }
}

/** `promise`, or `error()` as soon as `signal` aborts, whichever comes first. */
function orAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, error: () => Error): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    // Abandoned: its failure, if any, is part of the interruption, not a further error.
    promise.catch(() => undefined);
    return Promise.reject(error());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(error());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function computeRunId(inputs: string[], outDir: string, config: PipelineConfig): string {
  const key = JSON.stringify({
    inputs: inputs.map((i) => (/^https?:/i.test(i) ? i : resolve(i))),
    outDir,
    // Workers and batch sizes change scheduling, not results: a resume may use other values.
    config: { ...config, runner: { docsPerPart: config.runner.docsPerPart } },
  });
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

function totalInputBytes(sources: Source[], inputs: string[]): number | undefined {
  if (inputs.some((i) => /^https?:/i.test(i) || i.endsWith('.gz'))) return undefined;
  return sources.reduce((sum, s) => sum + (s.sizeBytes ?? 0), 0);
}

/** The inputs for a message: `input a.warc`, or `inputs a.warc, b.jsonl and 3 more`. */
function describeInputs(inputs: string[]): string {
  const shown = inputs.slice(0, 3).join(', ');
  return inputs.length === 1 ? `input ${shown}` : `inputs ${shown}${inputs.length > 3 ? ` and ${inputs.length - 3} more` : ''}`;
}

/** What the sources skipped, e.g. ` (skipped: not_warc 1, truncated_record 1)`, or nothing. */
function skippedSummary(stats: Stats): string {
  const skipped = Object.entries(stats.toJSON().counters[SOURCE_STAGE] ?? {})
    .filter(([k]) => k.startsWith('skipped_'))
    .map(([k, v]) => `${k.slice('skipped_'.length)} ${v}`);
  return skipped.length > 0 ? ` (skipped: ${skipped.join(', ')})` : ' (no records in it)';
}

/** A catalog slug from a directory name. */
export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^\w.-]+/g, '-')
      .replace(/^[-_.]+|[-_.]+$/g, '') || 'dataset'
  );
}
