/**
 * @module Solana's JSON form of a `TransactionError` (what a validator puts in `meta.err`,
 * `getSignatureStatuses` and the preflight error's `data.err`), made from LiteSVM's error values,
 * plus the one-line text a validator shows for it. @solana/kit decodes this JSON form into typed
 * `SolanaError`s, so it must match serde's encoding of agave's enum exactly:
 * `"BlockhashNotFound"`, `{"InstructionError":[0,{"Custom":1}]}`,
 * `{"InsufficientFundsForRent":{"account_index":2}}`.
 */
import {
  InstructionErrorBorshIo,
  InstructionErrorCustom,
  TransactionErrorDuplicateInstruction,
  TransactionErrorInstructionError,
  TransactionErrorInsufficientFundsForRent,
  TransactionErrorProgramExecutionTemporarilyRestricted,
} from 'litesvm/dist/internal.js';
import { ChainError, RPC_ERRORS } from './errors.js';

/** Solana's JSON TransactionError: a variant name, or `{ Variant: payload }`. */
export type TransactionErrorJson = string | Record<string, unknown>;

/**
 * LiteSVM 1.4.1's `TransactionErrorFieldless`, in declaration order. It is a `const enum` in its
 * typings, so the runtime only sees the number; the names are copied from
 * node_modules/litesvm/dist/internal.d.ts and are agave's variant names.
 */
const TRANSACTION_ERRORS = [
  'AccountInUse',
  'AccountLoadedTwice',
  'AccountNotFound',
  'ProgramAccountNotFound',
  'InsufficientFundsForFee',
  'InvalidAccountForFee',
  'AlreadyProcessed',
  'BlockhashNotFound',
  'CallChainTooDeep',
  'MissingSignatureForFee',
  'InvalidAccountIndex',
  'SignatureFailure',
  'InvalidProgramForExecution',
  'SanitizeFailure',
  'ClusterMaintenance',
  'AccountBorrowOutstanding',
  'WouldExceedMaxBlockCostLimit',
  'UnsupportedVersion',
  'InvalidWritableAccount',
  'WouldExceedMaxAccountCostLimit',
  'WouldExceedAccountDataBlockLimit',
  'TooManyAccountLocks',
  'AddressLookupTableNotFound',
  'InvalidAddressLookupTableOwner',
  'InvalidAddressLookupTableData',
  'InvalidAddressLookupTableIndex',
  'InvalidRentPayingAccount',
  'WouldExceedMaxVoteCostLimit',
  'WouldExceedAccountDataTotalLimit',
  'MaxLoadedAccountsDataSizeExceeded',
  'ResanitizationNeeded',
  'InvalidLoadedAccountsDataSizeLimit',
  'UnbalancedTransaction',
  'ProgramCacheHitMaxLimit',
  'CommitCancelled',
] as const;

/** LiteSVM 1.4.1's `InstructionErrorFieldless`, in declaration order (same source). */
const INSTRUCTION_ERRORS = [
  'GenericError',
  'InvalidArgument',
  'InvalidInstructionData',
  'InvalidAccountData',
  'AccountDataTooSmall',
  'InsufficientFunds',
  'IncorrectProgramId',
  'MissingRequiredSignature',
  'AccountAlreadyInitialized',
  'UninitializedAccount',
  'UnbalancedInstruction',
  'ModifiedProgramId',
  'ExternalAccountLamportSpend',
  'ExternalAccountDataModified',
  'ReadonlyLamportChange',
  'ReadonlyDataModified',
  'DuplicateAccountIndex',
  'ExecutableModified',
  'RentEpochModified',
  'NotEnoughAccountKeys',
  'AccountDataSizeChanged',
  'AccountNotExecutable',
  'AccountBorrowFailed',
  'AccountBorrowOutstanding',
  'DuplicateAccountOutOfSync',
  'InvalidError',
  'ExecutableDataModified',
  'ExecutableLamportChange',
  'ExecutableAccountNotRentExempt',
  'UnsupportedProgramId',
  'CallDepth',
  'MissingAccount',
  'ReentrancyNotAllowed',
  'MaxSeedLengthExceeded',
  'InvalidSeeds',
  'InvalidRealloc',
  'ComputationalBudgetExceeded',
  'PrivilegeEscalation',
  'ProgramEnvironmentSetupFailure',
  'ProgramFailedToComplete',
  'ProgramFailedToCompile',
  'Immutable',
  'IncorrectAuthority',
  'AccountNotRentExempt',
  'InvalidAccountOwner',
  'ArithmeticOverflow',
  'UnsupportedSysvar',
  'IllegalOwner',
  'MaxAccountsDataAllocationsExceeded',
  'MaxAccountsExceeded',
  'MaxInstructionTraceLengthExceeded',
  'BuiltinProgramsMustConsumeComputeUnits',
  'BorshIoError',
] as const;

/** The text agave's `Display` gives the errors people meet most; others show their variant name. */
const DISPLAY: Record<string, string> = {
  AccountNotFound: 'Attempt to debit an account but found no record of a prior credit.',
  InsufficientFundsForFee: 'Insufficient funds for fee',
  AlreadyProcessed: 'This transaction has already been processed',
  BlockhashNotFound: 'Blockhash not found',
  SignatureFailure: 'Transaction did not pass signature verification',
};

function instructionError(err: unknown): unknown {
  if (typeof err === 'number') return INSTRUCTION_ERRORS[err] ?? `InstructionError${err}`;
  if (err instanceof InstructionErrorCustom) return { Custom: err.code };
  if (err instanceof InstructionErrorBorshIo) return { BorshIoError: err.msg };
  return String(err);
}

/**
 * A LiteSVM error value (`FailedTransactionMetadata.err()`) in Solana's JSON form; null for none.
 * An error kind this table does not know yet falls back to LiteSVM's own text, so nothing is lost.
 */
export function toTransactionError(err: unknown): TransactionErrorJson | null {
  if (err === null || err === undefined) return null;
  if (typeof err === 'string') return err;
  if (typeof err === 'number') return TRANSACTION_ERRORS[err] ?? `TransactionError${err}`;
  if (err instanceof TransactionErrorInstructionError) return { InstructionError: [err.index, instructionError(err.err())] };
  if (err instanceof TransactionErrorDuplicateInstruction) return { DuplicateInstruction: err.index };
  if (err instanceof TransactionErrorInsufficientFundsForRent) return { InsufficientFundsForRent: { account_index: err.accountIndex } };
  if (err instanceof TransactionErrorProgramExecutionTemporarilyRestricted) {
    return { ProgramExecutionTemporarilyRestricted: { account_index: err.accountIndex } };
  }
  const text = String((err as { toString(): string }).toString());
  return text.length > 0 ? text : 'TransactionError';
}

/** The one-line text of a JSON TransactionError, as in "Transaction simulation failed: <text>". */
export function describeTransactionError(err: TransactionErrorJson): string {
  if (typeof err === 'string') return DISPLAY[err] ?? err;
  const ix = err.InstructionError;
  if (Array.isArray(ix)) {
    const [index, inner] = ix as [number, unknown];
    const custom = inner && typeof inner === 'object' && 'Custom' in inner ? (inner as { Custom: number }).Custom : undefined;
    const what = custom !== undefined ? `custom program error: 0x${custom.toString(16)}` : JSON.stringify(inner);
    return `Error processing Instruction ${index}: ${what}`;
  }
  return JSON.stringify(err);
}

/** The error value that means "the signatures do not verify" (RPC -32003, not a preflight failure). */
export const SIGNATURE_FAILURE = 'SignatureFailure';

/** RPC error -32003, as a validator answers a transaction whose signatures do not verify. */
export function signatureFailure(): ChainError {
  return new ChainError('Transaction signature verification failure', { code: RPC_ERRORS.signatureVerificationFailure });
}

/** RPC error -32002 with the simulation result as `data`, as a validator's preflight check answers. */
export function preflightFailure(sim: { err: TransactionErrorJson | null; logs: string[]; unitsConsumed: number }): ChainError {
  const err = sim.err ?? 'TransactionError';
  return new ChainError(`Transaction simulation failed: ${describeTransactionError(err)}`, {
    code: RPC_ERRORS.preflightFailure,
    data: { err, logs: sim.logs, accounts: null, unitsConsumed: sim.unitsConsumed, returnData: null },
  });
}
