/**
 * @module Synchronous Ed25519 keys and transaction signing for the localnet's own transactions
 * (the Lumora mint, the faucet). @solana/kit signs through WebCrypto, which is asynchronous; Node's
 * `crypto.sign` is not, so the localnet can create its mint and fund wallets inside a synchronous
 * call, and the result is still a real signed transaction that LiteSVM verifies. Also a
 * synchronous program-derived-address search, for the same reason.
 */
import { createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  appendTransactionMessageInstructions,
  compileTransaction,
  createTransactionMessage,
  getAddressDecoder,
  getAddressEncoder,
  getTransactionEncoder,
  isOffCurveAddress,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type Address,
  type Blockhash,
  type Instruction,
  type SignatureBytes,
} from '@solana/kit';

/** PKCS#8 DER prefix of an Ed25519 private key (RFC 8410 §7); the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A key pair the localnet holds. `secret` is the 32-byte seed, as saved in the state file. */
export interface LocalKeypair {
  readonly address: Address;
  readonly secret: Uint8Array;
  sign(message: Uint8Array): SignatureBytes;
}

/** The key pair of a 32-byte seed, or a fresh random one. */
export function localKeypair(secret: Uint8Array = new Uint8Array(randomBytes(32))): LocalKeypair {
  if (secret.length !== 32) throw new RangeError(`an Ed25519 seed is 32 bytes, got ${secret.length}`);
  const key: KeyObject = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, secret]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const address = getAddressDecoder().decode(new Uint8Array(spki.subarray(spki.length - 32)));
  return { address, secret, sign: (message) => new Uint8Array(sign(null, message, key)) as SignatureBytes };
}

/** A v0 transaction of `instructions`, paid by `feePayer`, signed by it and `signers`: wire bytes. */
export function signedWire(
  instructions: Instruction[],
  feePayer: LocalKeypair,
  signers: LocalKeypair[],
  lifetime: { blockhash: string; lastValidBlockHeight: number },
): Uint8Array {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(feePayer.address, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: lifetime.blockhash as Blockhash, lastValidBlockHeight: BigInt(lifetime.lastValidBlockHeight) },
        m,
      ),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  const tx = compileTransaction(message);
  const signatures: Record<string, SignatureBytes | null> = { ...tx.signatures };
  for (const signer of [feePayer, ...signers]) {
    if (!(signer.address in signatures)) throw new Error(`${signer.address} is not a signer of this transaction`);
    signatures[signer.address] = signer.sign(new Uint8Array(tx.messageBytes));
  }
  return new Uint8Array(getTransactionEncoder().encode({ ...tx, signatures }));
}

/** `findProgramAddressSync`: the highest bump whose hash is off the Ed25519 curve. */
export function findProgramAddressSync(seeds: Uint8Array[], programAddress: Address): [Address, number] {
  const program = getAddressEncoder().encode(programAddress);
  const marker = new TextEncoder().encode('ProgramDerivedAddress');
  for (let bump = 255; bump >= 0; bump--) {
    const hash = sha256(Buffer.concat([...seeds, Uint8Array.of(bump), program as Uint8Array, marker]));
    const candidate = getAddressDecoder().decode(hash);
    if (isOffCurveAddress(candidate)) return [candidate, bump];
  }
  throw new Error(`no program address for these seeds under ${programAddress}`);
}
