/**
 * @module What a GraphQL resolver gets per request: the market's services, the signed-in wallet
 * (from `Authorization: Bearer TOKEN`), the caller's IP, and per-request loaders so that a page
 * of datasets asks the entitlement store once, not once per dataset.
 */
import DataLoader from 'dataloader';
import { mayDownload } from './access.js';
import type { Market } from './market.js';

export interface ApiContext {
  market: Market;
  /** The signed-in wallet, or null. */
  wallet: string | null;
  /** A bearer token was sent but is forged, malformed or expired. */
  tokenRejected: boolean;
  ip: string;
  /** Dataset id → whether the signed-in wallet may download it (owner or buyer). */
  entitled: DataLoader<string, boolean>;
}

export function createContext(market: Market, wallet: string | null, ip: string, tokenRejected = false): ApiContext {
  return {
    market,
    wallet,
    ip,
    tokenRejected,
    entitled: new DataLoader((ids: readonly string[]) => mayDownload(market, wallet, ids)),
  };
}
