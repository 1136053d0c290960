/**
 * @module `lumora pii analyze | redact | eval | decrypt`: the PII engine on files, for people
 * and for other tools. Output never contains a found value: `analyze` gives offsets, `redact`
 * writes the transformed file plus counts, and errors name the line, not its text. Each
 * subcommand parses its flags, checks its paths and calls pii/.
 */
import { Command } from 'commander';
import { analyzeCommand } from './analyze.js';
import { decryptCommand } from './decrypt.js';
import { evalCommand } from './eval.js';
import { redactCommand } from './redact.js';

export function piiCommand(): Command {
  const cmd = new Command('pii').description('Find, redact and evaluate personal data detection on files.');
  for (const sub of [analyzeCommand(), redactCommand(), evalCommand(), decryptCommand()]) cmd.addCommand(sub.showHelpAfterError().exitOverride());
  return cmd;
}
