/**
 * @module An input file as a source reads it: one stream of its bytes (gunzipped when asked),
 * the errors that mean the file itself cannot be read, and closing it however a scan ends.
 */
import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * True for an error of the operating system while opening or reading an input file (EIO from a
 * failing disk, EACCES, EISDIR). A source lets it end its scan, keeping the docs it yielded; the
 * runner counts the input as `skipped_unreadable` and goes on to the next one. Never a malformed
 * record: those are the source's own `skipped_<reason>` counters.
 */
export function isInputReadError(err: unknown): err is NodeJS.ErrnoException & { code: string } {
  const e = err as NodeJS.ErrnoException | undefined;
  return err instanceof Error && typeof e?.code === 'string' && (e.syscall === 'open' || e.syscall === 'read');
}

/** The bytes of an input file; `close()` it in `finally`. */
export interface InputFile {
  /** Ends in an error when the file cannot be read (see `isInputReadError`), never in silence. */
  stream: Readable;
  /** Destroys the streams and resolves once the file's descriptor is closed. */
  close(): Promise<void>;
}

/**
 * Opens `path` for reading, through gunzip when `gunzip` is set. The streams are joined with
 * `stream.pipeline`, not `.pipe()`: with `.pipe()` a read error reaches neither the reader (which
 * waits forever) nor any handler (an uncaught 'error' ends the process), and destroying the
 * gunzip stream leaves the file open.
 */
export function openInputFile(path: string, opts: { gunzip?: boolean } = {}): InputFile {
  const file = createReadStream(path);
  const stream = opts.gunzip
    ? pipeline(file, createGunzip(), () => {
        // Errors reach the reader through the gunzip stream, which pipeline destroys with them.
      })
    : file;
  return {
    stream,
    close: () =>
      new Promise((resolve) => {
        stream.destroy();
        if (file.closed) return resolve();
        file.once('close', () => resolve());
        file.destroy();
      }),
  };
}
