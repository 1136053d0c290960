/**
 * @module `lumora extract FILE.html`: prints a page's extracted main text.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { FatalError, decodeHtml, extractMainText } from '../../pipeline/index.js';

export function extractCommand(): Command {
  return new Command('extract')
    .description('Print the main text of an HTML file (navigation, ads and boilerplate removed).')
    .argument('<file>', 'an HTML file')
    .option('--url <url>', 'the URL the page came from (resolves the canonical link)')
    .option('--json', 'print {title, text, canonicalUrl, langHints} as JSON')
    .action((file: string, o: { url?: string; json?: boolean }) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (cause) {
        throw new FatalError(`input ${file}: cannot read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
      }
      const { html } = decodeHtml(bytes);
      const result = extractMainText(html, o.url ? { url: o.url } : {});
      process.stdout.write(o.json ? JSON.stringify(result) + '\n' : result.text + '\n');
    });
}
