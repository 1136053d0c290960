/**
 * @module Orders: createOrder fixes the price and a fresh reference and returns a Solana Pay
 * transfer request; confirmOrder verifies the payment on chain and grants the dataset. Expected
 * failures (not signed in, not for sale, payment not found / not yet confirmed / invalid, order
 * expired) come back as members of the result union.
 */
import type { ExtraPaymentRecord, OrderRecord } from '../../catalog/index.js';
import { encodeTransactionRequest } from '../../chain/index.js';
import { visibleTo } from '../access.js';
import { badInput, builder } from '../builder.js';
import type { ApiContext } from '../context.js';
import {
  DatasetNotForSaleError,
  InvalidInputError,
  LimitExceededError,
  NotAuthorizedError,
  NotFoundError,
  OrderExpiredError,
  PaymentInvalidError,
  PaymentNotFoundError,
  PaymentPendingError,
} from '../errors.js';
import { CurrencyEnum, DatasetRef } from './dataset.js';
import { checkWalletRate } from './wallet-rate.js';

const OrderStatusEnum = builder.enumType('OrderStatus', {
  values: {
    PENDING: { description: 'Waiting for payment.' },
    PAID: { description: 'Paid; the buyer may download.' },
    EXPIRED: { description: 'Not paid in time.' },
  } as const,
});

function statusOf(o: OrderRecord, now: Date): 'PENDING' | 'PAID' | 'EXPIRED' {
  if (o.status === 'paid') return 'PAID';
  return o.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : 'PENDING';
}

const ExtraPaymentRef = builder.objectRef<ExtraPaymentRecord>('ExtraPayment').implement({
  description:
    'A payment the seller received and owes back to the buyer: it paid an order that another transaction had already paid, or it arrived after the order expired.',
  fields: (t) => ({
    signature: t.exposeString('signature'),
    orderId: t.exposeID('orderId'),
    buyer: t.exposeString('buyer'),
    amount: t.string({ description: 'Base units received.', resolve: (p) => p.amount.toString() }),
    currency: t.field({ type: CurrencyEnum, resolve: (p) => p.currency }),
    mint: t.string({ nullable: true, resolve: (p) => p.mint }),
    recordedAt: t.string({ resolve: (p) => p.recordedAt.toISOString() }),
  }),
});

export const OrderRef = builder.objectRef<OrderRecord>('Order').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    datasetId: t.exposeID('datasetId'),
    dataset: t.loadable({
      type: DatasetRef,
      nullable: true,
      load: async (ids: string[], ctx: ApiContext) => (await ctx.market.catalog.getDatasets(ids)).map((d) => (d && visibleTo(d, ctx.wallet) ? d : null)),
      resolve: (o) => o.datasetId,
    }),
    status: t.field({ type: OrderStatusEnum, resolve: (o, _a, ctx) => statusOf(o, ctx.market.now()) }),
    amount: t.string({ description: 'Base units (lamports or the token’s smallest unit).', resolve: (o) => o.amount.toString() }),
    currency: t.field({ type: CurrencyEnum, resolve: (o) => o.currency }),
    mint: t.string({ nullable: true, resolve: (o) => o.mint }),
    recipient: t.exposeString('recipient', { description: 'The seller’s wallet; SPL payments go to its associated token account.' }),
    reference: t.exposeString('reference', { description: 'A public key the payment must list among its accounts (Solana Pay reference).' }),
    memo: t.exposeString('memo', { description: 'The memo the payment must carry (an SPL Memo instruction).' }),
    paymentUrl: t.string({
      description: 'A Solana Pay transfer request (solana:RECIPIENT?amount=…&reference=…&memo=…) for any Solana Pay wallet.',
      resolve: async (o, _a, ctx) => ctx.market.orders.paymentUrl(o, o.datasetId),
    }),
    transactionRequestUrl: t.string({
      nullable: true,
      description:
        'A Solana Pay transaction request (solana:https://…/pay/ORDER): the server builds the transaction. Null when the server is not on https, as the spec requires.',
      resolve: (o, _a, ctx) => (ctx.market.publicUrl.startsWith('https:') ? encodeTransactionRequest(`${ctx.market.publicUrl}/pay/${o.id}`) : null),
    }),
    signature: t.string({ nullable: true, description: 'The transaction that paid it.', resolve: (o) => o.signature }),
    createdAt: t.string({ resolve: (o) => o.createdAt.toISOString() }),
    expiresAt: t.string({ resolve: (o) => o.expiresAt.toISOString() }),
    paidAt: t.string({ nullable: true, resolve: (o) => o.paidAt?.toISOString() ?? null }),
    extraPayments: t.field({
      type: [ExtraPaymentRef],
      description: 'Payments of this order the seller owes back: those after the one that paid it, or any that arrived after it expired.',
      resolve: (o, _a, ctx) => ctx.market.orders.extraPayments(o.id),
    }),
  }),
});

const OrderPayload = (name: string) =>
  builder.objectRef<{ order: OrderRecord }>(name).implement({
    fields: (t) => ({ order: t.field({ type: OrderRef, resolve: (p) => p.order }) }),
  });

const CreateOrderSuccess = OrderPayload('CreateOrderSuccess');
const ConfirmOrderSuccess = OrderPayload('ConfirmOrderSuccess');

/** The wallet of a field guarded by `authScopes: { signedIn: true }`. */
function signedIn(ctx: ApiContext): string {
  return ctx.wallet as string;
}

builder.mutationFields((t) => ({
  createOrder: t.field({
    type: CreateOrderSuccess,
    description: 'Starts a purchase: the order carries the amount, recipient, a fresh reference and a Solana Pay URL. Requires sign-in.',
    errors: {
      types: [NotAuthorizedError, NotFoundError, DatasetNotForSaleError, LimitExceededError],
      directResult: true,
      union: { name: 'CreateOrderResult' },
    },
    authScopes: { signedIn: true },
    args: { datasetId: t.arg.id({ required: true, description: 'A dataset id (demo@v1) or slug (its newest version).' }) },
    resolve: async (_root, { datasetId }, ctx) => {
      const wallet = signedIn(ctx);
      checkWalletRate(ctx);
      return { order: await ctx.market.orders.createOrder(wallet, String(datasetId)) };
    },
  }),
  confirmOrder: t.field({
    type: ConfirmOrderSuccess,
    description: 'Checks the payment on chain (every transaction mentioning the reference) and grants the dataset. Safe to repeat.',
    errors: {
      types: [NotAuthorizedError, NotFoundError, InvalidInputError, PaymentNotFoundError, PaymentPendingError, PaymentInvalidError, OrderExpiredError],
      directResult: true,
      union: { name: 'ConfirmOrderResult' },
    },
    authScopes: { signedIn: true },
    args: {
      orderId: t.arg.id({ required: true }),
      signature: t.arg.string({ required: true, description: 'The payment transaction’s signature (base58).' }),
    },
    resolve: async (_root, args, ctx) => {
      const wallet = signedIn(ctx);
      checkWalletRate(ctx);
      return { order: await ctx.market.orders.confirmOrder(wallet, String(args.orderId), args.signature) };
    },
  }),
}));

builder.queryField('order', (t) =>
  t.field({
    type: OrderRef,
    nullable: true,
    description: 'One of the signed-in wallet’s orders; null for another wallet’s or an unknown id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      if (!ctx.wallet) return null;
      const order = await ctx.market.store.getOrder(String(id));
      return order && order.buyer === ctx.wallet ? order : null;
    },
  }),
);

builder.queryField('myOrders', (t) =>
  t.field({
    type: [OrderRef],
    description: 'The signed-in wallet’s latest orders, newest first (empty when signed out).',
    complexity: { field: 5, multiplier: 50 },
    resolve: (_root, _a, ctx) => (ctx.wallet ? ctx.market.store.ordersOf(ctx.wallet) : []),
  }),
);

builder.queryField('paymentsToRefund', (t) =>
  t.field({
    type: [ExtraPaymentRef],
    description:
      'For a seller: payments the signed-in wallet received and owes back (orders paid twice, or paid after they expired), oldest first, `first` (1–100, default 50) at a time after the payment whose signature is `after` (empty when signed out).',
    args: {
      first: t.arg.int({ required: false, defaultValue: 50 }),
      after: t.arg.string({ required: false, description: 'The signature of the last payment of the previous page.' }),
    },
    complexity: (args) => ({ field: 5, multiplier: args.first ?? 50 }),
    resolve: (_root, args, ctx) => {
      const first = args.first ?? 50;
      if (first < 1 || first > 100) throw badInput(`first must be between 1 and 100, not ${first}`, 'first');
      return ctx.wallet ? ctx.market.orders.paymentsToRefund(ctx.wallet, { limit: first, ...(args.after ? { after: args.after } : {}) }) : [];
    },
  }),
);
