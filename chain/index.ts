/**
 * @module Solana for Lumora: the embedded localnet (LiteSVM) and its JSON-RPC endpoint. Payment
 * verification and Solana Pay build on the same JSON-RPC, so a real cluster can stand in.
 */
export { Localnet, type TransactionRecord } from './localnet.js';
export { handleJsonRpc, RPC_METHODS } from './rpc.js';
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
export { formatUnits } from './localnet.js';
export { verifyPayment, paymentProblems, rpcClient, type ExpectedPayment, type PaymentCheck, type PaymentRpc, type Commitment } from './verify-payment.js';
