import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { FederatedError } from '../errors.js';
import { SecAggClient } from './client.js';
import { createFixedPointCodec } from './fixed-point.js';
import { runSecureAggregation, type SecAggInput } from './protocol.js';
import type { RandomBytes } from './shamir.js';
import { SecAggServer } from './server.js';

/** Deterministic test randomness: a ChaCha20 keystream under sha256(label), so statistics are reproducible. */
function testRandom(label: string): RandomBytes {
  const key = sha256(utf8ToBytes(label));
  let counter = 0;
  return (n) => {
    const nonce = new Uint8Array(12);
    new DataView(nonce.buffer).setUint32(0, counter++, true);
    return chacha20(key, nonce, new Uint8Array(n));
  };
}

/** Updates in about [−1.2, 1.2] (some clipped at C = 1) from a deterministic formula. */
function makeUpdates(n: number, d: number): SecAggInput[] {
  return Array.from({ length: n }, (_, c) => {
    const values = new Float32Array(d);
    for (let i = 0; i < d; i++) values[i] = 1.2 * Math.sin(0.37 * i + 1.3 * c) * Math.cos(0.011 * i * (c + 1));
    return { clientId: `client-${String(c).padStart(2, '0')}`, values };
  });
}

function plainSum(updates: readonly SecAggInput[], ids: readonly string[], clip: number): Float64Array {
  const keep = new Set(ids);
  const out = new Float64Array((updates[0] as SecAggInput).values.length);
  for (const u of updates)
    if (keep.has(u.clientId)) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + Math.min(clip, Math.max(-clip, u.values[i] as number));
  return out;
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

const N = 20;
const T = Math.ceil((2 * N) / 3); // 14, Bonawitz et al. 2017's choice against an active server
const D = 1000;
const updates = makeUpdates(N, D);
const ids = updates.map((u) => u.clientId);

describe('runSecureAggregation', () => {
  it('cancels all masks exactly with no dropouts: the unmasked Uint32 sum equals the sum of the quantized updates', () => {
    const { result, codec } = runSecureAggregation({ round: 1, updates, threshold: T, clipRange: 1, randomBytes: testRandom('exact') });
    const expected = new Uint32Array(D);
    for (const u of updates) {
      const q = codec.encode(u.values);
      for (let i = 0; i < D; i++) expected[i] = ((expected[i] as number) + (q[i] as number)) >>> 0;
    }
    expect(result.quantizedSum).toEqual(expected);
    expect(result.survivors).toEqual(ids);
    expect(result.dropped).toEqual([]);
  });

  it.each([0, 1, 6])('recovers the sum within the quantization bound when %i of 20 clients drop after sharing keys, before masking (t = 14)', (k) => {
    const dropBeforeMasking = ids.slice(3, 3 + k);
    const { result } = runSecureAggregation({ round: 2, updates, threshold: T, clipRange: 1, dropBeforeMasking, randomBytes: testRandom(`before-${k}`) });
    const survivors = ids.filter((id) => !dropBeforeMasking.includes(id));
    expect(result.survivors).toEqual(survivors);
    expect(result.dropped).toEqual(dropBeforeMasking);
    expect(result.errorBound).toBe(survivors.length * 2 ** -27); // s = 2^26 for 20 clients at C = 1
    expect(maxAbsDiff(result.sum, plainSum(updates, survivors, 1))).toBeLessThanOrEqual(result.errorBound);
  });

  it.each([0, 1, 6])('includes every input when %i of 20 clients drop after sending masked inputs, before unmasking (t = 14)', (k) => {
    const dropAfterMasking = ids.slice(10, 10 + k);
    const { result } = runSecureAggregation({ round: 3, updates, threshold: T, clipRange: 1, dropAfterMasking, randomBytes: testRandom(`after-${k}`) });
    expect(result.survivors).toEqual(ids);
    expect(maxAbsDiff(result.sum, plainSum(updates, ids, 1))).toBeLessThanOrEqual(result.errorBound);
  });

  it('handles 3 dropouts before masking and 3 more after it together (14 answers, t = 14)', () => {
    const before = ids.slice(0, 3);
    const { result } = runSecureAggregation({
      round: 4,
      updates,
      threshold: T,
      clipRange: 1,
      dropBeforeMasking: before,
      dropAfterMasking: ids.slice(17),
      randomBytes: testRandom('mixed'),
    });
    expect(maxAbsDiff(result.sum, plainSum(updates, ids.slice(3), 1))).toBeLessThanOrEqual(result.errorBound);
  });

  it('fails with a FederatedError naming the round and counts when 7 of 20 drop before masking (13 < t = 14)', () => {
    const run = () =>
      runSecureAggregation({ round: 7, updates, threshold: T, clipRange: 1, dropBeforeMasking: ids.slice(0, 7), randomBytes: testRandom('too-few') });
    const err = thrown(run);
    expect(err).toBeInstanceOf(FederatedError);
    expect(err).toMatchObject({ code: 'SECAGG_TOO_FEW_SURVIVORS', message: 'secagg round 7: only 13 of 20 clients sent masked inputs, threshold is 14' });
  });

  it('fails when fewer than t survivors answer the unmasking request', () => {
    const run = () =>
      runSecureAggregation({ round: 8, updates, threshold: T, clipRange: 1, dropAfterMasking: ids.slice(0, 7), randomBytes: testRandom('too-few-answers') });
    expect(thrown(run)).toMatchObject({
      code: 'SECAGG_TOO_FEW_SURVIVORS',
      message: 'secagg round 8: only 13 of 20 clients answered the unmasking request, threshold is 14',
    });
  });

  it('rejects a threshold of n/2 or less', () => {
    expect(() => runSecureAggregation({ round: 1, updates, threshold: 10, clipRange: 1 })).toThrow(/threshold 10 must be an integer in \(20\/2, 20\]/);
  });
});

describe('what the server sees', () => {
  const d = 100_000;
  const plaintext = new Float32Array(d);
  for (let i = 0; i < d; i++) plaintext[i] = 0.5 + 0.4 * Math.sin(i / 500); // strongly structured input
  const few = makeUpdates(5, d);
  few[0] = { clientId: 'client-00', values: plaintext };
  let masked: Uint32Array = new Uint32Array(0);
  beforeAll(() => {
    const { serverView } = runSecureAggregation({ round: 9, updates: few, threshold: 3, clipRange: 1, randomBytes: testRandom('view') });
    masked = serverView.maskedInputs.get('client-00') as Uint32Array;
  });

  it('sees Uint32 values whose top byte is uniform (chi-square over 256 buckets, 255 df, below 330.5 = the 0.999 quantile)', () => {
    const counts = new Float64Array(256);
    for (const w of masked) counts[w >>> 24] = (counts[w >>> 24] as number) + 1;
    const expected = d / 256;
    let chi2 = 0;
    for (const c of counts) chi2 += (c - expected) ** 2 / expected;
    expect(chi2).toBeLessThan(330.5);
    // The same statistic on the quantized plaintext is enormous: the test can tell structure apart.
    const plainCounts = new Float64Array(256);
    const codec = createFixedPointCodec({ clipRange: 1, maxClients: 5 });
    for (const w of codec.encode(plaintext)) plainCounts[w >>> 24] = (plainCounts[w >>> 24] as number) + 1;
    let plainChi2 = 0;
    for (const c of plainCounts) plainChi2 += (c - expected) ** 2 / expected;
    expect(plainChi2).toBeGreaterThan(100_000);
  });

  it('sees a masked vector uncorrelated with its plaintext (|r| < 0.02 over 100k parameters)', () => {
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let i = 0; i < d; i++) {
      const x = plaintext[i] as number;
      const y = ((masked[i] as number) | 0) / 2 ** 31; // the masked value read the way the decoder reads it
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
    const r = (d * sxy - sx * sy) / Math.sqrt((d * sxx - sx * sx) * (d * syy - sy * sy));
    expect(Math.abs(r)).toBeLessThan(0.02);
  });
});

describe('the unmasking rule', () => {
  function threeClients() {
    const codec = createFixedPointCodec({ clipRange: 1, maxClients: 3 });
    const server = new SecAggServer({ round: 1, threshold: 2, modelLength: 4, codec });
    const clients = ['a', 'b', 'c'].map((clientId) => new SecAggClient({ clientId, round: 1, codec, randomBytes: testRandom(clientId) }));
    const roster = server.collectAdvertisements(clients.map((c) => c.advertiseKeys()));
    const deliveries = server.collectShares(clients.map((c) => c.shareKeys(roster)));
    const inputs = clients.slice(0, 2).map((c) => c.maskedInput(new Float32Array(4).fill(0.25), deliveries.get(c.clientId)!));
    return { server, clients, deliveries, request: server.collectMaskedInputs(inputs) };
  }

  it('answers with a seed share for each survivor and a mask-key share for each dropped client, never both', () => {
    const { request, clients } = threeClients();
    expect(request).toEqual({ round: 1, survivors: ['a', 'b'], dropped: ['c'] });
    const answer = (clients[0] as SecAggClient).unmask(request);
    expect(answer.seedShares.map((s) => s.ownerId)).toEqual(['a', 'b']);
    expect(answer.maskKeyShares.map((s) => s.ownerId)).toEqual(['c']);
  });

  it('refuses a second unmasking request, so a server cannot ask for the other share of the same peer', () => {
    const { request, clients } = threeClients();
    const a = clients[0] as SecAggClient;
    a.unmask(request);
    expect(() => a.unmask({ round: 1, survivors: ['a', 'c'], dropped: ['b'] })).toThrow(/already answered an unmasking request/);
  });

  it('refuses a request that names one client as both survivor and dropped', () => {
    const { clients } = threeClients();
    expect(() => (clients[0] as SecAggClient).unmask({ round: 1, survivors: ['a', 'b'], dropped: ['b'] })).toThrow(/both survivor and dropped/);
  });

  it('rejects shares that were altered in transit', () => {
    const codec = createFixedPointCodec({ clipRange: 1, maxClients: 3 });
    const server = new SecAggServer({ round: 1, threshold: 2, modelLength: 4, codec });
    const clients = ['a', 'b', 'c'].map((clientId) => new SecAggClient({ clientId, round: 1, codec, randomBytes: testRandom(`t-${clientId}`) }));
    const roster = server.collectAdvertisements(clients.map((c) => c.advertiseKeys()));
    const deliveries = server.collectShares(clients.map((c) => c.shareKeys(roster)));
    const toA = deliveries.get('a')!;
    const sealed = toA.shares[0]!;
    const tampered = sealed.ciphertext.slice();
    tampered[0] = (tampered[0] as number) ^ 1;
    const altered = { ...toA, shares: [{ ...sealed, ciphertext: tampered }, ...toA.shares.slice(1)] };
    expect(() => (clients[0] as SecAggClient).maskedInput(new Float32Array(4), altered)).toThrow(/shares from b to a failed authentication/);
  });
});
