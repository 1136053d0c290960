/**
 * @module Solana for Lumora: the embedded localnet (LiteSVM) and its JSON-RPC endpoint, the Lumora
 * token on it, Solana Pay requests and payment transactions, and payment verification. Everything
 * but the localnet speaks plain Solana JSON-RPC, so a real cluster can stand in.
 */
export { Localnet, formatUnits, TOKEN_PROGRAMS, type LocalnetOptions, type SimulationResult, type TokenBalance, type TransactionRecord } from './localnet.js';
export { COMMITMENT_RANK, DEFAULT_SLOT_MS, FINALIZATION_DEPTH_SLOTS, type CommitmentLevel } from './slot-clock.js';
export { MAX_PROCESSING_AGE } from './blockhash-queue.js';
export { associatedTokenAddress, LUMORA_DECIMALS } from './lumora-token.js';
export {
  buildPaymentTransaction,
  paymentInstructions,
  parseTransactionRequestPost,
  transactionRequestGet,
  transactionRequestPost,
  type PaymentTransaction,
  type PaymentTransactionRequest,
  type PaymentTransactionRpc,
} from './payment-transaction.js';
export { describeTransactionError, type TransactionErrorJson } from './transaction-error.js';
export { answerJsonRpc, handleJsonRpc, jsonRpcCallCount, parseJsonRpcBody, RPC_METHODS, type JsonRpcBody } from './rpc.js';
export { localnetTransport } from './localnet-transport.js';
export { decodeBase58 } from './base58.js';
export { ChainError, RPC_ERRORS } from './errors.js';
export {
  encodeTransferRequest,
  encodeTransactionRequest,
  parseSolanaPayUrl,
  parseUnits,
  SOL_DECIMALS,
  type TransferRequest,
  type TransactionRequest,
} from './solana-pay.js';
export {
  verifyPayment,
  paymentProblems,
  readPaymentTransaction,
  readSignatureStatus,
  receivedAmount,
  type ExpectedPayment,
  type PaymentCheck,
  type PaymentRpc,
  type RpcTransaction,
  type SignatureStatus,
  type Commitment,
} from './verify-payment.js';
