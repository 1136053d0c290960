/**
 * @module Typed federated-learning failures. Messages name the job, round, client or argument
 * and the broken rule.
 */

export class FederatedError extends Error {
  override name = 'FederatedError';
  readonly code: string;
  constructor(message: string, opts: { code?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.code = opts.code ?? 'FEDERATED_ERROR';
  }
}
