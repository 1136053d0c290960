/**
 * @module The expected failures as GraphQL types: each error class of api/errors.ts becomes an
 * object implementing `Error { message code }`, usable as a member of mutation result unions.
 */
import { builder } from '../builder.js';
import {
  ApiError,
  DatasetNotForSaleError,
  InvalidInputError,
  LimitExceededError,
  NotAuthorizedError,
  NotAvailableError,
  NotFoundError,
  OrderExpiredError,
  PaymentInvalidError,
  PaymentNotFoundError,
  PaymentPendingError,
  SignInFailedError,
} from '../errors.js';

export const ErrorInterface = builder.interfaceRef<ApiError>('Error').implement({
  description: 'An expected failure, returned as data. `code` is stable; `message` names what failed and why.',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code'),
  }),
});

const simple = [
  [NotFoundError, 'No dataset or order with that id.'],
  [NotAuthorizedError, 'Not signed in, or the signed-in wallet may not do this.'],
  [DatasetNotForSaleError, 'The dataset is not listed, has no price, or is yours already.'],
  [PaymentNotFoundError, "No transaction mentions the order's reference yet."],
  [OrderExpiredError, 'The order expired before a payment reached it; create a new order.'],
  [NotAvailableError, 'The feature needs the embedded localnet (the faucet).'],
] as const;

for (const [cls, description] of simple) {
  builder.objectType(cls, { name: cls.name, description, interfaces: [ErrorInterface], isTypeOf: (v) => v instanceof cls, fields: () => ({}) });
}

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  description: 'An argument is malformed; `field` names it.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof InvalidInputError,
  fields: (t) => ({ field: t.exposeString('field') }),
});

builder.objectType(SignInFailedError, {
  name: 'SignInFailedError',
  description: 'The signed message was rejected; `reason` says which check failed.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof SignInFailedError,
  fields: (t) => ({ reason: t.exposeString('reason') }),
});

builder.objectType(PaymentPendingError, {
  name: 'PaymentPendingError',
  description: 'A payment was found but is not yet confirmed (or finalized, per the server). Retry shortly.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof PaymentPendingError,
  fields: (t) => ({ signature: t.exposeString('signature') }),
});

builder.objectType(PaymentInvalidError, {
  name: 'PaymentInvalidError',
  description: 'Transactions mention the order but none pays it; `reasons` lists why, per transaction.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof PaymentInvalidError,
  fields: (t) => ({ reasons: t.exposeStringList('reasons') }),
});

builder.objectType(LimitExceededError, {
  name: 'LimitExceededError',
  description: 'A per-wallet quota is used up (unpaid orders, …); `limit` is the quota.',
  interfaces: [ErrorInterface],
  isTypeOf: (v) => v instanceof LimitExceededError,
  fields: (t) => ({ limit: t.exposeInt('limit') }),
});
