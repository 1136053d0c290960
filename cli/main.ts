/**
 * @module The `lumora` command: parses flags and calls the folders that do the work. Errors that
 * come from bad input print one clear line and exit non-zero; nothing else prints a stack.
 */
import { Command, CommanderError } from 'commander';
import { CatalogError } from '../catalog/index.js';
import { PiiError } from '../pii/index.js';
import { PipelineError } from '../pipeline/index.js';
import { datasetsCommand, publishCommand, queryCommand } from './commands/catalog-commands.js';
import { demoCommand } from './commands/demo.js';
import { extractCommand } from './commands/extract.js';
import { piiCommand } from './commands/pii.js';
import { runCommand } from './commands/run.js';
import { toolVersion } from './version.js';

const program = new Command('lumora')
  .description('Turn collected web pages into deduplicated, PII-redacted, quality-scored Parquet datasets.')
  .version(toolVersion())
  .showHelpAfterError()
  .exitOverride();

for (const cmd of [runCommand(), extractCommand(), publishCommand(), datasetsCommand(), queryCommand(), piiCommand(), demoCommand()]) {
  program.addCommand(cmd.showHelpAfterError().exitOverride());
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else if (err instanceof PipelineError || err instanceof CatalogError || err instanceof PiiError) {
    process.stderr.write(`lumora: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`lumora: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
}
