/**
 * @module The server's side of a secure-aggregation round (Bonawitz et al. 2017, "Practical Secure
 * Aggregation for Privacy-Preserving Machine Learning", CCS, Fig. 4): it publishes the roster,
 * routes sealed Shamir shares, sums the masked inputs mod 2^32 and, from at least t unmasking
 * answers, reconstructs (Shamir 1979) the self-mask seed b_u of every survivor and the mask key
 * s_u^SK of every client that shared keys but sent no input, then removes PRG(b_u) and the dropped
 * clients' pairwise masks. It learns the sum and nothing about any single input. Each step checks
 * that at least t clients remain and otherwise aborts with a FederatedError naming the round and
 * the counts (code SECAGG_TOO_FEW_SURVIVORS).
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { FederatedError } from '../errors.js';
import type { FixedPointCodec } from './fixed-point.js';
import { checkRoster } from './client.js';
import { agreeKey, applyMask, MaskExpander, pairSign } from './masks.js';
import type { KeyAdvertisement, MaskedInput, OwnedShare, Roster, ShareDelivery, ShareKeysMessage, UnmaskRequest, UnmaskResponse } from './messages.js';
import { combineShares, lagrangeAtZero, type Share } from './shamir.js';

/** The round, threshold t, model length and shared encoding the server enforces. */
export interface SecAggServerOptions {
  round: number;
  threshold: number;
  modelLength: number;
  codec: FixedPointCodec;
}

/** The round's outcome. `sum` is exact up to `errorBound` per coordinate (see secagg-fixed-point). */
export interface SecAggResult {
  round: number;
  /** Σ of the survivors' (clipped) updates, decoded. */
  sum: Float64Array;
  /** Σ of the survivors' quantized updates mod 2^32. */
  quantizedSum: Uint32Array;
  /** U3: clients whose masked input is in the sum, in roster order. */
  survivors: string[];
  /** U2 \ U3: clients that shared keys but sent no masked input; their masks were recovered. */
  dropped: string[];
  errorBound: number;
}

/** Everything the server received, kept so tests can check it reveals nothing. */
export interface ServerView {
  roster: Roster | undefined;
  shareMessages: ShareKeysMessage[];
  maskedInputs: Map<string, Uint32Array>;
  unmaskResponses: UnmaskResponse[];
}

/**
 * The server's state for one round: collectAdvertisements, collectShares, collectMaskedInputs and
 * finish, each taking the messages that arrived (late ones are simply absent) and returning the next
 * message(s) to send. `view` keeps everything it received.
 */
export class SecAggServer {
  readonly round: number;
  readonly threshold: number;
  readonly view: ServerView = { roster: undefined, shareMessages: [], maskedInputs: new Map(), unmaskResponses: [] };
  private readonly modelLength: number;
  private readonly codec: FixedPointCodec;
  private byId = new Map<string, { ad: KeyAdvertisement; i: number }>();
  private sharers: string[] = [];
  private request: UnmaskRequest | undefined;

  constructor(opts: SecAggServerOptions) {
    this.round = opts.round;
    this.threshold = opts.threshold;
    this.modelLength = opts.modelLength;
    this.codec = opts.codec;
  }

  /** Round 0: U1, the advertisements sorted by clientId. */
  collectAdvertisements(ads: readonly KeyAdvertisement[]): Roster {
    this.atLeastThreshold(ads.length, ads.length, 'advertised keys');
    const clients = [...ads].sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
    const roster: Roster = { round: this.round, threshold: this.threshold, modelLength: this.modelLength, clients };
    checkRoster(roster, this.round);
    this.byId = new Map(clients.map((ad, i) => [ad.clientId, { ad, i }]));
    this.view.roster = roster;
    return roster;
  }

  /** Round 1: U2 = the roster clients that shared; each gets the sealed shares addressed to it from U2. */
  collectShares(messages: readonly ShareKeysMessage[]): Map<string, ShareDelivery> {
    const n = this.byId.size;
    const valid = messages.filter((m) => this.byId.has(m.clientId));
    if (new Set(valid.map((m) => m.clientId)).size !== valid.length)
      throw new FederatedError(`secagg round ${this.round}: a client sent its shares twice`, { code: 'SECAGG_PROTOCOL' });
    this.atLeastThreshold(valid.length, n, 'shared keys');
    this.view.shareMessages.push(...valid);
    this.sharers = this.inRosterOrder(valid.map((m) => m.clientId));
    const sharerSet = new Set(this.sharers);
    const deliveries = new Map<string, ShareDelivery>(this.sharers.map((id) => [id, { round: this.round, senders: this.sharers, shares: [] }]));
    for (const m of valid) {
      for (const s of m.shares) {
        if (s.fromId !== m.clientId)
          throw new FederatedError(`secagg round ${this.round}: ${m.clientId} sent a share labelled from ${s.fromId}`, { code: 'SECAGG_PROTOCOL' });
        if (sharerSet.has(s.toId)) deliveries.get(s.toId)?.shares.push(s);
      }
    }
    return deliveries;
  }

  /** Round 2: U3 = the sharers whose masked input arrived; returns the unmasking request for them. */
  collectMaskedInputs(inputs: readonly MaskedInput[]): UnmaskRequest {
    const sharerSet = new Set(this.sharers);
    for (const m of inputs) {
      if (!sharerSet.has(m.clientId)) continue;
      if (m.masked.length !== this.modelLength)
        throw new FederatedError(`secagg round ${this.round}: ${m.clientId} sent ${m.masked.length} values, the model has ${this.modelLength}`, {
          code: 'INVALID_UPDATE',
        });
      this.view.maskedInputs.set(m.clientId, m.masked);
    }
    this.atLeastThreshold(this.view.maskedInputs.size, this.sharers.length, 'sent masked inputs');
    const survivors = this.inRosterOrder([...this.view.maskedInputs.keys()]);
    const dropped = this.sharers.filter((id) => !this.view.maskedInputs.has(id));
    this.request = { round: this.round, survivors, dropped };
    return this.request;
  }

  /** Round 4: the unmasked sum from at least t survivors' answers. */
  finish(responses: readonly UnmaskResponse[]): SecAggResult {
    const request = this.request;
    if (!request) throw new FederatedError(`secagg round ${this.round}: finish called before collectMaskedInputs`, { code: 'SECAGG_PROTOCOL' });
    const survivorSet = new Set(request.survivors);
    const answers = this.inRosterOrder([...new Set(responses.filter((r) => survivorSet.has(r.clientId)).map((r) => r.clientId))]);
    this.atLeastThreshold(answers.length, request.survivors.length, 'answered the unmasking request');
    this.view.unmaskResponses.push(...responses);
    const used = answers.slice(0, this.threshold).map((id) => responses.find((r) => r.clientId === id) as UnmaskResponse);
    const xs = used.map((r) => this.indexOf(r.clientId) + 1);
    const basis = lagrangeAtZero(xs);
    const secretOf = (ownerId: string, kind: 'seedShares' | 'maskKeyShares'): Uint8Array => {
      const shares: Share[] = used.map((r, j) => {
        const s = r[kind].find((o: OwnedShare) => o.ownerId === ownerId);
        if (!s)
          throw new FederatedError(`secagg round ${this.round}: ${r.clientId} sent no ${kind === 'seedShares' ? 'seed' : 'mask-key'} share of ${ownerId}`, {
            code: 'SECAGG_PROTOCOL',
          });
        return { x: xs[j] as number, y: s.y };
      });
      return combineShares(shares, this.threshold, basis);
    };

    const sum = new Uint32Array(this.modelLength);
    for (const id of request.survivors) applyMask(sum, this.view.maskedInputs.get(id) as Uint32Array, 1);
    const expander = new MaskExpander(this.modelLength);
    for (const id of request.survivors) applyMask(sum, expander.expand(secretOf(id, 'seedShares'), this.round, 'self-mask'), -1);
    for (const u of request.dropped) {
      const maskKey = secretOf(u, 'maskKeyShares');
      const owner = this.byId.get(u) as { ad: KeyAdvertisement; i: number };
      // The reconstructed key must match the advertised one, or the shares were corrupted.
      if (!equalBytes(x25519.getPublicKey(maskKey), owner.ad.maskPublicKey))
        throw new FederatedError(`secagg round ${this.round}: reconstructed mask key of ${u} does not match its advertised public key`, {
          code: 'SECAGG_SHAMIR',
        });
      for (const v of request.survivors) {
        const peer = this.byId.get(v) as { ad: KeyAdvertisement; i: number };
        const key = agreeKey(maskKey, peer.ad.maskPublicKey, this.round, 'pairwise-mask');
        // v added pairSign(v, u)·PRG(s_{u,v}); u's opposite term never arrived, so remove v's.
        applyMask(sum, expander.expand(key, this.round, 'pairwise-mask'), pairSign(peer.i, owner.i) === 1 ? -1 : 1);
      }
    }
    const count = request.survivors.length;
    return {
      round: this.round,
      sum: this.codec.decodeSum(sum, count),
      quantizedSum: sum,
      survivors: request.survivors,
      dropped: request.dropped,
      errorBound: this.codec.sumErrorBound(count),
    };
  }

  private atLeastThreshold(have: number, of: number, what: string): void {
    if (have < this.threshold)
      throw new FederatedError(`secagg round ${this.round}: only ${have} of ${of} clients ${what}, threshold is ${this.threshold}`, {
        code: 'SECAGG_TOO_FEW_SURVIVORS',
      });
  }

  private indexOf(id: string): number {
    return (this.byId.get(id) as { i: number }).i;
  }

  private inRosterOrder(ids: readonly string[]): string[] {
    return ids.filter((id) => this.byId.has(id)).sort((a, b) => this.indexOf(a) - this.indexOf(b));
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
