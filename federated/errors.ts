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

/**
 * A training job's spec breaks a rule. `path` locates the field in the job's input
 * (`TrainingJobInput`: `['clients']`, `['local', 'epochs']`, `['dp', 'epsilonBudget']`), so an
 * edge can name it in its own terms; the message starts with the field's name.
 */
export class JobSpecError extends FederatedError {
  override name = 'JobSpecError';
  constructor(
    message: string,
    readonly path: readonly PropertyKey[],
    opts: { code?: string } = {},
  ) {
    super(message, { code: opts.code ?? 'INVALID_ARGUMENT' });
  }
}
