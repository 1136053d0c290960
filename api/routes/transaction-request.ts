/**
 * @module Solana Pay transaction requests at /pay/<orderId>: GET returns the label and icon a
 * wallet shows; POST `{ account }` returns a transaction the server built (memo, then the
 * transfer with the reference as a read-only key) for the wallet to sign and send. The server
 * builds it, so a wallet cannot append instructions after the transfer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAddress, type Address } from '@solana/kit';
import { buildPaymentTransaction } from '../../chain/index.js';
import type { Market } from '../market.js';
import { decodePath, readBody, sendJson } from './http.js';

export async function handleTransactionRequest(market: Market, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  // Wallets fetch from web pages; the spec asks for CORS on both methods.
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
  res.setHeader('access-control-allow-headers', 'content-type');
  if (req.method === 'OPTIONS') return void res.writeHead(204).end();
  const orderId = decodePath(url.pathname.slice('/pay/'.length));
  if (orderId === null) return sendJson(res, 400, { error: 'the order id in the path is not valid percent-encoding' });
  const order = await market.store.getOrder(orderId);
  if (!order) return sendJson(res, 404, { error: `order ${orderId.slice(0, 64)} not found` });
  if (req.method === 'GET') return sendJson(res, 200, { label: 'Lumora', icon: `${market.publicUrl}/icon.svg` });
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'GET or POST' });
  if (order.status === 'paid') return sendJson(res, 409, { error: `order ${order.id} is already paid` });
  if (order.expiresAt.getTime() <= market.now().getTime())
    return sendJson(res, 410, { error: `order ${order.id} expired at ${order.expiresAt.toISOString()}` });
  const body = await readBody(req, 16 * 1024);
  let account: unknown;
  try {
    account = body ? (JSON.parse(body) as { account?: unknown }).account : undefined;
  } catch {
    return sendJson(res, 400, { error: 'the body is not JSON; send {"account": "<base58 public key>"}' });
  }
  if (typeof account !== 'string' || !isAddress(account)) return sendJson(res, 400, { error: 'account must be the payer’s base58 public key' });
  const built = await buildPaymentTransaction(market.kitRpc, {
    payer: account as Address,
    recipient: order.recipient as Address,
    amount: order.amount,
    ...(order.mint ? { mint: order.mint as Address } : {}),
    reference: order.reference as Address,
    memo: order.memo,
  });
  sendJson(res, 200, { transaction: built.transaction, message: `Lumora order ${order.id} for ${order.datasetId}` });
}
