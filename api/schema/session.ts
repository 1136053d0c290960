/**
 * @module Wallet sign-in (Sign-In-With-Solana message style): requestSignIn gives the message to
 * sign, signIn checks the signature and returns a session token for `Authorization: Bearer`.
 * Query.viewer says who is signed in.
 */
import { badInput, builder } from '../builder.js';
import { SignInFailedError } from '../errors.js';
import { MAX_MESSAGE_CHARS } from '../sign-in.js';
import { checkWalletRate } from './wallet-rate.js';

const SignInChallenge = builder.objectRef<{ message: string; nonce: string; expiresAt: Date }>('SignInChallenge').implement({
  description: 'The exact text to sign with the wallet (signMessage), valid until expiresAt, usable once.',
  fields: (t) => ({
    message: t.exposeString('message'),
    nonce: t.exposeString('nonce'),
    expiresAt: t.string({ resolve: (c) => c.expiresAt.toISOString() }),
  }),
});

const SignInSuccess = builder.objectRef<{ token: string; address: string; expiresAt: Date }>('SignInSuccess').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Send as `Authorization: Bearer TOKEN`.' }),
    address: t.exposeString('address'),
    expiresAt: t.string({ resolve: (s) => s.expiresAt.toISOString() }),
  }),
});

const Viewer = builder.objectRef<{ address: string }>('Viewer').implement({
  fields: (t) => ({ address: t.exposeString('address') }),
});

builder.mutationType({
  fields: (t) => ({
    requestSignIn: t.field({
      type: SignInChallenge,
      description: 'A sign-in message for `address` (base58). An invalid address is an error result.',
      args: { address: t.arg.string({ required: true }) },
      resolve: async (_root, { address }, ctx) => {
        checkWalletRate(ctx, `ip:${ctx.ip}:signin`);
        try {
          return await ctx.market.signIn.requestSignIn(address);
        } catch (err) {
          if (err instanceof SignInFailedError) throw badInput(err.message, 'address');
          throw err;
        }
      },
    }),
    signIn: t.field({
      type: SignInSuccess,
      description: 'Verifies the ed25519 signature (base58) of the message from requestSignIn and returns a session token.',
      errors: { types: [SignInFailedError], directResult: true, union: { name: 'SignInResult' } },
      args: {
        address: t.arg.string({ required: true }),
        message: t.arg.string({ required: true, extensions: { maxLength: MAX_MESSAGE_CHARS } }),
        signature: t.arg.string({ required: true }),
      },
      resolve: (_root, args, ctx) => {
        checkWalletRate(ctx, `ip:${ctx.ip}:signin`);
        return ctx.market.signIn.signIn(args.address, args.message, args.signature);
      },
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: Viewer,
    nullable: true,
    description: 'The signed-in wallet, or null.',
    resolve: (_root, _args, ctx) => (ctx.wallet ? { address: ctx.wallet } : null),
  }),
);
