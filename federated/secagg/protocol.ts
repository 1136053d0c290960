/**
 * @module An in-process driver for one secure-aggregation round (Bonawitz et al. 2017, "Practical
 * Secure Aggregation for Privacy-Preserving Machine Learning", CCS): it creates a SecAggClient per
 * update and one SecAggServer, passes their plain-data messages between them, and simulates
 * clients dropping out at the two points that matter. It exists for tests, simulations and
 * benchmarks until the network protocol carries the same messages.
 */
import { FederatedError } from '../errors.js';
import { SecAggClient } from './client.js';
import { createFixedPointCodec, type FixedPointCodec } from './fixed-point.js';
import type { RandomBytes } from './shamir.js';
import { SecAggServer, type SecAggResult, type ServerView } from './server.js';

/** One client's vector to be summed (a model delta or a weighted update). */
export interface SecAggInput {
  clientId: string;
  values: Float32Array;
}

/** One simulated round: the inputs, t, the clip range and who drops out when. */
export interface SecureAggregationOptions {
  round: number;
  updates: readonly SecAggInput[];
  /** t: Shamir threshold and the fewest clients allowed at every step; must exceed n/2. */
  threshold: number;
  /** C: values are clamped to [−C, C] before quantization (see secagg-fixed-point). */
  clipRange: number;
  /** Clients that share keys, then drop before sending a masked input: excluded from the sum. */
  dropBeforeMasking?: readonly string[];
  /** Clients that send a masked input, then drop before unmasking: included, but give no shares. */
  dropAfterMasking?: readonly string[];
  /** Cryptographic randomness for every party; defaults to the OS CSPRNG. */
  randomBytes?: RandomBytes;
}

/** The round's result, the server's view and coarse timings. */
export interface SecureAggregationRun {
  result: SecAggResult;
  /** What the server received, including every masked vector. */
  serverView: ServerView;
  codec: FixedPointCodec;
  /** Milliseconds per phase, summed over clients for client phases. */
  timingsMs: { clientMasking: number; serverUnmasking: number; total: number };
}

/**
 * Runs one round and returns the unmasked sum of the surviving clients' updates.
 *
 * @example
 * const { result } = runSecureAggregation({ round: 3, updates, threshold: Math.ceil((2 * updates.length) / 3), clipRange: 1 });
 * result.sum; // ≈ Σ updates, within result.errorBound per coordinate
 */
export function runSecureAggregation(opts: SecureAggregationOptions): SecureAggregationRun {
  const started = performance.now();
  const { round, updates, threshold } = opts;
  if (updates.length === 0) throw new FederatedError(`secagg round ${round}: no updates to aggregate`, { code: 'INVALID_ARGUMENT' });
  const modelLength = (updates[0] as SecAggInput).values.length;
  const ids = new Set(updates.map((u) => u.clientId));
  if (ids.size !== updates.length) throw new FederatedError(`secagg round ${round}: client ids must be unique`, { code: 'INVALID_ARGUMENT' });
  const before = new Set(opts.dropBeforeMasking ?? []);
  const after = new Set(opts.dropAfterMasking ?? []);
  for (const id of [...before, ...after])
    if (!ids.has(id)) throw new FederatedError(`secagg round ${round}: dropout ${id} is not a client`, { code: 'INVALID_ARGUMENT' });

  const codec = createFixedPointCodec({ clipRange: opts.clipRange, maxClients: updates.length });
  const server = new SecAggServer({ round, threshold, modelLength, codec });
  const clients = new Map(updates.map((u) => [u.clientId, new SecAggClient({ clientId: u.clientId, round, codec, randomBytes: opts.randomBytes })]));

  const roster = server.collectAdvertisements([...clients.values()].map((c) => c.advertiseKeys()));
  const deliveries = server.collectShares([...clients.values()].map((c) => c.shareKeys(roster)));

  const maskingStarted = performance.now();
  const masked = [];
  for (const u of updates) {
    const delivery = deliveries.get(u.clientId);
    if (!delivery || before.has(u.clientId)) continue;
    masked.push((clients.get(u.clientId) as SecAggClient).maskedInput(u.values, delivery));
  }
  const maskingEnded = performance.now();

  const request = server.collectMaskedInputs(masked);
  const responses = request.survivors.filter((id) => !after.has(id)).map((id) => (clients.get(id) as SecAggClient).unmask(request));
  const unmaskStarted = performance.now();
  const result = server.finish(responses);
  const ended = performance.now();
  return {
    result,
    serverView: server.view,
    codec,
    timingsMs: { clientMasking: maskingEnded - maskingStarted, serverUnmasking: ended - unmaskStarted, total: ended - started },
  };
}
