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
import { encodeTransferRequest, paymentProblems, receivedAmount, verifyPayment, type Commitment, type PaymentRpc } from '../chain/index.js';
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
    const open = await this.opts.store.openOrderCount(buyer, now);
    if (open >= this.opts.maxOpenOrdersPerWallet) {
      throw new LimitExceededError(`wallet ${buyer} has ${open} unpaid orders; pay one or let one expire (after ${this.opts.orderTtlMs / 60_000} minutes) before creating another`, this.opts.maxOpenOrdersPerWallet);
    }
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
    await this.opts.store.addOrder(order);
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
      if (await this.recordIfExtraPayment(order, signature)) {
        throw new PaymentInvalidError(
          `order ${order.id} was already paid by transaction ${order.signature}; transaction ${signature} paid it again and is recorded for a refund by the seller (Order.extraPayments)`,
          [`${signature}: the order was already paid; recorded for a refund`],
        );
      }
      throw new PaymentInvalidError(`order ${order.id} was already paid by transaction ${order.signature}`, [`${signature}: the order is already paid`]);
    }
    const paidBy = this.opts.store.orderPaidBy(signature);
    if (paidBy !== undefined) {
      throw new PaymentInvalidError(`transaction ${signature} already paid for order ${paidBy}`, [`${signature}: already paid for another order`]);
    }
    const check = await verifyPayment(
      this.opts.rpc,
      { recipient: order.recipient, amount: order.amount, ...(order.mint ? { mint: order.mint } : {}), reference: order.reference, memo: order.memo },
      { commitment: this.opts.commitment, signature, alreadyUsed: (s) => this.opts.store.orderPaidBy(s) !== undefined },
    );
    const expired = (blockTimeSec: number | null) => (blockTimeSec ?? Math.floor(this.opts.now().getTime() / 1000)) * 1000 > order.expiresAt.getTime();
    switch (check.status) {
      case 'paid': {
        // A payment made before the order expired counts even if it is confirmed later.
        if (expired(check.blockTime)) throw new OrderExpiredError(`order ${order.id} expired at ${order.expiresAt.toISOString()} before transaction ${check.signature} paid it`);
        let paid: OrderRecord;
        try {
          paid = await this.opts.store.markPaid(order.id, check.signature, this.opts.now());
        } catch (err: unknown) {
          if (err instanceof SignatureAlreadyUsedError) throw new PaymentInvalidError(err.message, [err.message]);
          throw err;
        }
        for (const extra of check.extra) await this.recordExtra(paid, extra.signature, extra.amount);
        return paid;
      }
      case 'pending':
        throw new PaymentPendingError(`transaction ${check.signature} for order ${order.id} is not yet ${this.opts.commitment}; try again in a few seconds`, check.signature);
      case 'not_found': {
        if (expired(null)) throw new OrderExpiredError(`order ${order.id} expired at ${order.expiresAt.toISOString()} and no transaction paid it`);
        const tx = await this.opts.rpc.getTransaction(signature);
        if (tx) throw new PaymentInvalidError(`transaction ${signature} does not pay order ${order.id}`, ['the reference is not among its accounts']);
        throw new PaymentNotFoundError(`no transaction mentions order ${order.id}'s reference ${order.reference} yet (transaction ${signature} was not found)`);
      }
      case 'invalid':
        if (expired(null)) throw new OrderExpiredError(`order ${order.id} expired at ${order.expiresAt.toISOString()} and no transaction paid it`);
        throw new PaymentInvalidError(`no transaction pays order ${order.id}: ${check.reasons.join(' | ')}`, check.reasons);
    }
  }

  /** Payments that paid an order again after it was paid, oldest first. */
  extraPayments(orderId: string): Promise<ExtraPaymentRecord[]> {
    return this.opts.store.extraPayments({ orderId });
  }

  /** Extra payments a seller received and owes back to buyers, oldest first. */
  paymentsToRefund(seller: string): Promise<ExtraPaymentRecord[]> {
    return this.opts.store.extraPayments({ recipient: seller });
  }

  /**
   * Deletes unpaid orders that expired more than `orderRetentionMs` ago, unless a transaction
   * mentions their reference (a late payment is kept on record); returns how many went.
   */
  async deleteStaleOrders(limit = 200): Promise<number> {
    const before = new Date(this.opts.now().getTime() - this.opts.orderRetentionMs);
    const stale = await this.opts.store.expiredOrders(before, limit);
    const unmentioned: string[] = [];
    for (const o of stale) if ((await this.opts.rpc.getSignaturesForAddress(o.reference)).length === 0) unmentioned.push(o.id);
    return this.opts.store.deleteUnpaidOrders(unmentioned);
  }

  /** Records `signature` as a second payment of a paid order when it pays the order in full; true if it does. */
  private async recordIfExtraPayment(order: OrderRecord, signature: string): Promise<boolean> {
    if (this.opts.store.orderPaidBy(signature) === order.id) return true;
    const tx = await this.opts.rpc.getTransaction(signature);
    if (!tx) return false;
    const expected = { recipient: order.recipient, amount: order.amount, ...(order.mint ? { mint: order.mint } : {}), reference: order.reference, memo: order.memo };
    if (paymentProblems(tx, expected).length > 0) return false;
    await this.recordExtra(order, signature, receivedAmount(tx, expected));
    return true;
  }

  private async recordExtra(order: OrderRecord, signature: string, amount: bigint): Promise<void> {
    await this.opts.store.recordExtraPayment({
      signature,
      orderId: order.id,
      buyer: order.buyer,
      recipient: order.recipient,
      amount,
      currency: order.currency,
      mint: order.mint,
      recordedAt: this.opts.now(),
    });
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
