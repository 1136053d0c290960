/**
 * @module One client's side of a secure-aggregation round (Bonawitz et al. 2017, "Practical Secure
 * Aggregation for Privacy-Preserving Machine Learning", CCS, Fig. 4): it advertises two X25519
 * keys, Shamir-shares (Shamir 1979) its mask key s_u and a fresh self-mask seed b_u among the
 * roster, masks its quantized update with PRG(b_u) and ±PRG(s_{u,v}) for every peer that shared,
 * and answers one unmasking request. It holds its secrets; the server only ever sees messages.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { randomBytes as cryptoRandomBytes } from '@noble/hashes/utils.js';
import { FederatedError } from '../errors.js';
import type { FixedPointCodec } from './fixed-point.js';
import { agreeKey, applyMask, MaskExpander, pairSign } from './masks.js';
import type { KeyAdvertisement, MaskedInput, Roster, ShareDelivery, ShareKeysMessage, UnmaskRequest, UnmaskResponse } from './messages.js';
import { splitSecret, type RandomBytes } from './shamir.js';
import { openShares, sealShares, shareBoxKey, type SharePair } from './share-box.js';

/** One client's identity, round and encoding; `randomBytes` is injectable so tests are reproducible. */
export interface SecAggClientOptions {
  clientId: string;
  round: number;
  /** The encoding every client of the round shares. */
  codec: FixedPointCodec;
  /** Cryptographic randomness for keys, seeds and polynomial coefficients; defaults to the OS CSPRNG. */
  randomBytes?: RandomBytes;
}

/** Throws unless the roster is for `round`, sorted by clientId without repeats, and t is a majority (t > n/2). */
export function checkRoster(roster: Roster, round: number): void {
  const n = roster.clients.length;
  const t = roster.threshold;
  if (roster.round !== round) throw new FederatedError(`secagg round ${round}: roster is for round ${roster.round}`, { code: 'SECAGG_PROTOCOL' });
  // t > n/2: each client answers one unmasking request, so two disjoint sets of t responders
  // (one revealing b_u, one revealing s_u) cannot both exist (cf. Bonawitz et al. 2017, Sec. 4).
  if (!(Number.isInteger(t) && t > n / 2 && t <= n))
    throw new FederatedError(`secagg round ${round}: threshold ${t} must be an integer in (${n}/2, ${n}]`, { code: 'INVALID_ARGUMENT' });
  for (let i = 1; i < n; i++) {
    if (!((roster.clients[i - 1] as KeyAdvertisement).clientId < (roster.clients[i] as KeyAdvertisement).clientId))
      throw new FederatedError(`secagg round ${round}: roster must be sorted by clientId without repeats`, { code: 'SECAGG_PROTOCOL' });
  }
}

/**
 * A client's state for one round. Call advertiseKeys, shareKeys, maskedInput and unmask in that order,
 * passing the server's messages; it never reveals s_u, b_u or its update in the clear.
 *
 * @example
 * const client = new SecAggClient({ clientId: 'c1', round, codec });
 * send(client.advertiseKeys()); send(client.shareKeys(roster)); send(client.maskedInput(delta, delivery)); send(client.unmask(request));
 */
export class SecAggClient {
  readonly clientId: string;
  readonly round: number;
  private readonly codec: FixedPointCodec;
  private readonly randomBytes: RandomBytes;
  private readonly encryptionKey: Uint8Array;
  private readonly maskKey: Uint8Array;
  private roster: Roster | undefined;
  private index = -1;
  private seed: Uint8Array | undefined;
  /** Shares this client holds, by owner: its own and those opened from peers in U2. */
  private readonly held = new Map<string, SharePair>();
  /** Share-encryption keys by peer, agreed once in shareKeys and reused to open the peer's shares. */
  private readonly boxKeys = new Map<string, Uint8Array>();
  private sharers: Set<string> | undefined;
  private answered = false;

  constructor(opts: SecAggClientOptions) {
    this.clientId = opts.clientId;
    this.round = opts.round;
    this.codec = opts.codec;
    this.randomBytes = opts.randomBytes ?? cryptoRandomBytes;
    // Any 32 bytes are an X25519 secret key (RFC 7748 clamps them when used).
    this.encryptionKey = this.randomBytes(32);
    this.maskKey = this.randomBytes(32);
  }

  /** Round 0 (AdvertiseKeys). */
  advertiseKeys(): KeyAdvertisement {
    return { clientId: this.clientId, encryptionPublicKey: x25519.getPublicKey(this.encryptionKey), maskPublicKey: x25519.getPublicKey(this.maskKey) };
  }

  /** Round 1 (ShareKeys): draws b_u and sends every other roster client its sealed shares of s_u^SK and b_u. */
  shareKeys(roster: Roster): ShareKeysMessage {
    checkRoster(roster, this.round);
    const index = roster.clients.findIndex((c) => c.clientId === this.clientId);
    if (index < 0) throw new FederatedError(`secagg round ${this.round}: client ${this.clientId} is not on the roster`, { code: 'SECAGG_PROTOCOL' });
    this.roster = roster;
    this.index = index;
    this.seed = this.randomBytes(32);
    const xs = roster.clients.map((_, i) => i + 1);
    const split = { threshold: roster.threshold, xs, randomBytes: this.randomBytes };
    const keyShares = splitSecret({ ...split, secret: this.maskKey });
    const seedShares = splitSecret({ ...split, secret: this.seed });
    const shares = [];
    for (let i = 0; i < roster.clients.length; i++) {
      const pair = { maskKeyShare: (keyShares[i] as { y: bigint }).y, seedShare: (seedShares[i] as { y: bigint }).y };
      const peer = roster.clients[i] as KeyAdvertisement;
      if (i === index) {
        this.held.set(this.clientId, pair);
        continue;
      }
      const ctx = { round: this.round, fromId: this.clientId, toId: peer.clientId, fromIndex: index, toIndex: i };
      const key = shareBoxKey(this.encryptionKey, peer.encryptionPublicKey, this.round);
      this.boxKeys.set(peer.clientId, key);
      shares.push({ fromId: this.clientId, toId: peer.clientId, ciphertext: sealShares(pair, key, ctx) });
    }
    return { clientId: this.clientId, shares };
  }

  /**
   * Round 2 (MaskedInputCollection): opens the shares from U2 and returns
   * y_u = q(x_u) + PRG(b_u) + Σ_{v ∈ U2, v ≠ u} ±PRG(s_{u,v}) mod 2^32.
   */
  maskedInput(update: Float32Array, delivery: ShareDelivery): MaskedInput {
    const roster = this.requireRoster('maskedInput');
    if (delivery.round !== this.round)
      throw new FederatedError(`secagg round ${this.round}: share delivery is for round ${delivery.round}`, { code: 'SECAGG_PROTOCOL' });
    if (update.length !== roster.modelLength)
      throw new FederatedError(`secagg round ${this.round}: client ${this.clientId} has ${update.length} values, the model has ${roster.modelLength}`, {
        code: 'INVALID_UPDATE',
      });
    const byId = new Map(roster.clients.map((c, i) => [c.clientId, { ad: c, i }]));
    const sharers = new Set(delivery.senders);
    if (!sharers.has(this.clientId) || sharers.size < roster.threshold || delivery.senders.some((id) => !byId.has(id))) {
      throw new FederatedError(
        `secagg round ${this.round}: ${sharers.size} senders in the share delivery to ${this.clientId}, threshold is ${roster.threshold}, all must be on the roster including the recipient`,
        { code: 'SECAGG_PROTOCOL' },
      );
    }
    for (const s of delivery.shares) {
      const from = byId.get(s.fromId);
      if (!from || s.toId !== this.clientId || !sharers.has(s.fromId) || this.held.has(s.fromId))
        throw new FederatedError(`secagg round ${this.round}: unexpected share from ${s.fromId} to ${s.toId}`, { code: 'SECAGG_PROTOCOL' });
      const ctx = { round: this.round, fromId: s.fromId, toId: this.clientId, fromIndex: from.i, toIndex: this.index };
      this.held.set(s.fromId, openShares(s.ciphertext, this.boxKeys.get(s.fromId) as Uint8Array, ctx));
    }
    if (this.held.size !== sharers.size)
      throw new FederatedError(`secagg round ${this.round}: ${this.clientId} received ${this.held.size - 1} share pairs from ${sharers.size - 1} senders`, {
        code: 'SECAGG_PROTOCOL',
      });
    this.sharers = sharers;

    const masked = this.codec.encode(update);
    const expander = new MaskExpander(masked.length);
    applyMask(masked, expander.expand(this.seed as Uint8Array, this.round, 'self-mask'), 1);
    for (const id of delivery.senders) {
      if (id === this.clientId) continue;
      const peer = byId.get(id) as { ad: KeyAdvertisement; i: number };
      const key = agreeKey(this.maskKey, peer.ad.maskPublicKey, this.round, 'pairwise-mask');
      applyMask(masked, expander.expand(key, this.round, 'pairwise-mask'), pairSign(this.index, peer.i));
    }
    return { clientId: this.clientId, masked };
  }

  /**
   * Round 4 (Unmasking): a share of b_u for each survivor u and of s_u^SK for each dropped u.
   * Answers once per round, and refuses a request naming a client both ways, so it never reveals
   * both shares of one peer (Bonawitz et al. 2017, Sec. 4: with both, the server could unmask u).
   */
  unmask(request: UnmaskRequest): UnmaskResponse {
    const roster = this.requireRoster('unmask');
    const sharers = this.sharers;
    if (!sharers)
      throw new FederatedError(`secagg round ${this.round}: ${this.clientId} was asked to unmask before sending its masked input`, { code: 'SECAGG_PROTOCOL' });
    if (this.answered)
      throw new FederatedError(`secagg round ${this.round}: ${this.clientId} already answered an unmasking request`, { code: 'SECAGG_REPEATED_UNMASK' });
    if (request.round !== this.round)
      throw new FederatedError(`secagg round ${this.round}: unmasking request is for round ${request.round}`, { code: 'SECAGG_PROTOCOL' });
    const survivors = new Set(request.survivors);
    const dropped = new Set(request.dropped);
    const named = [...request.survivors, ...request.dropped];
    if (survivors.size + dropped.size !== named.length || new Set(named).size !== named.length)
      throw new FederatedError(`secagg round ${this.round}: unmasking request names a client twice or as both survivor and dropped`, {
        code: 'SECAGG_PROTOCOL',
      });
    if (named.some((id) => !sharers.has(id)))
      throw new FederatedError(`secagg round ${this.round}: unmasking request names a client that did not share keys`, { code: 'SECAGG_PROTOCOL' });
    if (!survivors.has(this.clientId))
      throw new FederatedError(`secagg round ${this.round}: ${this.clientId} is not among the survivors it is asked to unmask`, { code: 'SECAGG_PROTOCOL' });
    if (survivors.size < roster.threshold)
      throw new FederatedError(`secagg round ${this.round}: ${survivors.size} survivors, threshold is ${roster.threshold}`, {
        code: 'SECAGG_TOO_FEW_SURVIVORS',
      });
    this.answered = true;
    const share = (id: string) => this.held.get(id) as SharePair;
    return {
      clientId: this.clientId,
      seedShares: request.survivors.map((id) => ({ ownerId: id, y: share(id).seedShare })),
      maskKeyShares: request.dropped.map((id) => ({ ownerId: id, y: share(id).maskKeyShare })),
    };
  }

  private requireRoster(step: string): Roster {
    if (!this.roster) throw new FederatedError(`secagg round ${this.round}: ${this.clientId} called ${step} before shareKeys`, { code: 'SECAGG_PROTOCOL' });
    return this.roster;
  }
}
