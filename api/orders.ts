/**
 * @module Orders: a buyer asks for a dataset, the server fixes the price, the recipient (the
 * seller's wallet) and a fresh reference key, and hands back a Solana Pay transfer request. When
 * the buyer says which transaction paid, the server checks on chain every transaction that
 * mentions the reference (chain/verify-payment) and only then records the signature, so one
 * transaction can never pay for two orders, and grants the entitlement.
 */
import { randomBytes } from 'node:crypto';
import { getBase58Decoder, isSignature, type Address } from '@solana/kit';
import type { Catalog, DatasetRecord, ExtraPaymentRecord, MarketStore, OrderRecord } from '../catalog/index.js';
import { DatasetNotFoundError, SignatureAlreadyUsedError } from '../catalog/index.js';
import {
  encodeTransferRequest,
  paymentProblems,
  readPaymentTransaction,
  readSignatureStatus,
  receivedAmount,
  verifyPayment,
  type Commitment,
  type ExpectedPayment,
  type PaymentCheck,
  type PaymentRpc,
} from '../chain/index.js';
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
} from './errors.js';

export interface OrderServiceOptions {
  catalog: Catalog;
  store: MarketStore;
  rpc: PaymentRpc;
  commitment: Commitment;
  orderTtlMs: number;
  /** Unpaid, unexpired orders one wallet may hold at once. */
  maxOpenOrdersPerWallet: number;
  /** How long an unpaid order is kept after it expired (then deleted, unless a transaction mentions it). */
  orderRetentionMs: number;
  /** Decimals of a currency: 9 for SOL, the mint's for a token. */
  decimalsOf: (mint: string | null) => Promise<number>;
  now: () => Date;
}

export class OrderService {
  constructor(private readonly opts: OrderServiceOptions) {}

  async createOrder(buyer: string, datasetRef: string): Promise<OrderRecord> {
    const dataset = await this.dataset(datasetRef);
    if (dataset.status !== 'listed' || !dataset.price || !dataset.owner) {
      throw new DatasetNotForSaleError(`dataset ${dataset.id} is not for sale (status ${dataset.status}${dataset.price ? '' : ', no price'})`);
    }
    if (dataset.owner === buyer) throw new DatasetNotForSaleError(`dataset ${dataset.id} belongs to ${buyer} already`);
    const now = this.opts.now();
    const id = `ord_${getBase58Decoder().decode(randomBytes(12))}`;
    const order: OrderRecord = {
      id,
      datasetId: dataset.id,
      buyer,
      recipient: dataset.owner,
      amount: dataset.price.amount,
      currency: dataset.price.currency,
      mint: dataset.price.mint,
      // Any 32 bytes are a valid reference: it is only looked up, never signs.
      reference: getBase58Decoder().decode(randomBytes(32)),
      memo: `lumora:${id}`,
      status: 'pending',
      signature: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.opts.orderTtlMs),
      paidAt: null,
    };
    // Counted and inserted in one step of the store, so parallel requests cannot pass the cap together.
    const open = await this.opts.store.addOrderWithin(order, this.opts.maxOpenOrdersPerWallet, now);
    if (open !== null) {
      throw new LimitExceededError(
        `wallet ${buyer} has ${open} unpaid orders; pay one or let one expire (after ${this.opts.orderTtlMs / 60_000} minutes) before creating another`,
        this.opts.maxOpenOrdersPerWallet,
      );
    }
    return order;
  }

  /** The Solana Pay transfer request for an order. */
  async paymentUrl(order: OrderRecord, label: string): Promise<string> {
    return encodeTransferRequest(
      {
        recipient: order.recipient as Address,
        amount: order.amount,
        ...(order.mint ? { splToken: order.mint as Address } : {}),
        references: [order.reference as Address],
        label: 'Lumora',
        message: label,
        memo: order.memo,
      },
      await this.opts.decimalsOf(order.mint),
    );
  }

  async getOrder(buyer: string, orderId: string): Promise<OrderRecord> {
    const order = await this.opts.store.getOrder(orderId);
    if (!order) throw new NotFoundError(`order ${orderId.slice(0, 64)} not found`);
    if (order.buyer !== buyer) throw new NotAuthorizedError(`order ${order.id} belongs to another wallet`);
    return order;
  }

  /** Verifies the payment of an order on chain and grants the dataset; idempotent once paid. */
  async confirmOrder(buyer: string, orderId: string, signature: string): Promise<OrderRecord> {
    const order = await this.getOrder(buyer, orderId);
    if (!isSignature(signature)) throw new InvalidInputError(`signature "${signature.slice(0, 100)}" is not a base58 transaction signature`, 'signature');
    if (order.status === 'paid') {
      if (order.signature === signature) return order;
      switch (await this.recordIfExtraPayment(order, signature)) {
        case 'recorded':
          throw new PaymentInvalidError(
            `order ${order.id} was already paid by transaction ${order.signature}; transaction ${signature} paid it again and is recorded for a refund by the seller (Order.extraPayments)`,
            [`${signature}: the order was already paid; recorded for a refund`],
          );
        case 'pending':
          throw new PaymentPendingError(
            `order ${order.id} was already paid by transaction ${order.signature}; transaction ${signature} is not yet ${this.opts.commitment}: ask again, and once it is, it is recorded for a refund`,
            signature,
          );
        case 'other-order':
          throw new PaymentInvalidError(`transaction ${signature} paid order ${this.opts.store.orderPaidBy(signature)}, not ${order.id}`, [
            `${signature}: already paid for another order`,
          ]);
        case 'none':
          throw new PaymentInvalidError(`order ${order.id} was already paid by transaction ${order.signature}`, [`${signature}: the order is already paid`]);
      }
    }
    const paidBy = this.opts.store.orderPaidBy(signature);
    if (paidBy !== undefined && paidBy !== order.id) {
      throw new PaymentInvalidError(`transaction ${signature} already paid for order ${paidBy}`, [`${signature}: already paid for another order`]);
    }
    const check = await this.check(order, signature);
    const expired = (blockTimeSec: number | null) => (blockTimeSec ?? Math.floor(this.opts.now().getTime() / 1000)) * 1000 > order.expiresAt.getTime();
    switch (check.status) {
      case 'paid': {
        // A payment made before the order expired counts even if it is confirmed later; one made after is owed back.
        if (expired(check.blockTime)) {
          await this.recordOwed(order, [check, ...check.extra]);
          throw new OrderExpiredError(
            `order ${order.id} expired at ${order.expiresAt.toISOString()} before transaction ${check.signature} paid it; the payment is recorded for a refund by the seller (Order.extraPayments)`,
          );
        }
        return this.markPaid(order, check);
      }
      case 'pending':
        throw new PaymentPendingError(
          `transaction ${check.signature} for order ${order.id} is not yet ${this.opts.commitment}; try again in a few seconds`,
          check.signature,
        );
      case 'not_found': {
        if (expired(null)) throw new OrderExpiredError(`order ${order.id} expired at ${order.expiresAt.toISOString()} and no transaction paid it`);
        const tx = await readPaymentTransaction(this.opts.rpc, signature);
        if (tx) throw new PaymentInvalidError(`transaction ${signature} does not pay order ${order.id}`, ['the reference is not among its accounts']);
        throw new PaymentNotFoundError(`no transaction mentions order ${order.id}'s reference ${order.reference} yet (transaction ${signature} was not found)`);
      }
      case 'invalid':
        if (expired(null)) throw new OrderExpiredError(`order ${order.id} expired at ${order.expiresAt.toISOString()} and no transaction paid it`);
        throw new PaymentInvalidError(`no transaction pays order ${order.id}: ${check.reasons.join(' | ')}`, check.reasons);
    }
  }

  /** Payments the seller owes back for an order (it paid an order already paid, or arrived after the order expired), oldest first. */
  extraPayments(orderId: string): Promise<ExtraPaymentRecord[]> {
    return this.opts.store.extraPayments({ orderId });
  }

  /** Payments a seller received and owes back to buyers, oldest first. */
  paymentsToRefund(seller: string, page: { limit: number; after?: string }): Promise<ExtraPaymentRecord[]> {
    return this.opts.store.extraPayments({ recipient: seller }, page);
  }

  /**
   * Settles, in the background, what no buyer came back to confirm, so that no payment is kept
   * silently and the orders table does not grow forever:
   * - each paid order is looked at once more, `recheckAfterMs` after it was paid, for further
   *   payments (a wallet's retry that landed after the first one was confirmed: a retry's
   *   blockhash lives about a minute), recorded for a refund;
   * - unpaid orders that expired more than `orderRetentionMs` ago are settled once each: paid in
   *   time (the buyer never confirmed) grants the dataset; paid only after they expired records
   *   the payments for a refund and keeps the order; no payment at all deletes the order.
   */
  async settleOrders(opts: { recheckAfterMs: number; limit?: number }): Promise<{ paid: number; kept: number; deleted: number; extra: number }> {
    const limit = opts.limit ?? 200;
    const now = this.opts.now().getTime();
    const out = { paid: 0, kept: 0, deleted: 0, extra: 0 };
    for (const order of await this.opts.store.paidOrdersToRecheck(new Date(now - opts.recheckAfterMs), limit)) {
      const check = await this.check(order);
      if (check.status === 'pending') continue;
      // The order's own payment is known to the store already and is skipped.
      if (check.status === 'paid') out.extra += await this.recordOwed(order, [check, ...check.extra]);
      await this.opts.store.markRechecked(order.id);
    }
    const unsettled = await this.opts.store.unsettledExpiredOrders(new Date(now - this.opts.orderRetentionMs), limit);
    const deletable: string[] = [];
    for (const order of unsettled) {
      const check = await this.check(order);
      if (check.status === 'pending') continue;
      if (check.status !== 'paid') {
        deletable.push(order.id);
        continue;
      }
      if ((check.blockTime ?? Infinity) * 1000 <= order.expiresAt.getTime()) {
        await this.markPaid(order, check);
        out.paid++;
      } else {
        out.extra += await this.recordOwed(order, [check, ...check.extra]);
        await this.opts.store.keepOrder(order.id);
        out.kept++;
      }
    }
    out.deleted = await this.opts.store.deleteUnpaidOrders(deletable);
    return out;
  }

  /** Every transaction mentioning the order's reference, checked against it (see chain/verify-payment). */
  private check(order: OrderRecord, signature?: string) {
    return verifyPayment(this.opts.rpc, expectedPayment(order), {
      commitment: this.opts.commitment,
      ...(signature ? { signature } : {}),
      alreadyUsed: (s) => {
        const o = this.opts.store.orderPaidBy(s);
        return o !== undefined && o !== order.id;
      },
    });
  }

  /** Marks the order paid by the check's first payment and records the further ones for a refund. */
  private async markPaid(order: OrderRecord, check: Extract<PaymentCheck, { status: 'paid' }>): Promise<OrderRecord> {
    let paid: OrderRecord;
    try {
      paid = await this.opts.store.markPaid(order.id, check.signature, this.opts.now());
    } catch (err: unknown) {
      if (err instanceof SignatureAlreadyUsedError) throw new PaymentInvalidError(err.message, [err.message]);
      throw err;
    }
    await this.recordOwed(paid, check.extra);
    return paid;
  }

  /** Whether `signature` pays `order` (already paid by another transaction) in full: then it is recorded for a refund. */
  private async recordIfExtraPayment(order: OrderRecord, signature: string): Promise<'recorded' | 'pending' | 'other-order' | 'none'> {
    const usedBy = this.opts.store.orderPaidBy(signature);
    if (usedBy === order.id) return 'recorded';
    if (usedBy !== undefined) return 'other-order';
    const tx = await readPaymentTransaction(this.opts.rpc, signature);
    if (!tx) {
      const status = await readSignatureStatus(this.opts.rpc, signature);
      return status && status.err === null ? 'pending' : 'none';
    }
    const expected = expectedPayment(order);
    if (paymentProblems(tx, expected).length > 0) return 'none';
    await this.recordOwed(order, [{ signature, amount: receivedAmount(tx, expected) }]);
    return 'recorded';
  }

  /**
   * Records payments of `order` the seller owes back (paid again, or paid after it expired);
   * the store skips any signature it already knows. Returns how many were new.
   */
  private async recordOwed(order: OrderRecord, payments: ReadonlyArray<{ signature: string; amount: bigint }>): Promise<number> {
    let recorded = 0;
    for (const p of payments) {
      const added = await this.opts.store.recordExtraPayment({
        signature: p.signature,
        orderId: order.id,
        buyer: order.buyer,
        recipient: order.recipient,
        amount: p.amount,
        currency: order.currency,
        mint: order.mint,
        recordedAt: this.opts.now(),
      });
      if (added) recorded++;
    }
    return recorded;
  }

  private async dataset(ref: string): Promise<DatasetRecord> {
    try {
      return await this.opts.catalog.getDataset(ref);
    } catch (err) {
      if (err instanceof DatasetNotFoundError) throw new NotFoundError(`dataset ${ref.slice(0, 200)} not found`);
      throw err;
    }
  }
}

/** What a transaction must do to pay `order`. */
function expectedPayment(order: OrderRecord): ExpectedPayment {
  return { recipient: order.recipient, amount: order.amount, ...(order.mint ? { mint: order.mint } : {}), reference: order.reference, memo: order.memo };
}
