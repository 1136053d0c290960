/**
 * @module The localnet's write-ahead log: one JSON line per state change (a transaction's record
 * and the accounts it left behind), written and flushed to disk (fdatasync) before the change is
 * acknowledged to anyone. A transaction whose signature a client has seen, or that a payment
 * check has found, therefore survives a `kill -9` or a power cut; the snapshot (`save()`) only
 * compacts the log. A last line cut short by a crash was never acknowledged and is dropped on
 * reading; a damaged line before it is an error that names the file and the line.
 */
import { closeSync, existsSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ChainError, RPC_ERRORS } from './errors.js';

/** One durable record. `seq` increases by one per entry over the chain's life, across compactions. */
export interface LogEntry<T> {
  seq: number;
  change: T;
}

/**
 * An append-only file of JSON entries, each flushed before `append` returns.
 *
 * @example
 * const { log, entries } = WriteAheadLog.open<Change>('state.json.log', { firstSeq: snapshotSeq + 1 });
 * for (const e of entries) apply(e.change);
 * log.append(change); // durable once this returns
 */
export class WriteAheadLog<T> {
  private constructor(
    private readonly file: string,
    private fd: number,
    private nextSeq: number,
    private entries: number,
  ) {}

  /** Opens (creating) the log at `file`; returns it with the entries it holds, oldest first. */
  static open<T>(file: string, opts: { firstSeq: number }): { log: WriteAheadLog<T>; entries: Array<LogEntry<T>> } {
    const text = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
    // Only lines ended by a newline were flushed whole; a torn tail left by a crash mid-write was
    // never acknowledged, and is cut off so the next entry starts on a line of its own.
    const intact = text.lastIndexOf(0x0a) + 1;
    const entries = parseEntries<T>(file, text.subarray(0, intact).toString('utf8'));
    const fd = openSync(file, 'a');
    if (intact < text.length) {
      ftruncateSync(fd, intact);
      fdatasyncSync(fd);
    }
    const last = entries.at(-1)?.seq ?? 0;
    return { log: new WriteAheadLog<T>(file, fd, Math.max(last + 1, opts.firstSeq), entries.length), entries };
  }

  /** The sequence number the next entry will get. */
  get seq(): number {
    return this.nextSeq;
  }

  /** Entries written since the log was last reset. */
  get size(): number {
    return this.entries;
  }

  /**
   * Writes one entry and flushes it to disk before returning. A write that fails part-way is cut
   * back off the file before the error is thrown, so no torn line is left in the middle of the log.
   */
  append(change: T): number {
    const line = Buffer.from(`${JSON.stringify({ seq: this.nextSeq, change })}\n`);
    const start = fstatSync(this.fd).size;
    try {
      // writeSync may write less than asked (a full disk, a signal): write the rest until all is out.
      for (let done = 0; done < line.length; ) done += writeSync(this.fd, line, done, line.length - done);
      fdatasyncSync(this.fd);
    } catch (err) {
      ftruncateSync(this.fd, start);
      throw new ChainError(`${this.file}: could not write the transaction log (${(err as NodeJS.ErrnoException).code ?? 'write failed'})`, {
        code: RPC_ERRORS.internal,
        cause: err,
      });
    }
    this.entries++;
    return this.nextSeq++;
  }

  /** Empties the log, once a snapshot holds everything in it. */
  reset(): void {
    ftruncateSync(this.fd, 0);
    fdatasyncSync(this.fd);
    this.entries = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}

function parseEntries<T>(file: string, text: string): Array<LogEntry<T>> {
  const out: Array<LogEntry<T>> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    let entry: LogEntry<T> | undefined;
    try {
      entry = JSON.parse(line) as LogEntry<T>;
    } catch {
      entry = undefined;
    }
    if (entry === undefined || typeof entry.seq !== 'number') {
      throw new ChainError(`${file}: line ${i + 1} is not a log entry; the localnet's state is damaged`, { code: RPC_ERRORS.internal });
    }
    out.push(entry);
  }
  return out;
}
