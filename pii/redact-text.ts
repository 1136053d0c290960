/**
 * @module Redacting a text file into a new one. The file is one document (one pseudonym
 * numbering) but is read in pieces, so a file of any size streams; the output is the input byte
 * for byte outside the values, line endings and a missing final newline included.
 */
import { createReadStream } from 'node:fs';
import type { Analyzer } from './analyzer.js';
import type { Anonymizer } from './anonymizer.js';
import type { Finding } from './finding.js';
import { checkInputFile } from './input-file.js';
import { createFileSink } from './text-sink.js';

// A piece ends at a blank line once this much text is waiting, so a value is never cut in two.
const PIECE_MIN_CHARS = 65_536;
// Past this without a blank line, a piece ends at a line end instead, to bound memory.
const PIECE_MAX_CHARS = 1_000_000;

export interface TextRedactOptions {
  analyzer: Analyzer;
  anonymizer: Anonymizer;
  language?: string;
  /**
   * Called for each piece with findings, with its 0-based number; offsets count from the start of
   * the file, as a reader of it would. Awaited, so a slow audit log holds the reading back.
   */
  onFindings?: (piece: number, findings: Finding[]) => void | Promise<void>;
}

/**
 * Writes `input` to `output` with its personal data transformed; returns the number of pieces.
 *
 * @example
 * const { analyzer, anonymizer } = createEngine(piiConfigSchema.parse({}));
 * await redactText('letter.txt', 'letter.redacted.txt', { analyzer, anonymizer });
 */
export async function redactText(input: string, output: string, opts: TextRedactOptions): Promise<number> {
  checkInputFile(input);
  const out = createFileSink(output);
  const language = opts.language ? { language: opts.language } : {};
  const scope = opts.anonymizer.scope();
  let pieces = 0;
  let offset = 0;
  try {
    for await (const piece of scanPieces(input)) {
      const findings = opts.analyzer.analyze(piece, language);
      if (findings.length > 0)
        await opts.onFindings?.(
          pieces,
          findings.map((f) => ({ ...f, start: f.start + offset, end: f.end + offset })),
        );
      offset += piece.length;
      await out.write(findings.length === 0 ? piece : scope.anonymize(piece, findings).text);
      pieces++;
    }
    return pieces;
  } finally {
    await out.close();
  }
}

/** The file's text in pieces that end at a blank line (or a line end); joined, they are the file. */
async function* scanPieces(file: string): AsyncIterable<string> {
  let buf = '';
  for await (const chunk of createReadStream(file, 'utf8') as AsyncIterable<string>) {
    buf += chunk;
    if (buf.length < PIECE_MIN_CHARS) continue;
    let cut = buf.lastIndexOf('\n\n');
    if (cut < 0) cut = buf.lastIndexOf('\n\r\n');
    if (cut < 0 && buf.length > PIECE_MAX_CHARS) cut = buf.lastIndexOf('\n');
    if (cut < 0) continue;
    yield buf.slice(0, cut + 1);
    buf = buf.slice(cut + 1);
  }
  if (buf.length > 0) yield buf;
}
