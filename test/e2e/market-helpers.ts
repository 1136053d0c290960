/**
 * @module Helpers for marketplace tests: a dataset built from the fixtures by the real pipeline,
 * a real server on 127.0.0.1 with the embedded localnet, a GraphQL client, wallet sign-in with a
 * generated keypair, and payments built and signed with @solana/kit as a wallet builds them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccountRole,
  appendTransactionMessageInstructions,
  createSolanaRpc,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase58Decoder,
  getBase64EncodedWireTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signBytes,
  signTransactionMessageWithSigners,
  type Address,
  type Instruction,
  type KeyPairSigner,
} from '@solana/kit';
import { getAddMemoInstruction } from '@solana-program/memo';
import { getCreateAccountInstruction, getTransferSolInstruction } from '@solana-program/system';
import {
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstruction,
  getInitializeMint2Instruction,
  getMintSize,
  getMintToInstruction,
  getTransferCheckedInstruction,
  TOKEN_PROGRAM_ADDRESS,
} from '@solana-program/token';
import { parseServeConfig, startServer, type MarketServer } from '../../api/index.js';
import { parsePipelineConfig, runPipeline } from '../../pipeline/index.js';
import { ROOT } from './helpers.js';

/** Runs the pipeline over a fixture input (default the JSONL pages); returns the dataset directory. */
export async function buildFixtureDataset(home: string, name = 'fixture-pages', input = 'fixtures/jsonl/pages.jsonl'): Promise<string> {
  const outDir = join(home, 'out', name);
  const config = parsePipelineConfig({ dataset: { name, license: 'cc-by-4.0', description: 'Fixture pages for marketplace tests.' }, runner: { workers: 0 } });
  const noop = () => undefined;
  const logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  await runPipeline({ inputs: [join(ROOT, input)], outDir, home, config, toolVersion: 'test', logger });
  return outDir;
}

export interface TestMarket {
  server: MarketServer;
  url: string;
  home: string;
  clock: { offsetMs: number };
  rpc: ReturnType<typeof createSolanaRpc>;
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<{ status: number; body: { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }>;
}

/** A server on a free loopback port, slots advanced by hand, its clock shiftable. */
export async function startTestMarket(overrides: Record<string, unknown> = {}): Promise<TestMarket> {
  const home = mkdtempSync(join(tmpdir(), 'lumora-market-'));
  const clock = { offsetMs: 0 };
  const server = await startServer(parseServeConfig({ home, port: 0, slotMs: 0, rateLimitPerIpPerMinute: 0, ...overrides }), {
    now: () => new Date(Date.now() + clock.offsetMs),
  });
  return { server, url: server.url, home, clock, rpc: createSolanaRpc(`${server.url}/solana`), gql: graphqlClient(() => server.url) };
}

/** A GraphQL client for the server at `url()`, asked at every call (a test may restart the server on another port). */
export function graphqlClient(url: () => string): TestMarket['gql'] {
  return async (query, variables = {}, token) => {
    const res = await fetch(`${url()}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as never };
  };
}

/** Signs the text with the wallet's key, as `signMessage` does; base58. */
export async function signText(signer: KeyPairSigner, text: string): Promise<string> {
  return getBase58Decoder().decode(await signBytes(signer.keyPair.privateKey, new TextEncoder().encode(text)));
}

export async function signIn(m: TestMarket, signer: KeyPairSigner): Promise<string> {
  const req = await m.gql('mutation($a: String!) { requestSignIn(address: $a) { message } }', { a: signer.address });
  const message = req.body.data.requestSignIn.message as string;
  const res = await m.gql(
    'mutation($a: String!, $m: String!, $s: String!) { signIn(address: $a, message: $m, signature: $s) { __typename ... on SignInSuccess { token } ... on Error { message code } } }',
    { a: signer.address, m: message, s: await signText(signer, message) },
  );
  const token = res.body.data?.signIn?.token as string | undefined;
  if (!token) throw new Error(`sign-in failed: ${JSON.stringify(res.body)}`);
  return token;
}

/** A funded wallet (SOL and Lumora tokens from the faucet). */
export async function fundedWallet(m: TestMarket): Promise<KeyPairSigner> {
  const signer = await generateKeyPairSigner();
  const r = await m.gql('mutation($a: String!) { faucet(address: $a) { __typename ... on FaucetSuccess { signatures } ... on Error { message } } }', {
    a: signer.address,
  });
  if (r.body.data?.faucet?.__typename !== 'FaucetSuccess') throw new Error(`faucet failed: ${JSON.stringify(r.body)}`);
  return signer;
}

const MEMO_V2 = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr' as Address;

export interface PaymentParts {
  recipient: string;
  amount: bigint;
  mint?: string | null;
  decimals?: number;
  reference?: string | null;
  memo?: string | null;
}

/** The instructions a Solana Pay wallet sends for a transfer request: memo, then the transfer with the reference as a read-only key. */
export async function paymentInstructions(payer: KeyPairSigner, p: PaymentParts): Promise<Instruction[]> {
  const ixs: Instruction[] = [];
  // SPL Memo v2 (the program wallets use; @solana-program/memo defaults to a newer one the localnet lacks).
  if (p.memo) ixs.push(getAddMemoInstruction({ memo: p.memo }, { programAddress: MEMO_V2 }));
  let transfer: Instruction;
  if (!p.mint) {
    transfer = getTransferSolInstruction({ source: payer, destination: p.recipient as Address, amount: p.amount });
  } else {
    const [source] = await findAssociatedTokenPda({ owner: payer.address, mint: p.mint as Address, tokenProgram: TOKEN_PROGRAM_ADDRESS });
    const [destination] = await findAssociatedTokenPda({ owner: p.recipient as Address, mint: p.mint as Address, tokenProgram: TOKEN_PROGRAM_ADDRESS });
    transfer = getTransferCheckedInstruction({ source, mint: p.mint as Address, destination, authority: payer, amount: p.amount, decimals: p.decimals ?? 6 });
  }
  if (p.reference) transfer = { ...transfer, accounts: [...(transfer.accounts ?? []), { address: p.reference as Address, role: AccountRole.READONLY }] };
  ixs.push(transfer);
  return ixs;
}

/** Signs and sends instructions against the server's /solana; returns the signature. */
export async function send(m: TestMarket, payer: KeyPairSigner, instructions: Instruction[]): Promise<string> {
  const { value: blockhash } = await m.rpc.getLatestBlockhash().send();
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (tx) => setTransactionMessageFeePayerSigner(payer, tx),
    (tx) => setTransactionMessageLifetimeUsingBlockhash(blockhash, tx),
    (tx) => appendTransactionMessageInstructions(instructions, tx),
  );
  const signed = await signTransactionMessageWithSigners(message);
  return m.rpc.sendTransaction(getBase64EncodedWireTransaction(signed), { encoding: 'base64' }).send();
}

export async function pay(m: TestMarket, payer: KeyPairSigner, p: PaymentParts): Promise<string> {
  return send(m, payer, await paymentInstructions(payer, p));
}

/**
 * A token of the buyer's own (a mint they control), with `amount` minted to them and an associated
 * token account made for `other`: what a buyer needs to pay a seller in the wrong token.
 */
export async function ownToken(m: TestMarket, payer: KeyPairSigner, other: string, amount: bigint): Promise<string> {
  const mint = await generateKeyPairSigner();
  const space = BigInt(getMintSize());
  const rent = await m.rpc.getMinimumBalanceForRentExemption(space).send();
  const [payerAta] = await findAssociatedTokenPda({ owner: payer.address, mint: mint.address, tokenProgram: TOKEN_PROGRAM_ADDRESS });
  const [otherAta] = await findAssociatedTokenPda({ owner: other as Address, mint: mint.address, tokenProgram: TOKEN_PROGRAM_ADDRESS });
  await send(m, payer, [
    getCreateAccountInstruction({ payer, newAccount: mint, lamports: rent, space, programAddress: TOKEN_PROGRAM_ADDRESS }),
    getInitializeMint2Instruction({ mint: mint.address, decimals: 6, mintAuthority: payer.address }),
    getCreateAssociatedTokenIdempotentInstruction({ payer, ata: payerAta, owner: payer.address, mint: mint.address }),
    getCreateAssociatedTokenIdempotentInstruction({ payer, ata: otherAta, owner: other as Address, mint: mint.address }),
    getMintToInstruction({ mint: mint.address, token: payerAta, mintAuthority: payer, amount }),
  ]);
  return mint.address;
}

export const ORDER_FIELDS = 'id paymentUrl reference amount recipient status currency mint memo expiresAt';
