/**
 * @module Payment transactions for Solana Pay transaction requests (https://docs.solanapay.com/spec):
 * the server answers a wallet's POST `{ account }` with an unsigned transaction that pays the
 * order — an optional memo first, then a SOL transfer or an SPL `transferChecked` between the
 * associated token accounts, with the order's reference key as an extra read-only account of the
 * transfer so that `getSignaturesForAddress(reference)` finds the payment. It reads only plain
 * JSON-RPC (`getAccountInfo` base64, `getLatestBlockhash`), so it works against the localnet's
 * endpoint and a real cluster alike.
 *
 * @example
 * const { transaction } = await buildPaymentTransaction(createSolanaRpc(url), { payer, recipient, amount: 1_500_000n, mint, reference, memo: 'order-42' });
 * return Response.json(transactionRequestPost({ transaction, message: 'Thanks for your order' }));
 */
import {
  AccountRole,
  address as toAddress,
  appendTransactionMessageInstructions,
  compileTransaction,
  createNoopSigner,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  lamports,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type Address,
  type GetAccountInfoApi,
  type GetLatestBlockhashApi,
  type Instruction,
  type Rpc,
} from '@solana/kit';
import { getTransferSolInstruction } from '@solana-program/system';
import { getMintDecoder, getTransferCheckedInstruction } from '@solana-program/token';
import { getAddMemoInstruction, LEGACY_MEMO_PROGRAM_ADDRESS_V3 } from '@solana-program/memo';
import { ChainError, RPC_ERRORS } from './errors.js';
import { associatedTokenAddress } from './lumora-token.js';
import { TOKEN_PROGRAMS } from './token-balance.js';

/** The RPC calls a payment transaction needs; `createSolanaRpc(url)` has them. */
export type PaymentTransactionRpc = Rpc<GetAccountInfoApi & GetLatestBlockhashApi>;

/** What to pay. `mint` absent means SOL; `amount` is in base units (lamports or the token's). */
export interface PaymentTransactionRequest {
  payer: Address;
  recipient: Address;
  amount: bigint;
  mint?: Address;
  reference: Address;
  memo?: string;
}

/** An unsigned payment transaction and the lifetime it was built with. */
export interface PaymentTransaction {
  /** The wire transaction, base64, with empty signature slots (requireAllSignatures: false). */
  transaction: string;
  blockhash: string;
  lastValidBlockHeight: bigint;
}

/**
 * The memo (v3, the Memo program every cluster and LiteSVM carry) and the transfer. The wallet
 * signs as `payer`; SPL amounts are checked against the mint's decimals, read from the chain.
 */
export async function paymentInstructions(rpc: PaymentTransactionRpc, req: PaymentTransactionRequest): Promise<Instruction[]> {
  if (req.amount <= 0n) throw new ChainError(`payment to ${req.recipient}: amount ${req.amount} must be positive`, { code: RPC_ERRORS.invalidParams });
  const payer = createNoopSigner(req.payer);
  let transfer: Instruction;
  if (req.mint === undefined) {
    transfer = getTransferSolInstruction({ source: payer, destination: req.recipient, amount: lamports(req.amount) });
  } else {
    const { decimals, tokenProgram } = await readMint(rpc, req.mint);
    const source = await associatedTokenAddress(req.payer, req.mint, tokenProgram);
    const destination = await associatedTokenAddress(req.recipient, req.mint, tokenProgram);
    const { value: recipientAccount } = await rpc.getAccountInfo(destination, { encoding: 'base64', commitment: 'confirmed' }).send();
    if (!recipientAccount) {
      throw new ChainError(`payment to ${req.recipient}: it has no token account for mint ${req.mint}; the merchant's account must exist before payment`, {
        code: RPC_ERRORS.invalidParams,
      });
    }
    transfer = getTransferCheckedInstruction(
      { source, mint: req.mint, destination, authority: payer, amount: req.amount, decimals },
      { programAddress: tokenProgram },
    );
  }
  // The Solana Pay spec: the reference is a read-only, non-signer key of the transfer instruction.
  const withReference: Instruction = { ...transfer, accounts: [...(transfer.accounts ?? []), { address: req.reference, role: AccountRole.READONLY }] };
  const memo = req.memo === undefined ? [] : [getAddMemoInstruction({ memo: req.memo }, { programAddress: LEGACY_MEMO_PROGRAM_ADDRESS_V3 })];
  return [...memo, withReference];
}

/** The unsigned transaction a transaction request's POST answers with; the fee payer is `payer`. */
export async function buildPaymentTransaction(rpc: PaymentTransactionRpc, req: PaymentTransactionRequest): Promise<PaymentTransaction> {
  const instructions = await paymentInstructions(rpc, req);
  const { value: lifetime } = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send();
  // Legacy messages: every wallet that speaks Solana Pay can read them.
  const message = pipe(
    createTransactionMessage({ version: 'legacy' }),
    (m) => setTransactionMessageFeePayer(req.payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(lifetime, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  return {
    transaction: getBase64EncodedWireTransaction(compileTransaction(message)),
    blockhash: lifetime.blockhash,
    lastValidBlockHeight: lifetime.lastValidBlockHeight,
  };
}

/** A mint's decimals and owning token program, from its account data (no jsonParsed needed). */
async function readMint(rpc: PaymentTransactionRpc, mint: Address): Promise<{ decimals: number; tokenProgram: Address }> {
  const { value } = await rpc.getAccountInfo(mint, { encoding: 'base64', commitment: 'confirmed' }).send();
  if (!value || !TOKEN_PROGRAMS.includes(value.owner))
    throw new ChainError(`mint ${mint} is not an SPL token mint on this cluster`, { code: RPC_ERRORS.invalidParams });
  const data = Buffer.from(value.data[0], 'base64');
  if (data.length < 82) throw new ChainError(`mint ${mint}: account data is ${data.length} bytes, too short for a mint`, { code: RPC_ERRORS.invalidParams });
  const decoded = getMintDecoder().decode(data.subarray(0, 82));
  if (!decoded.isInitialized) throw new ChainError(`mint ${mint} is not initialized`, { code: RPC_ERRORS.invalidParams });
  return { decimals: decoded.decimals, tokenProgram: value.owner };
}

/** The GET answer of a transaction request: what the wallet shows before the user agrees. */
export function transactionRequestGet(opts: { label: string; iconUrl: string }): { label: string; icon: string } {
  return { label: opts.label, icon: opts.iconUrl };
}

/** The POST body's `account` (the wallet's address), checked. */
export function parseTransactionRequestPost(body: unknown): Address {
  const account = body && typeof body === 'object' ? (body as { account?: unknown }).account : undefined;
  if (typeof account !== 'string') throw new ChainError('transaction request body: "account" is missing or not a string', { code: RPC_ERRORS.invalidParams });
  try {
    return toAddress(account);
  } catch (cause) {
    throw new ChainError('transaction request body: "account" is not a base58 public key', { code: RPC_ERRORS.invalidParams, cause });
  }
}

/** The POST answer of a transaction request. */
export function transactionRequestPost(opts: { transaction: string; message?: string }): { transaction: string; message?: string } {
  return opts.message === undefined ? { transaction: opts.transaction } : { transaction: opts.transaction, message: opts.message };
}
