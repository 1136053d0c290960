/**
 * @module The marketplace's services, wired once at server start and passed to every request:
 * the catalog, the market store (orders, nonces, entitlements), the chain (the embedded localnet
 * or a cluster's JSON-RPC), sign-in and orders. Every chain call the server makes (payment checks,
 * transaction building, mint and account reads) goes through one @solana/kit RPC client over Solana
 * JSON-RPC, so one code path serves both: a cluster's over HTTP, the embedded localnet's in process
 * (the same handlers /solana answers with).
 */
import { join, resolve } from 'node:path';
import { createSolanaRpc, createSolanaRpcFromTransport, type Address } from '@solana/kit';
import { fetchMint } from '@solana-program/token';
import { Catalog, MarketStore } from '../catalog/index.js';
import { TrainingJobs } from '../federated/index.js';
import { Localnet, localnetTransport, LUMORA_DECIMALS, SOL_DECIMALS } from '../chain/index.js';
import type { ServeConfig } from './config.js';
import { OrderService } from './orders.js';
import { RateLimiter } from './rate-limit.js';
import { readOrCreateServerKeys, type ServerKeys } from './server-keys.js';
import { SignInService } from './sign-in.js';

export interface Market {
  config: ServeConfig;
  home: string;
  /** Where clients reach the server, e.g. http://127.0.0.1:4000. */
  publicUrl: string;
  /** The JSON-RPC URL used for chain reads and payment checks. */
  rpcUrl: string;
  catalog: Catalog;
  store: MarketStore;
  /** The embedded chain, or null when `rpcUrl` points at a real cluster. */
  localnet: Localnet | null;
  keys: ServerKeys;
  signIn: SignInService;
  orders: OrderService;
  /** Federated training jobs, saved under <home>/federated. */
  jobs: TrainingJobs;
  /** The server's one RPC client (@solana/kit's): in process for the embedded localnet, over HTTP for a cluster. */
  kitRpc: ReturnType<typeof createSolanaRpc>;
  /** The Lumora token's mint on the localnet, or null on a cluster. */
  lumoraMint: string | null;
  decimalsOf(mint: string | null): Promise<number>;
  /** Logs a failure the server handled but an operator should see. */
  logError(what: string, err?: unknown): void;
  /** Deletes expired sign-in nonces and settles orders nobody came back to (also run every `sweepIntervalMs`). */
  sweep(): Promise<void>;
  /** Mutations per wallet (or per IP before sign-in). */
  walletLimiter: RateLimiter;
  /** Requests per IP. */
  ipLimiter: RateLimiter;
  now(): Date;
  close(): Promise<void>;
}

export async function createMarket(opts: {
  config: ServeConfig;
  publicUrl: string;
  loopbackUrl: string;
  now?: () => Date;
  onError?: (what: string, err: unknown) => void;
}): Promise<Market> {
  const { config } = opts;
  const home = resolve(config.home);
  const now = opts.now ?? (() => new Date());
  // A server checks the catalog file for other processes' publishes at most every 100 ms.
  const catalog = await Catalog.open({ home, refreshIntervalMs: 100 });
  const store = await MarketStore.open({ home });
  const jobs = await TrainingJobs.open({ home, catalog, now, onError: (dir, err) => opts.onError?.(`training job in ${dir} not resumed`, err) });
  const keys = readOrCreateServerKeys(home);
  // Every transaction the localnet processes is flushed to its write-ahead log before anyone sees it.
  const localnet = config.rpcUrl ? null : Localnet.open({ stateFile: join(home, 'localnet.json'), slotMs: config.slotMs });
  const lumoraMint = localnet ? String(localnet.lumoraMint()) : null;
  const rpcUrl = config.rpcUrl ?? `${opts.loopbackUrl}/solana`;
  // The server's own chain calls reach the embedded localnet in process, never through /solana's rate limits.
  const kitRpc = localnet ? createSolanaRpcFromTransport(localnetTransport(localnet)) : createSolanaRpc(rpcUrl);
  const decimals = new Map<string, number>();
  const decimalsOf = async (mint: string | null): Promise<number> => {
    if (mint === null) return SOL_DECIMALS;
    if (mint === lumoraMint) return LUMORA_DECIMALS;
    let d = decimals.get(mint);
    if (d === undefined) {
      d = (await fetchMint(kitRpc, mint as Address)).data.decimals;
      decimals.set(mint, d);
    }
    return d;
  };
  const url = new URL(opts.publicUrl);
  const signIn = new SignInService({
    store,
    sessionKey: keys.sessionKey,
    domain: config.domain ?? url.host,
    uri: opts.publicUrl,
    ...(localnet ? { chainId: 'localnet' } : {}),
    signInTtlMs: config.signInTtlMs,
    signInSkewMs: config.signInSkewMs,
    sessionTtlMs: config.sessionTtlMs,
    now,
  });
  const orders = new OrderService({
    catalog,
    store,
    rpc: kitRpc,
    commitment: config.commitment,
    orderTtlMs: config.orderTtlMs,
    maxOpenOrdersPerWallet: config.maxOpenOrdersPerWallet,
    orderRetentionMs: config.orderRetentionMs,
    decimalsOf,
    now,
  });
  // Expired sign-in nonces go, and orders nobody came back to are settled (see OrderService.settleOrders),
  // so no payment is kept silently and neither table grows forever.
  const sweep = async () => {
    try {
      await store.deleteExpiredNonces(now());
      await orders.settleOrders({ recheckAfterMs: config.recheckPaidOrderAfterMs });
    } catch (err) {
      opts.onError?.('sweeping expired nonces and orders', err);
    }
  };
  const sweeper = setInterval(() => void sweep(), config.sweepIntervalMs);
  sweeper.unref();
  await sweep();
  return {
    config,
    home,
    publicUrl: opts.publicUrl,
    rpcUrl,
    catalog,
    store,
    localnet,
    keys,
    signIn,
    orders,
    jobs,
    kitRpc,
    lumoraMint,
    decimalsOf,
    walletLimiter: new RateLimiter(config.rateLimitPerWalletPerMinute),
    ipLimiter: new RateLimiter(config.rateLimitPerIpPerMinute),
    now,
    sweep,
    logError: (what, err) => opts.onError?.(what, err),
    async close() {
      clearInterval(sweeper);
      jobs.close();
      localnet?.close();
      store.close();
      catalog.close();
    },
  };
}
