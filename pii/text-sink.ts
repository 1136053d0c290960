/**
 * @module A `TextSink`: text written to a file or a stream, waiting whenever the stream asks to.
 * A write error (a full disk, a closed pipe) becomes a PiiError naming the target, thrown by the
 * next write or close, instead of an unhandled 'error' event.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { PiiError } from './errors.js';

export interface TextSink {
  write(text: string): Promise<void>;
  /** Flushes and closes a file (a caller's stream is left open); calling it again does nothing. */
  close(): Promise<void>;
}

/** Writes a new file at `path`, replacing one that is there. */
export function createFileSink(path: string): TextSink {
  return sink(createWriteStream(path), path, true);
}

/** Writes to a stream the caller owns, such as stdout; `name` is what errors call it. */
export function createStreamSink(stream: NodeJS.WritableStream, name: string): TextSink {
  return sink(stream, name, false);
}

function sink(stream: NodeJS.WritableStream, name: string, ownsStream: boolean): TextSink {
  let failure: Error | undefined;
  let closed = false;
  const fail = (err: NodeJS.ErrnoException) => {
    failure ??= new PiiError(`${name}: cannot write (${err.code ?? err.message})`, { code: 'PII_BAD_OUTPUT', cause: err });
  };
  stream.on('error', fail);
  return {
    async write(text) {
      if (failure) throw failure;
      let flushed: boolean;
      try {
        flushed = stream.write(text);
      } catch (err) {
        // A synchronous stream (stdout redirected to a file) throws instead of emitting 'error'.
        fail(err as NodeJS.ErrnoException);
        throw failure;
      }
      // events.once rejects with the raw error when 'error' comes first; the handler above has
      // already turned it into the PiiError that names the target.
      if (!flushed) await Promise.race([once(stream, 'drain'), once(stream, 'error')]).catch(() => {});
      if (failure) throw failure;
    },
    async close() {
      if (!ownsStream || closed) return;
      closed = true;
      stream.end();
      if (!failure) await Promise.race([once(stream, 'finish'), once(stream, 'error')]).catch(() => {});
      if (failure) throw failure;
    },
  };
}
