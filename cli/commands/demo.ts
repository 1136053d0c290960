/**
 * @module `lumora demo`: the main job on the committed fixtures with embedded defaults (no server,
 * no key, no network), published into the data home, so a new user sees every stage at work.
 */
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Command } from 'commander';
import { Catalog } from '../../catalog/index.js';
import { parsePipelineConfig, runPipeline } from '../../pipeline/index.js';
import { createConsoleLogger } from '../console-logger.js';
import { DEFAULT_HOME } from '../options.js';
import { dropSummary, formatCounts } from '../format-counts.js';
import { createStderrProgress } from '../progress.js';
import { packageRoot, toolVersion } from '../version.js';

export function demoCommand(): Command {
  return new Command('demo')
    .description('Run the pipeline on the bundled fixture WARC and JSONL files and publish the result as dataset "demo".')
    .option('--home <dir>', 'data home for the catalog and the demo output (env LUMORA_HOME)', DEFAULT_HOME)
    .action(async (o: { home: string }) => {
      const root = packageRoot();
      const inputs = [join(root, 'fixtures/warc/site.warc.gz'), join(root, 'fixtures/jsonl/pages.jsonl')];
      const outDir = join(o.home, 'out', 'demo');
      // The demo owns this directory; a second demo replaces the first one's output.
      await rm(outDir, { recursive: true, force: true });
      const progress = createStderrProgress();
      const config = parsePipelineConfig({
        dataset: { name: 'demo', license: 'cc-by-4.0', description: 'Lumora demo: the fixture web site, processed end to end.' },
      });
      const result = await runPipeline({
        inputs,
        outDir,
        home: o.home,
        config,
        toolVersion: toolVersion(),
        logger: createConsoleLogger({ level: 'error' }),
        onProgress: (p) => progress.update(p),
      }).finally(() => progress.done());
      const catalog = await Catalog.open({ home: o.home });
      let id: string;
      try {
        id = (await catalog.publish(result.outDir)).id;
      } finally {
        catalog.close();
      }
      const r = result.report;
      const rel = (p: string) => relative(process.cwd(), p) || '.';
      process.stdout.write(
        [
          `Lumora demo: ${r.source.read} pages read from ${inputs.map(rel).join(' and ')}`,
          `  skipped before processing: ${formatCounts(r.source.skipped) || 'none'}`,
          ...r.funnel.map((f) => `  ${f.stage.padEnd(9)} ${String(f.in).padStart(4)} in → ${String(f.out).padStart(4)} kept${dropSummary(f.dropped)}`),
          `  PII redacted: ${formatCounts(r.piiCounts) || 'none'}`,
          '',
          `Dataset:  ${rel(result.outDir)}  (${result.rows} rows; data/*.parquet, manifest.json, README.md)`,
          `Report:   ${rel(join(result.outDir, 'report.html'))}`,
          `Catalog:  ${rel(join(o.home, 'catalog.duckdb'))}, published as ${id}`,
          '',
          'Try:',
          `  npx lumora datasets --home ${o.home}`,
          `  npx lumora query demo "SELECT lang, count(*) AS docs, round(avg(quality_score), 2) AS quality FROM dataset GROUP BY lang" --home ${o.home}`,
        ].join('\n') + '\n',
      );
    });
}
