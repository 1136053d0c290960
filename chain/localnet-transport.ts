/**
 * @module The embedded localnet's JSON-RPC, called in process: a transport for @solana/kit's
 * `createSolanaRpcFromTransport`. The server's own payment checks and
 * transaction building go through the same handlers as /solana (one code path with a real
 * cluster) but never through HTTP, so no client's load on the HTTP endpoint, its rate limits
 * included, can fail them.
 */
import type { RpcTransport } from '@solana/kit';
import type { Localnet } from './localnet.js';
import { handleJsonRpc } from './rpc.js';

/** A transport that answers from `net`; requests and answers go through JSON text, so callers get copies, never the chain's own objects. */
export function localnetTransport(net: Localnet): RpcTransport {
  return (async ({ payload }: { payload: unknown }) => {
    const body = JSON.stringify(payload, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
    return JSON.parse(handleJsonRpc(net, body)) as unknown;
  }) as RpcTransport;
}
