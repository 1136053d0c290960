/**
 * @module Typed chain failures. `code` is the JSON-RPC error code the RPC endpoint answers with.
 */
export class ChainError extends Error {
  override name = 'ChainError';
  readonly code: number;
  readonly data: unknown;
  constructor(message: string, opts: { code?: number; data?: unknown; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.code = opts.code ?? -32603;
    this.data = opts.data;
  }
}

/** JSON-RPC 2.0 and Solana RPC error codes. */
export const RPC_ERRORS = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  /** Solana: "Transaction simulation failed" (preflight). */
  preflightFailure: -32002,
  /** Solana: "Transaction signature verification failure". */
  signatureVerificationFailure: -32003,
  /** Solana: the transaction's message version is newer than the client said it supports. */
  unsupportedTransactionVersion: -32015,
} as const;
