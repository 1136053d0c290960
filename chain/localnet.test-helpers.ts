/**
 * @module Test helpers for chain/: the localnet's JSON-RPC served on 127.0.0.1, and signed
 * transactions built with @solana/kit against it, as a wallet builds them.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  appendTransactionMessageInstructions,
  createSolanaRpc,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Instruction,
  type KeyPairSigner,
  type Signature,
} from '@solana/kit';
import { handleJsonRpc, type Localnet } from './index.js';

/** Serves `net` over HTTP on a free loopback port. */
export async function serveLocalnet(net: Localnet): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(handleJsonRpc(net, body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

type Rpc = ReturnType<typeof createSolanaRpc>;

/** A v0 transaction of `instructions`, paid for by `payer`, with the latest blockhash, signed. */
export async function signInstructions(rpc: Rpc, payer: KeyPairSigner, instructions: Instruction[]) {
  const { value: blockhash } = await rpc.getLatestBlockhash().send();
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  return signTransactionMessageWithSigners(message);
}

/** Signs and sends; returns the signature. */
export async function sendInstructions(rpc: Rpc, payer: KeyPairSigner, instructions: Instruction[]): Promise<Signature> {
  const tx = await signInstructions(rpc, payer, instructions);
  return rpc.sendTransaction(getBase64EncodedWireTransaction(tx), { encoding: 'base64' }).send();
}
