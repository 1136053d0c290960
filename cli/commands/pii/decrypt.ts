/**
 * @module `lumora pii decrypt`: restores the values the encrypt operator wrote into a text or
 * JSONL file, to stdout or `--out`.
 */
import { Command } from 'commander';
import { PiiError, checkInputFile, createFileSink, fileFormatOf, looksBinary, scanDecryptedLines } from '../../../pii/index.js';
import { checkOutput } from './check-output.js';
import { stdoutSink } from './stdio.js';

export function decryptCommand(): Command {
  return new Command('decrypt')
    .description('Restore the values the encrypt operator wrote into a text or JSONL file (needs the same key).')
    .argument('<file>', 'a file written by `lumora pii redact` with encrypt operators')
    .option('--out <file>', 'output file (default: stdout)')
    .option('--force', 'overwrite the output file if it exists')
    .option('--key-env <name>', 'environment variable holding the key', 'LUMORA_PII_KEY')
    .action(async (file: string, o: { out?: string; force?: boolean; keyEnv: string }) => {
      checkInputFile(file);
      const format = fileFormatOf(file);
      if (format === 'parquet' || format === 'arrow' || looksBinary(file)) {
        throw new PiiError(`${file}: decrypt reads text and JSONL files; this one is binary (Parquet or Arrow)`, { code: 'PII_BAD_INPUT' });
      }
      if (o.out) checkOutput(o.out, file, o.force, '--out');
      const key = process.env[o.keyEnv];
      if (!key) throw new PiiError(`decrypt needs the key: set the ${o.keyEnv} environment variable`, { code: 'PII_KEY_MISSING' });
      const out = o.out ? createFileSink(o.out) : stdoutSink();
      for await (const line of scanDecryptedLines(file, key)) await out.write(line + '\n');
      await out.close();
    });
}
