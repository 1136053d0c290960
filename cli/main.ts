/**
 * @module The `lumora` command: parses flags and calls the folders that do the work. Errors that
 * come from bad input print one clear line and exit non-zero; nothing else prints a stack.
 */
import { Command, CommanderError } from 'commander';
import { CatalogError } from '../catalog/errors.js';
import { PiiError } from '../pii/errors.js';
import { PipelineError, RunInterruptedError } from '../pipeline/errors.js';
import { signalExitCode } from './interrupt.js';
import { UsageError } from './usage-error.js';
import { toolVersion } from './version.js';

// Each command's module loads only when that command runs: the pipeline pulls in the crawler,
// Readability and language data, which `lumora pii …` or `lumora --version` should not wait for.
const catalogCommands = () => import('./commands/catalog-commands.js').then((m) => [m.publishCommand(), m.datasetsCommand(), m.queryCommand()]);
const LOADERS: Record<string, () => Promise<Command[]>> = {
  run: () => import('./commands/run.js').then((m) => [m.runCommand()]),
  extract: () => import('./commands/extract.js').then((m) => [m.extractCommand()]),
  publish: catalogCommands,
  datasets: catalogCommands,
  query: catalogCommands,
  pii: () => import('./commands/pii/index.js').then((m) => [m.piiCommand()]),
  demo: () => import('./commands/demo.js').then((m) => [m.demoCommand()]),
  serve: () => import('./commands/serve.js').then((m) => [m.serveCommand()]),
  fl: () => import('./commands/fl.js').then((m) => [m.flCommand()]),
};

const program = new Command('lumora')
  .description('Turn collected web pages into deduplicated, PII-redacted, quality-scored Parquet datasets.')
  .version(toolVersion())
  .showHelpAfterError()
  .exitOverride();

const first = process.argv[2] ?? '';
const requested = LOADERS[first];
const loaders = requested ? [requested] : first === '-V' || first === '--version' ? [] : [...new Set(Object.values(LOADERS))];
for (const load of loaders) {
  for (const cmd of await load()) program.addCommand(cmd.showHelpAfterError().exitOverride());
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else if (err instanceof RunInterruptedError) {
    // The run has closed its workers and files and kept its checkpoint; what is left (a crawl's
    // request in flight) is not worth waiting for after a signal.
    process.stderr.write(`lumora: ${err.message}\n`);
    process.exit(signalExitCode(err.signal));
  } else if (err instanceof PipelineError || err instanceof CatalogError || err instanceof PiiError || err instanceof UsageError) {
    process.stderr.write(`lumora: ${err.message}\n`);
    process.exitCode = 2;
  } else if (isFileSystemError(err)) {
    // A path the user named (or one under the data home) that cannot be used: its name and the reason are the message.
    process.stderr.write(`lumora: ${err.path}: ${err.code} (${err.syscall ?? 'file system'} failed)\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`lumora: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
}

function isFileSystemError(err: unknown): err is NodeJS.ErrnoException & { path: string; code: string } {
  const e = err as NodeJS.ErrnoException | null;
  return e instanceof Error && typeof e.code === 'string' && typeof e.path === 'string';
}
