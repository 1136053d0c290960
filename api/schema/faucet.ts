/**
 * @module The localnet faucet: test SOL and Lumora tokens for a wallet, so a new user can buy
 * something at once. Refused on a real cluster.
 */
import { isAddress, type Address } from '@solana/kit';
import { builder } from '../builder.js';
import { InvalidInputError, NotAvailableError } from '../errors.js';
import { checkWalletRate } from './wallet-rate.js';

/** Per call: 10 SOL and 10,000 tokens (6 decimals). */
const MAX_LAMPORTS = 10_000_000_000n;
const MAX_TOKEN_UNITS = 10_000_000_000n;

const FaucetSuccess = builder.objectRef<{ address: string; lamports: bigint; tokens: bigint; mint: string; signatures: string[] }>('FaucetSuccess').implement({
  fields: (t) => ({
    address: t.exposeString('address'),
    lamports: t.string({ description: 'SOL sent, in lamports.', resolve: (f) => f.lamports.toString() }),
    tokens: t.string({ description: 'Lumora tokens sent, in base units (6 decimals).', resolve: (f) => f.tokens.toString() }),
    mint: t.exposeString('mint', { description: 'The Lumora token mint.' }),
    signatures: t.exposeStringList('signatures'),
  }),
});

function units(value: string | null | undefined, fallback: bigint, max: bigint, field: string): bigint {
  if (value == null) return fallback;
  if (!/^\d{1,20}$/.test(value)) throw new InvalidInputError(`${field} "${value.slice(0, 40)}" is not a whole number of base units`, field);
  const n = BigInt(value);
  if (n > max) throw new InvalidInputError(`${field} ${n} is above the faucet's limit of ${max} per call`, field);
  return n;
}

builder.mutationField('faucet', (t) =>
  t.field({
    type: FaucetSuccess,
    description: 'Localnet only: sends test SOL (default 2 SOL) and Lumora tokens (default 1,000) to `address`.',
    errors: { types: [NotAvailableError, InvalidInputError], directResult: true, union: { name: 'FaucetResult' } },
    args: {
      address: t.arg.string({ required: true }),
      lamports: t.arg.string({ required: false }),
      tokens: t.arg.string({ required: false }),
    },
    resolve: (_root, args, ctx) => {
      const net = ctx.market.localnet;
      if (!net || !ctx.market.lumoraMint) throw new NotAvailableError('the faucet runs only on the embedded localnet; this server uses an external cluster');
      if (!isAddress(args.address)) throw new InvalidInputError(`address "${args.address.slice(0, 64)}" is not a base58 Solana address`, 'address');
      checkWalletRate(ctx, `faucet:${ctx.ip}`);
      const lamports = units(args.lamports, 2_000_000_000n, MAX_LAMPORTS, 'lamports');
      const tokens = units(args.tokens, 1_000_000_000n, MAX_TOKEN_UNITS, 'tokens');
      const signatures: string[] = [];
      if (lamports > 0n) signatures.push(net.airdrop(args.address as Address, lamports));
      if (tokens > 0n) signatures.push(String(net.faucet(args.address as Address, tokens)));
      return { address: args.address, lamports, tokens, mint: ctx.market.lumoraMint, signatures };
    },
  }),
);
