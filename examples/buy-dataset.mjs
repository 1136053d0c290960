// A buyer's script, start to finish: sign in with a wallet, order a dataset, pay for it on Solana,
// confirm, download every Parquet file (checking its sha256), and read it with DuckDB.
//
//   npx lumora serve --demo                       # in one terminal
//   node examples/buy-dataset.mjs http://127.0.0.1:4000 fixture-web
//
// On the demo server the wallet is new and funded by the localnet faucet; against a real cluster
// load your own keypair instead (createKeyPairSignerFromBytes) and drop the faucet call.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { getAddMemoInstruction } from '@solana-program/memo';
import { getTransferSolInstruction } from '@solana-program/system';
import { findAssociatedTokenPda, getTransferCheckedInstruction, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token';
import {
  AccountRole,
  address,
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
} from '@solana/kit';

const [server = 'http://127.0.0.1:4000', datasetId = 'fixture-web', outDir = 'downloads'] = process.argv.slice(2);
let token;
async function gql(query, variables = {}) {
  const res = await fetch(`${server}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

// 1. A wallet, funded by the demo localnet's faucet (SOL for fees and price, and Lumora tokens).
const wallet = await generateKeyPairSigner();
await gql('mutation($a: String!) { faucet(address: $a) { __typename } }', { a: wallet.address });

// 2. Sign in: sign the server's message with the wallet (what a wallet's signMessage does).
const { requestSignIn } = await gql('mutation($a: String!) { requestSignIn(address: $a) { message } }', { a: wallet.address });
const signature = getBase58Decoder().decode(await signBytes(wallet.keyPair.privateKey, new TextEncoder().encode(requestSignIn.message)));
const { signIn } = await gql(
  `mutation($a: String!, $m: String!, $s: String!) { signIn(address: $a, message: $m, signature: $s) {
     ... on SignInSuccess { token } ... on Error { message } } }`,
  { a: wallet.address, m: requestSignIn.message, s: signature },
);
if (!signIn.token) throw new Error(signIn.message);
token = signIn.token;

// 3. Order: the server fixes the amount, the recipient and a fresh reference.
const { createOrder } = await gql(
  `mutation($d: ID!) { createOrder(datasetId: $d) {
     ... on CreateOrderSuccess { order { id paymentUrl reference amount recipient currency mint memo } } ... on Error { message } } }`,
  { d: datasetId },
);
if (!createOrder.order) throw new Error(createOrder.message);
const order = createOrder.order;
console.log(`order ${order.id}: ${order.paymentUrl}`);

// 4. Pay as a Solana Pay wallet does: memo, then the transfer carrying the reference as a read-only key.
const rpc = createSolanaRpc(`${server}/solana`);
const MEMO_V2 = address('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr');
let transfer;
if (order.currency === 'SOL') {
  transfer = getTransferSolInstruction({ source: wallet, destination: address(order.recipient), amount: BigInt(order.amount) });
} else {
  const mint = address(order.mint);
  const [source] = await findAssociatedTokenPda({ owner: wallet.address, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
  const [destination] = await findAssociatedTokenPda({ owner: address(order.recipient), mint, tokenProgram: TOKEN_PROGRAM_ADDRESS });
  transfer = getTransferCheckedInstruction({ source, mint, destination, authority: wallet, amount: BigInt(order.amount), decimals: 6 });
}
transfer = { ...transfer, accounts: [...transfer.accounts, { address: address(order.reference), role: AccountRole.READONLY }] };
const { value: blockhash } = await rpc.getLatestBlockhash().send();
const tx = await signTransactionMessageWithSigners(
  pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(wallet, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions([getAddMemoInstruction({ memo: order.memo }, { programAddress: MEMO_V2 }), transfer], m),
  ),
);
const paid = await rpc.sendTransaction(getBase64EncodedWireTransaction(tx), { encoding: 'base64' }).send();
console.log(`paid: ${paid}`);

// 5. Confirm: retried while the transaction is not yet confirmed (about one slot, 400 ms).
for (;;) {
  const { confirmOrder } = await gql(
    `mutation($o: ID!, $s: String!) { confirmOrder(orderId: $o, signature: $s) {
       __typename ... on ConfirmOrderSuccess { order { status } } ... on Error { message } } }`,
    { o: order.id, s: paid },
  );
  if (confirmOrder.__typename === 'ConfirmOrderSuccess') break;
  if (confirmOrder.__typename !== 'PaymentPendingError') throw new Error(confirmOrder.message);
  await new Promise((r) => setTimeout(r, 500));
}

// 6. Download every file through its signed link, checking the sha256 the manifest gives.
const { dataset } = await gql('query($d: ID!) { dataset(id: $d) { id download { expiresAt arrowUrl files { name url bytes sha256 } } } }', { d: datasetId });
mkdirSync(outDir, { recursive: true });
const paths = [];
for (const f of dataset.download.files) {
  const bytes = Buffer.from(await (await fetch(f.url)).arrayBuffer());
  if (createHash('sha256').update(bytes).digest('hex') !== f.sha256) throw new Error(`${f.name}: sha256 mismatch`);
  const path = join(outDir, `${dataset.id.replace('@', '-')}-${f.name.split('/').pop()}`);
  writeFileSync(path, bytes);
  paths.push(path);
}
console.log(`downloaded ${paths.length} file(s) to ${outDir}/`);

// 7. Read it with DuckDB.
const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
const reader = await conn.runAndReadAll(
  `SELECT lang, count(*) AS docs FROM read_parquet([${paths.map((p) => `'${p.replaceAll("'", "''")}'`).join(', ')}]) GROUP BY lang ORDER BY docs DESC`,
);
console.table(reader.getRowObjectsJS().map((r) => ({ lang: r.lang, docs: Number(r.docs) })));
