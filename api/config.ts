/**
 * @module The server's one config schema: a table of fields with defaults and units in their
 * names, parsed once by `lumora serve` and passed down frozen.
 */
import { z } from 'zod';

const MINUTE_MS = 60_000;

export const serveConfigSchema = z
  .object({
    home: z.string().default('./.lumora'),
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(4000),
    /** The URL clients reach the server at; signed download links and Solana Pay links use it. Default http://HOST:PORT. */
    publicUrl: z.string().url().optional(),
    /** A Solana JSON-RPC URL (devnet, mainnet); absent runs the embedded localnet at /solana. */
    rpcUrl: z.string().url().optional(),
    /** How settled a payment must be before access is granted. */
    commitment: z.enum(['confirmed', 'finalized']).default('confirmed'),
    /** The localnet's slot length; 0 advances slots only when asked (tests). */
    slotMs: z.number().int().min(0).default(400),
    /** The sign-in message's domain; default the public URL's host. */
    domain: z.string().optional(),
    signInTtlMs: z
      .number()
      .int()
      .positive()
      .default(10 * MINUTE_MS),
    /** Allowed distance of a message's Issued At from now; Phantom enforces ±10 min. */
    signInSkewMs: z
      .number()
      .int()
      .positive()
      .default(10 * MINUTE_MS),
    sessionTtlMs: z
      .number()
      .int()
      .positive()
      .default(24 * 60 * MINUTE_MS),
    orderTtlMs: z
      .number()
      .int()
      .positive()
      .default(30 * MINUTE_MS),
    /** Unpaid, unexpired orders one wallet may hold at once. */
    maxOpenOrdersPerWallet: z.number().int().positive().default(20),
    /** How long an unpaid order stays on record after it expired; then it is settled once: granted if it was paid in time, kept if paid late (the payment recorded for a refund), else deleted. */
    orderRetentionMs: z
      .number()
      .int()
      .positive()
      .default(7 * 24 * 60 * MINUTE_MS),
    /** How long after a payment its order is looked at again for a second payment (a wallet's retry) to record for a refund. */
    recheckPaidOrderAfterMs: z
      .number()
      .int()
      .positive()
      .default(10 * MINUTE_MS),
    /** How often expired sign-in nonces are deleted and orders settled. */
    sweepIntervalMs: z
      .number()
      .int()
      .positive()
      .default(10 * MINUTE_MS),
    downloadUrlTtlMs: z
      .number()
      .int()
      .positive()
      .default(15 * MINUTE_MS),
    /** Requests per minute; 0 turns a limit off. */
    rateLimitPerIpPerMinute: z.number().int().min(0).default(1200),
    /** Mutations per minute per signed-in wallet. */
    rateLimitPerWalletPerMinute: z.number().int().min(0).default(120),
    maxQueryDepth: z.number().int().positive().default(10),
    maxQueryComplexity: z.number().int().positive().default(2000),
    /** Lexical tokens in a GraphQL document; parsing stops past it (GraphiQL's introspection query has ~190). */
    maxQueryTokens: z.number().int().positive().default(5000),
    /** Field selections in an operation, fragments expanded, aliases and __typename included. */
    maxQuerySelections: z.number().int().positive().default(500),
    /** Characters in any string argument, unless the field allows more. */
    maxArgumentLength: z.number().int().positive().default(1000),
    /** Items in any list argument, unless the field allows more. */
    maxArgumentItems: z.number().int().positive().default(100),
    /** Bytes in a GraphQL request body. */
    maxGraphqlBodyBytes: z
      .number()
      .int()
      .positive()
      .default(1 << 20),
    /** GraphiQL at GET /graphql, with the introspection and "did you mean" hints it needs (on with `--demo`). */
    graphiql: z.boolean().default(false),
    /** Everything `graphiql` turns on, and error details (stack traces, paths) in responses: development only. */
    dev: z.boolean().default(false),
    /** Unfinished (waiting or running) training jobs one wallet may have created. */
    maxTrainingJobsPerWallet: z.number().int().positive().default(4),
    /** Model bytes (4 per weight) of the training jobs one wallet created that the server keeps, finished ones too. */
    maxTrainingModelBytesPerWallet: z
      .number()
      .int()
      .positive()
      .default(256 << 20),
    /** Model bytes of all training jobs the server keeps: each is held in memory and under HOME/federated. */
    maxTrainingModelBytes: z
      .number()
      .int()
      .positive()
      .default(1 << 30),
    /** Training jobs one wallet created that the server keeps, finished ones included; deleteTrainingJob frees a place. */
    maxKeptTrainingJobsPerWallet: z.number().int().positive().default(16),
    /** Estimated memory of the data (training row ids, validation features, IDF) of one wallet's unfinished training jobs; ≤ 2^31 − 1 (GraphQL's Int carries it). */
    maxTrainingDataBytesPerWallet: z
      .number()
      .int()
      .positive()
      .max(2 ** 31 - 1)
      .default(256 << 20),
    /** The same over every unfinished training job of the server. */
    maxTrainingDataBytes: z
      .number()
      .int()
      .positive()
      .max(2 ** 31 - 1)
      .default(1 << 30),
  })
  .strict();

export type ServeConfig = Readonly<z.infer<typeof serveConfigSchema>>;

/** Parses and freezes a config; zod's messages name the field. */
export function parseServeConfig(input: unknown): ServeConfig {
  return Object.freeze(serveConfigSchema.parse(input));
}
