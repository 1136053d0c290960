/**
 * @module One measured pipeline run in its own process (so peak RSS is this run's alone), for
 * bench/pipeline.ts. Prints one JSON line: seconds, peak RSS, and the run report's figures.
 * Usage: node dist/bench/pipeline-run.js INPUT.jsonl WORKERS [read | DOCS_PER_PART [WORKER_HEAP_MB]]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../common/index.js';
import { createJsonlSource, parsePipelineConfig, runPipeline, Stats } from '../pipeline/index.js';

const [input, workersArg, mode, workerHeapArg] = process.argv.slice(2);
if (!input) throw new Error('usage: pipeline-run INPUT WORKERS [read | DOCS_PER_PART]');
const workers = Number(workersArg ?? 2);
const t0 = performance.now();
if (mode === 'read') {
  // Baseline: the bare cost of reading and parsing the input, no stages.
  const stats = new Stats();
  let docs = 0;
  for await (const _ of createJsonlSource({ path: input }).scan({ stats: stats.stage('source'), logger: silentLogger })) docs++;
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ seconds, docs, bytes: stats.get('source', 'bytes'), maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
} else {
  const home = mkdtempSync(join(tmpdir(), 'lumora-bench-'));
  try {
    const result = await runPipeline({
      inputs: [input],
      outDir: join(home, 'out'),
      home,
      config: parsePipelineConfig({
        runner: { workers, ...(mode ? { docsPerPart: Number(mode) } : {}), ...(workerHeapArg ? { workerHeapMb: Number(workerHeapArg) } : {}) },
      }),
      toolVersion: 'bench',
    });
    const seconds = (performance.now() - t0) / 1000;
    const r = result.report;
    process.stdout.write(
      JSON.stringify({
        seconds,
        docs: r.source.read,
        bytes: r.source.bytes,
        rows: result.rows,
        maxRssMb: process.resourceUsage().maxRSS / 1024,
        timeShares: Object.fromEntries(r.funnel.map((f) => [f.stage, f.timeShare])),
        funnel: r.funnel.map((f) => ({ stage: f.stage, in: f.in, out: f.out, dropped: f.dropped })),
      }) + '\n',
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
