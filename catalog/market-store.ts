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
`;

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
    const paid = await conn.runAndReadAll('SELECT signature, id FROM orders WHERE signature IS NOT NULL');
    for (const row of paid.getRowObjectsJS()) store.usedSignatures.set(String(row.signature), String(row.id));
    return store;
  }

  /** Records a nonce issued to `address` for a sign-in that must finish before `expiresAt`. */
  async addNonce(nonce: string, address: string, issuedAt: Date, expiresAt: Date): Promise<void> {
    await this.serial(() =>
      this.conn.run('INSERT INTO sign_in_nonces VALUES ($nonce, $address, $issued, $expires, NULL)', {
        nonce,
        address,
        issued: ts(issuedAt),
        expires: ts(expiresAt),
      }),
    );
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

  async addOrder(order: OrderRecord): Promise<void> {
    await this.serial(() =>
      this.conn.run(
        `INSERT INTO orders VALUES ($id, $dataset, $buyer, $recipient, $amount, $currency, $mint, $reference, $memo, $status, NULL, $created, $expires, NULL)`,
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
      ),
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
        await this.conn.run(
          `INSERT INTO entitlements SELECT buyer, dataset_id, id, $paidAt FROM orders WHERE id = $id ON CONFLICT DO NOTHING`,
          { id: orderId, paidAt: ts(paidAt) },
        );
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

  /** Of `datasetIds`, the ones `wallet` may download. */
  async entitledDatasets(wallet: string, datasetIds: readonly string[]): Promise<Set<string>> {
    if (datasetIds.length === 0) return new Set();
    return this.serial(async () => {
      // A wallet holds few entitlements: read them all and intersect.
      const r = await this.conn.runAndReadAll('SELECT dataset_id FROM entitlements WHERE wallet = $wallet', { wallet });
      const wanted = new Set(datasetIds);
      return new Set(r.getRowObjectsJS().map((row) => String(row.dataset_id)).filter((id) => wanted.has(id)));
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
