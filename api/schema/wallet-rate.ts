/**
 * @module The per-wallet (or per-IP, before sign-in) limit on mutations: a GraphQL error with
 * code RATE_LIMITED and HTTP 429, naming how long to wait.
 */
import { GraphQLError } from 'graphql';
import type { ApiContext } from '../context.js';

export function checkWalletRate(ctx: ApiContext, key = ctx.wallet ? `wallet:${ctx.wallet}` : `ip:${ctx.ip}`): void {
  const waitMs = ctx.market.walletLimiter.take(key);
  if (waitMs > 0) {
    throw new GraphQLError(`too many requests; retry in ${Math.ceil(waitMs / 1000)} s`, {
      extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: { 'retry-after': String(Math.ceil(waitMs / 1000)) } } },
    });
  }
}
