/**
 * @module The pii subcommands' standard streams: "-" names standard input, and output to stdout
 * ends quietly when the reader closes the pipe.
 */
import { createInterface } from 'node:readline';
import { createStreamSink, scanLines, type TextSink } from '../../../pii/index.js';

/** The lines of `path`, or of standard input for "-". */
export async function* scanInputLines(path: string): AsyncIterable<string> {
  if (path === '-') yield* createInterface({ input: process.stdin, crlfDelay: Infinity });
  else yield* scanLines(path);
}

/** Standard output as a sink; it is the process's, so closing the sink leaves it open. */
export function stdoutSink(): TextSink {
  // Registered before the sink's own listener, which would report a closed pipe as a failure:
  // `lumora pii analyze … | head` closing it early is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
  return createStreamSink(process.stdout, 'stdout');
}
