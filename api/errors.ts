/**
 * @module The marketplace's expected failures. Each is a class the Pothos errors plugin turns into
 * a member of a mutation's result union (errors as data); `code` is stable for clients to branch
 * on, and messages name the order, dataset or transaction and the broken rule, never a token.
 */

export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: string;
  constructor(message: string, code: string, opts: { cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.code = code;
  }
}

export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super(message, 'NOT_FOUND');
  }
}

/** No session, or the session's wallet may not do this (not the owner, not the buyer). */
export class NotAuthorizedError extends ApiError {
  override name = 'NotAuthorizedError';
  constructor(message: string) {
    super(message, 'NOT_AUTHORIZED');
  }
}

export class InvalidInputError extends ApiError {
  override name = 'InvalidInputError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message, 'INVALID_INPUT');
  }
}

export type SignInFailure =
  | 'INVALID_ADDRESS'
  | 'MALFORMED_MESSAGE'
  | 'WRONG_DOMAIN'
  | 'WRONG_ADDRESS'
  | 'MESSAGE_ALTERED'
  | 'UNKNOWN_NONCE'
  | 'NONCE_ALREADY_USED'
  | 'EXPIRED'
  | 'ISSUED_AT_OUT_OF_RANGE'
  | 'BAD_SIGNATURE';

export class SignInFailedError extends ApiError {
  override name = 'SignInFailedError';
  constructor(
    message: string,
    readonly reason: SignInFailure,
  ) {
    super(message, 'SIGN_IN_FAILED');
  }
}

export class DatasetNotForSaleError extends ApiError {
  override name = 'DatasetNotForSaleError';
  constructor(message: string) {
    super(message, 'DATASET_NOT_FOR_SALE');
  }
}

/** No transaction mentions the order's reference (yet). */
export class PaymentNotFoundError extends ApiError {
  override name = 'PaymentNotFoundError';
  constructor(message: string) {
    super(message, 'PAYMENT_NOT_FOUND');
  }
}

/** A payment exists but has not reached the commitment the server requires. */
export class PaymentPendingError extends ApiError {
  override name = 'PaymentPendingError';
  constructor(
    message: string,
    readonly signature: string,
  ) {
    super(message, 'PAYMENT_PENDING');
  }
}

/** Transactions mention the reference but none pays the order; `reasons` says why, per transaction. */
export class PaymentInvalidError extends ApiError {
  override name = 'PaymentInvalidError';
  constructor(
    message: string,
    readonly reasons: string[],
  ) {
    super(message, 'PAYMENT_INVALID');
  }
}

export class OrderExpiredError extends ApiError {
  override name = 'OrderExpiredError';
  constructor(message: string) {
    super(message, 'ORDER_EXPIRED');
  }
}

/** Localnet-only features (the faucet) asked of a server on a real cluster. */
export class NotAvailableError extends ApiError {
  override name = 'NotAvailableError';
  constructor(message: string) {
    super(message, 'NOT_AVAILABLE');
  }
}

/** A per-wallet quota is used up (open orders, …); `limit` is the quota. */
export class LimitExceededError extends ApiError {
  override name = 'LimitExceededError';
  constructor(
    message: string,
    readonly limit: number,
  ) {
    super(message, 'LIMIT_EXCEEDED');
  }
}
