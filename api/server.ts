/**
 * @module `lumora serve`'s HTTP server: one port for the GraphQL marketplace (/graphql), the
 * embedded localnet's JSON-RPC (/solana), signed downloads (/download/…), Arrow IPC streams
 * (/arrow/…) and Solana Pay transaction requests (/pay/…). Downloads are plain Node streams from
 * disk: the fetch-style GraphQL stack would copy every chunk through web streams.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerJsonRpc, jsonRpcCallCount, parseJsonRpcBody } from '../chain/index.js';
import { createGraphqlApp } from './app.js';
import type { ServeConfig } from './config.js';
import { createMarket, type Market } from './market.js';
import type { Logger } from '../common/index.js';
import { handleArrow } from './routes/arrow.js';
import { handleDownload } from './routes/download.js';
import { handleFederated } from './routes/federated.js';
import { handleTransactionRequest } from './routes/transaction-request.js';
import { readBody, sendJson } from './routes/http.js';

/** A validator's limit on a JSON-RPC request body (agave `MAX_REQUEST_BODY_SIZE`, 50 KiB). */
const MAX_JSON_RPC_BODY_BYTES = 50 * 1024;

const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#1b1f3b"/><path d="M20 14v36h26v-8H29V14z" fill="#f5c542"/></svg>';

export interface MarketServer {
  /** e.g. http://127.0.0.1:4000 */
  url: string;
  market: Market;
  server: Server;
  close(): Promise<void>;
}

/** Starts the server and resolves once it listens. */
export async function startServer(config: ServeConfig, opts: { logger?: Logger; now?: () => Date } = {}): Promise<MarketServer> {
  const server = createServer();
  server.keepAliveTimeout = 65_000;
  // The port is bound before the market exists (its public URL needs the port): until then every
  // request gets a 503 with Retry-After, never a connection left hanging.
  const starting = (_req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('retry-after', '1');
    sendJson(res, 503, { error: 'the server is starting; retry shortly' });
  };
  server.on('request', starting);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const loopbackUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let market: Market;
  try {
    market = await createMarket({
      config,
      publicUrl: (config.publicUrl ?? loopbackUrl).replace(/\/$/, ''),
      loopbackUrl,
      ...(opts.now ? { now: opts.now } : {}),
      onError: (what, err) => opts.logger?.error({ err }, what),
    });
  } catch (err) {
    server.close();
    throw err;
  }
  const yoga = createGraphqlApp(market, opts.logger ? { logger: { error: (...a: unknown[]) => opts.logger?.error({ err: a[1] }, String(a[0])) } } : {});
  server.off('request', starting);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(market, yoga, req, res).catch((err: unknown) => {
      opts.logger?.error({ err }, `${req.method} ${(req.url ?? '').split('?')[0]}: unexpected error`);
      if (!res.headersSent) sendJson(res, 500, { error: 'Unexpected error.' });
      else res.destroy();
    });
  });
  return {
    url: loopbackUrl,
    market,
    server,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await market.close();
    },
  };
}

/** A cluster's RPC URL as clients may see it: its origin only, since providers put API keys in the path or query. */
function clusterOrigin(rpcUrl: string): string {
  return new URL(rpcUrl).origin;
}

/** Takes `cost` requests from the caller's allowance; when it is spent, answers 429 and returns true. */
function tooManyRequests(market: Market, ip: string, res: ServerResponse, cost = 1): boolean {
  const wait = market.ipLimiter.take(ip, cost);
  if (wait <= 0) return false;
  res.setHeader('retry-after', String(Math.ceil(wait / 1000)));
  sendJson(res, 429, { error: `too many requests from ${ip}; retry in ${Math.ceil(wait / 1000)} s` });
  return true;
}

async function route(market: Market, yoga: ReturnType<typeof createGraphqlApp>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://lumora');
  const ip = req.socket.remoteAddress ?? 'unknown';
  if (tooManyRequests(market, ip, res)) return;
  const path = url.pathname;
  if (path === '/graphql') {
    const length = req.headers['content-length'];
    if (length !== undefined && Number(length) > market.config.maxGraphqlBodyBytes) {
      return sendJson(res, 413, { error: `the GraphQL request is larger than ${market.config.maxGraphqlBodyBytes} bytes` });
    }
    // A body of unknown length (chunked) is cut off by yoga at the limit; the connection is not kept for another request then.
    if (length === undefined && req.method === 'POST') res.shouldKeepAlive = false;
    await yoga.requestListener(req, res);
    return;
  }
  if (path === '/solana') {
    if (!market.localnet)
      return sendJson(res, 404, { error: `this server uses the cluster at ${clusterOrigin(market.rpcUrl)}; there is no embedded localnet` });
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST a JSON-RPC 2.0 request' });
    const body = await readBody(req, MAX_JSON_RPC_BODY_BYTES);
    if (body === null) return sendJson(res, 413, { error: `the JSON-RPC request is larger than ${MAX_JSON_RPC_BODY_BYTES / 1024} KiB` });
    const parsed = parseJsonRpcBody(body);
    // A batch is as many requests as it holds: the first was counted above, the rest are counted here.
    const calls = jsonRpcCallCount(parsed);
    if (!market.ipLimiter.fits(calls))
      return sendJson(res, 429, { error: `a batch of ${calls} calls; one request may make at most ${market.ipLimiter.burst}` });
    if (calls > 1 && tooManyRequests(market, ip, res, calls - 1)) return;
    res.writeHead(200, { 'content-type': 'application/json' }).end(answerJsonRpc(market.localnet, parsed));
    return;
  }
  if (path.startsWith('/download/')) return handleDownload(market, req, res, url);
  if (path.startsWith('/arrow/')) return handleArrow(market, req, res, url);
  if (path.startsWith('/pay/')) return handleTransactionRequest(market, req, res, url);
  if (path.startsWith('/fl/')) return handleFederated(market, req, res, url);
  if (path === '/health') return sendJson(res, 200, { ok: true, chain: market.localnet ? 'localnet' : clusterOrigin(market.rpcUrl) });
  if (path === '/icon.svg') {
    // The icon Solana Pay wallets show beside a transaction request's label.
    res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }).end(ICON_SVG);
    return;
  }
  sendJson(res, 404, { error: `no route for ${path}; the GraphQL API is at /graphql` });
}
