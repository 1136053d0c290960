/**
 * @module The marketplace's own records in `<home>/market.duckdb`: sign-in nonces, orders and the
 * entitlements they grant. Kept apart from `catalog.duckdb` because the server writes them on
 * every sign-in and purchase and holds the file for its lifetime, while the catalog file is shared
 * with pipelines publishing from other processes. One server per data home.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CatalogError } from './errors.js';

/** An order as stored: money is a bigint of base units (lamports or the token's smallest unit). */
export interface OrderRecord {
  id: string;
  datasetId: string;
  buyer: string;
  recipient: string;
  amount: bigint;
  currency: 'SOL' | 'SPL';
  /** The SPL mint, or null for SOL. */
  mint: string | null;
  /** The fresh public key a payment must mention (Solana Pay `reference`). */
  reference: string;
  memo: string;
  status: 'pending' | 'paid';
  signature: string | null;
  createdAt: Date;
  expiresAt: Date;
  paidAt: Date | null;
}

export type NonceUse = 'ok' | 'unknown' | 'used' | 'expired' | 'other_address';

/** The paying signature is already recorded against another order. */
export class SignatureAlreadyUsedError extends CatalogError {
  override name = 'SignatureAlreadyUsedError';
  constructor(signature: string, orderId: string) {
    super(`transaction ${signature} already paid for order ${orderId}`, { code: 'SIGNATURE_ALREADY_USED' });
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sign_in_nonces (
  nonce VARCHAR PRIMARY KEY, address VARCHAR NOT NULL, issued_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL, used_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS orders (
  id VARCHAR PRIMARY KEY, dataset_id VARCHAR NOT NULL, buyer VARCHAR NOT NULL, recipient VARCHAR NOT NULL,
  amount VARCHAR NOT NULL, currency VARCHAR NOT NULL, mint VARCHAR, reference VARCHAR NOT NULL UNIQUE,
  memo VARCHAR NOT NULL, status VARCHAR NOT NULL, signature VARCHAR UNIQUE,
  created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL, paid_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS entitlements (
  wallet VARCHAR NOT NULL, dataset_id VARCHAR NOT NULL, order_id VARCHAR NOT NULL, granted_at TIMESTAMP NOT NULL,
  PRIMARY KEY (wallet, dataset_id)
);
ALTER TABLE sign_in_nonces ADD COLUMN IF NOT EXISTS message VARCHAR;
ALTER TABLE orders ADD COLUMN IF NOT EXISTS kept_at TIMESTAMP;
ALTER TABLE orders ADD COLUMN IF NOT EXISTS rechecked_at TIMESTAMP;
CREATE TABLE IF NOT EXISTS extra_payments (
  signature VARCHAR PRIMARY KEY, order_id VARCHAR NOT NULL, buyer VARCHAR NOT NULL, recipient VARCHAR NOT NULL,
  amount VARCHAR NOT NULL, currency VARCHAR NOT NULL, mint VARCHAR, recorded_at TIMESTAMP NOT NULL
);
`;

/** A payment for an order that another transaction had already paid: the seller owes it back. */
export interface ExtraPaymentRecord {
  signature: string;
  orderId: string;
  buyer: string;
  /** The seller, who received it and so is the one to refund it. */
  recipient: string;
  amount: bigint;
  currency: 'SOL' | 'SPL';
  mint: string | null;
  recordedAt: Date;
}

/** A nonce as issued: the exact message the wallet was asked to sign. */
export interface IssuedNonce {
  address: string;
  /** Null for nonces issued before messages were stored. */
  message: string | null;
  expiresAt: Date;
  used: boolean;
}

/**
 * The store. `MarketStore.open({ home })`, then `close()` in `finally`.
 *
 * @example
 * const store = await MarketStore.open({ home: '.lumora' });
 * try { await store.isEntitled(wallet, 'demo@v1'); } finally { store.close(); }
 */
export class MarketStore {
  /** Paying signatures, kept in memory so payment checks can ask synchronously. */
  private readonly usedSignatures = new Map<string, string>();
  /** Serialises statements: one connection, and mark-paid is a read-then-write transaction. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  static async open(opts: { home: string }): Promise<MarketStore> {
    const home = resolve(opts.home);
    const file = join(home, 'market.duckdb');
    await mkdir(home, { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(file);
    } catch (cause) {
      throw new CatalogError(`market store ${file}: cannot open it (is another "lumora serve" using this data home?)`, { code: 'MARKET_STORE_BUSY', cause });
    }
    const conn = await instance.connect();
    await conn.run(SCHEMA);
    const store = new MarketStore(instance, conn);
    const paid = await conn.runAndReadAll(
      'SELECT signature, id FROM orders WHERE signature IS NOT NULL UNION ALL SELECT signature, order_id FROM extra_payments',
    );
    for (const row of paid.getRowObjectsJS()) store.usedSignatures.set(String(row.signature), String(row.id));
    return store;
  }

  /** Records a nonce issued to `address`, with the message it was issued in, for a sign-in that must finish before `expiresAt`. */
  async addNonce(nonce: string, address: string, issuedAt: Date, expiresAt: Date, message: string): Promise<void> {
    await this.serial(() =>
      this.conn.run(
        'INSERT INTO sign_in_nonces (nonce, address, issued_at, expires_at, used_at, message) VALUES ($nonce, $address, $issued, $expires, NULL, $message)',
        {
          nonce,
          address,
          issued: ts(issuedAt),
          expires: ts(expiresAt),
          message,
        },
      ),
    );
  }

  /** The nonce as issued, or null when this server never issued it (or swept it after it expired). */
  async getNonce(nonce: string): Promise<IssuedNonce | null> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll('SELECT address, message, expires_at, used_at FROM sign_in_nonces WHERE nonce = $nonce', { nonce });
      const row = r.getRowObjectsJS()[0];
      if (!row) return null;
      return {
        address: String(row.address),
        message: row.message === null ? null : String(row.message),
        expiresAt: toDate(row.expires_at),
        used: row.used_at !== null,
      };
    });
  }

  /** Spends a nonce: it works once, for the address it was issued to, before it expires. */
  async useNonce(nonce: string, address: string, now: Date): Promise<NonceUse> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll('SELECT address, expires_at, used_at FROM sign_in_nonces WHERE nonce = $nonce', { nonce });
      const row = r.getRowObjectsJS()[0];
      if (!row) return 'unknown';
      if (row.used_at !== null) return 'used';
      if (String(row.address) !== address) return 'other_address';
      if (toDate(row.expires_at).getTime() < now.getTime()) return 'expired';
      await this.conn.run('UPDATE sign_in_nonces SET used_at = $now WHERE nonce = $nonce', { nonce, now: ts(now) });
      return 'ok';
    });
  }

  /**
   * Adds an order unless its buyer already holds `maxOpen` unpaid, unexpired orders at `now`;
   * returns null when added, else that count. Counted and inserted in one step.
   */
  async addOrderWithin(order: OrderRecord, maxOpen: number, now: Date): Promise<number | null> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM orders WHERE buyer = $buyer AND status = 'pending' AND expires_at > $now`, {
        buyer: order.buyer,
        now: ts(now),
      });
      const open = Number(r.getRowObjectsJS()[0]?.n ?? 0);
      if (open >= maxOpen) return open;
      await this.insertOrder(order);
      return null;
    });
  }

  private async insertOrder(order: OrderRecord): Promise<void> {
    await this.conn.run(
      `INSERT INTO orders (id, dataset_id, buyer, recipient, amount, currency, mint, reference, memo, status, signature, created_at, expires_at, paid_at) VALUES ($id, $dataset, $buyer, $recipient, $amount, $currency, $mint, $reference, $memo, $status, NULL, $created, $expires, NULL)`,
      {
        id: order.id,
        dataset: order.datasetId,
        buyer: order.buyer,
        recipient: order.recipient,
        amount: order.amount.toString(),
        currency: order.currency,
        mint: order.mint,
        reference: order.reference,
        memo: order.memo,
        status: order.status,
        created: ts(order.createdAt),
        expires: ts(order.expiresAt),
      },
    );
  }

  async getOrder(id: string): Promise<OrderRecord | null> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll('SELECT * FROM orders WHERE id = $id', { id });
      const row = r.getRowObjectsJS()[0];
      return row ? toOrder(row) : null;
    });
  }

  /** A buyer's orders, newest first. */
  async ordersOf(buyer: string, limit = 50): Promise<OrderRecord[]> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll('SELECT * FROM orders WHERE buyer = $buyer ORDER BY created_at DESC LIMIT $limit', { buyer, limit });
      return r.getRowObjectsJS().map(toOrder);
    });
  }

  /** The order a signature paid for, if any. Synchronous: payment checks call it per candidate. */
  orderPaidBy(signature: string): string | undefined {
    return this.usedSignatures.get(signature);
  }

  /**
   * Marks an order paid by `signature` and grants the buyer the dataset, in one transaction.
   * Throws SignatureAlreadyUsedError when the signature paid for another order.
   */
  async markPaid(orderId: string, signature: string, paidAt: Date): Promise<OrderRecord> {
    return this.serial(async () => {
      const other = this.usedSignatures.get(signature);
      if (other !== undefined && other !== orderId) throw new SignatureAlreadyUsedError(signature, other);
      await this.conn.run('BEGIN TRANSACTION');
      try {
        await this.conn.run(`UPDATE orders SET status = 'paid', signature = $signature, paid_at = $paidAt WHERE id = $id AND status = 'pending'`, {
          id: orderId,
          signature,
          paidAt: ts(paidAt),
        });
        await this.conn.run(`INSERT INTO entitlements SELECT buyer, dataset_id, id, $paidAt FROM orders WHERE id = $id ON CONFLICT DO NOTHING`, {
          id: orderId,
          paidAt: ts(paidAt),
        });
        await this.conn.run('COMMIT');
      } catch (cause) {
        await this.conn.run('ROLLBACK').catch(() => undefined);
        throw new CatalogError(`order ${orderId}: could not record payment ${signature}`, { code: 'MARKET_STORE_WRITE', cause });
      }
      this.usedSignatures.set(signature, orderId);
      const r = await this.conn.runAndReadAll('SELECT * FROM orders WHERE id = $id', { id: orderId });
      return toOrder(r.getRowObjectsJS()[0] as Record<string, unknown>);
    });
  }

  /** Unpaid orders that expired before `before` and were not kept for a late payment, oldest first: the sweep settles each once. */
  async unsettledExpiredOrders(before: Date, limit: number): Promise<OrderRecord[]> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll(
        `SELECT * FROM orders WHERE status = 'pending' AND kept_at IS NULL AND expires_at < $before ORDER BY expires_at, id LIMIT $limit`,
        { before: ts(before), limit },
      );
      return r.getRowObjectsJS().map(toOrder);
    });
  }

  /** Paid orders not yet looked at again for further payments, paid before `paidBefore`, oldest payment first. */
  async paidOrdersToRecheck(paidBefore: Date, limit: number): Promise<OrderRecord[]> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll(
        `SELECT * FROM orders WHERE status = 'paid' AND rechecked_at IS NULL AND paid_at < $before ORDER BY paid_at, id LIMIT $limit`,
        { before: ts(paidBefore), limit },
      );
      return r.getRowObjectsJS().map(toOrder);
    });
  }

  /** Notes that a paid order was looked at again for further payments. */
  async markRechecked(id: string): Promise<void> {
    await this.serial(() => this.conn.run(`UPDATE orders SET rechecked_at = now() WHERE id = $id`, { id }));
  }

  /** Keeps an expired, unpaid order for good: payments reached it too late and are recorded for a refund. */
  async keepOrder(id: string): Promise<void> {
    await this.serial(() => this.conn.run(`UPDATE orders SET kept_at = now() WHERE id = $id AND status = 'pending'`, { id }));
  }

  /** Deletes unpaid orders (a paid one is never deleted, whatever `ids` says); returns how many went. */
  async deleteUnpaidOrders(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.serial(async () => {
      let deleted = 0;
      for (const id of ids) deleted += Number((await this.conn.run(`DELETE FROM orders WHERE status = 'pending' AND id = $id`, { id })).rowsChanged);
      return deleted;
    });
  }

  /** Deletes nonces that expired before `before` (used or not: an expired message can never sign in again); returns how many went. */
  async deleteExpiredNonces(before: Date): Promise<number> {
    return this.serial(async () => Number((await this.conn.run('DELETE FROM sign_in_nonces WHERE expires_at < $before', { before: ts(before) })).rowsChanged));
  }

  /**
   * Records a payment the seller owes back (it paid an order already paid, or arrived after the
   * order expired). A signature is recorded once, and never one that paid an order; returns
   * whether this one was new.
   */
  async recordExtraPayment(p: ExtraPaymentRecord): Promise<boolean> {
    return this.serial(async () => {
      if (this.usedSignatures.has(p.signature)) return false;
      await this.conn.run('INSERT INTO extra_payments VALUES ($signature, $order, $buyer, $recipient, $amount, $currency, $mint, $at)', {
        signature: p.signature,
        order: p.orderId,
        buyer: p.buyer,
        recipient: p.recipient,
        amount: p.amount.toString(),
        currency: p.currency,
        mint: p.mint,
        at: ts(p.recordedAt),
      });
      this.usedSignatures.set(p.signature, p.orderId);
      return true;
    });
  }

  /** Extra payments for one order, or received by one seller (`recipient`), oldest first, a page at a time. */
  async extraPayments(where: { orderId: string } | { recipient: string }, page: { limit?: number; after?: string } = {}): Promise<ExtraPaymentRecord[]> {
    return this.serial(async () => {
      const [column, value] = 'orderId' in where ? ['order_id', where.orderId] : ['recipient', where.recipient];
      // `after` is the signature of the last payment of the previous page.
      const r = await this.conn.runAndReadAll(
        `SELECT * FROM extra_payments WHERE ${column} = $value
           AND ($after IS NULL OR (recorded_at, signature) > (SELECT (recorded_at, signature) FROM extra_payments WHERE signature = $after))
         ORDER BY recorded_at, signature LIMIT $limit`,
        { value, after: page.after ?? null, limit: page.limit ?? 100 },
      );
      return r.getRowObjectsJS().map(toExtraPayment);
    });
  }

  /** Of `datasetIds`, the ones `wallet` may download. */
  async entitledDatasets(wallet: string, datasetIds: readonly string[]): Promise<Set<string>> {
    if (datasetIds.length === 0) return new Set();
    return this.serial(async () => {
      // A wallet holds few entitlements: read them all and intersect.
      const r = await this.conn.runAndReadAll('SELECT dataset_id FROM entitlements WHERE wallet = $wallet', { wallet });
      const wanted = new Set(datasetIds);
      return new Set(
        r
          .getRowObjectsJS()
          .map((row) => String(row.dataset_id))
          .filter((id) => wanted.has(id)),
      );
    });
  }

  /** Grants access without a payment: a dataset's owner to their own dataset. */
  async grant(wallet: string, datasetId: string, reason: string, at: Date): Promise<void> {
    await this.serial(() =>
      this.conn.run('INSERT INTO entitlements VALUES ($wallet, $dataset, $reason, $at) ON CONFLICT DO NOTHING', {
        wallet,
        dataset: datasetId,
        reason,
        at: ts(at),
      }),
    );
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

// DuckDB binds JS strings; TIMESTAMP columns accept ISO text without the zone suffix as UTC.
function ts(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  return new Date(`${String(v).replace(' ', 'T')}Z`);
}

function toOrder(row: Record<string, unknown>): OrderRecord {
  return {
    id: String(row.id),
    datasetId: String(row.dataset_id),
    buyer: String(row.buyer),
    recipient: String(row.recipient),
    amount: BigInt(String(row.amount)),
    currency: String(row.currency) as OrderRecord['currency'],
    mint: row.mint === null ? null : String(row.mint),
    reference: String(row.reference),
    memo: String(row.memo),
    status: String(row.status) as OrderRecord['status'],
    signature: row.signature === null ? null : String(row.signature),
    createdAt: toDate(row.created_at),
    expiresAt: toDate(row.expires_at),
    paidAt: row.paid_at === null ? null : toDate(row.paid_at),
  };
}

function toExtraPayment(row: Record<string, unknown>): ExtraPaymentRecord {
  return {
    signature: String(row.signature),
    orderId: String(row.order_id),
    buyer: String(row.buyer),
    recipient: String(row.recipient),
    amount: BigInt(String(row.amount)),
    currency: String(row.currency) as ExtraPaymentRecord['currency'],
    mint: row.mint === null ? null : String(row.mint),
    recordedAt: toDate(row.recorded_at),
  };
}
