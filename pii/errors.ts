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
