/**
 * @module Typed PII-engine failures. Messages never include the analysed text or a found value.
 */
export class PiiError extends Error {
  override name = 'PiiError';
  readonly code: string;
  constructor(message: string, opts: { code?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.code = opts.code ?? 'PII_ERROR';
  }
}

/**
 * Runs `fn`; a PiiError it throws is reworded to start with `file` (or `file:line`), because the
 * engine's own messages say what is wrong but not where.
 */
export function withFileName<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PiiError && !err.message.startsWith(file)) throw new PiiError(`${file}: ${err.message}`, { code: err.code, cause: err });
    throw err;
  }
}
