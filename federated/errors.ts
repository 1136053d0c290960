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

/**
 * A quota on what the server keeps for training jobs is used up: `setting` names the server
 * setting and `limit` its value; the message says how to free a place.
 */
export class JobQuotaError extends FederatedError {
  override name = 'JobQuotaError';
  constructor(
    message: string,
    readonly setting: string,
    readonly limit: number,
  ) {
    super(message, { code: 'QUOTA_EXCEEDED' });
  }
}
