/**
 * @module The plain-data messages of one secure-aggregation round, client ↔ server, following the
 * rounds of Bonawitz et al. 2017, Fig. 4 (semi-honest variant: AdvertiseKeys, ShareKeys,
 * MaskedInputCollection, Unmasking; the signed ConsistencyCheck round for an active server is
 * not implemented). Every message is serializable (bytes as Uint8Array, field elements as bigint)
 * so a network transport can carry them unchanged later.
 */

/** Round 0, client → server: the client's two X25519 public keys. */
export interface KeyAdvertisement {
  clientId: string;
  /** c_u^PK: agrees the keys that encrypt Shamir shares. */
  encryptionPublicKey: Uint8Array;
  /** s_u^PK: agrees the pairwise mask keys. */
  maskPublicKey: Uint8Array;
}

/**
 * Round 0, server → clients: U1, the advertisements sorted by clientId. A client's roster index
 * orders the pairwise-mask signs, and index + 1 is the x of the Shamir shares it holds.
 */
export interface Roster {
  round: number;
  threshold: number;
  modelLength: number;
  clients: KeyAdvertisement[];
}

/** An encrypted pair of Shamir shares (of s_u^SK and b_u) from one client to another. */
export interface SealedShare {
  fromId: string;
  toId: string;
  ciphertext: Uint8Array;
}

/** Round 1, client → server: one sealed share pair for every other roster client. */
export interface ShareKeysMessage {
  clientId: string;
  shares: SealedShare[];
}

/** Round 1, server → each client in U2: who shared (U2) and the shares addressed to this client. */
export interface ShareDelivery {
  round: number;
  senders: string[];
  shares: SealedShare[];
}

/** Round 2, client → server: y_u = x_u + PRG(b_u) + Σ_v ±PRG(s_{u,v}) mod 2^32. */
export interface MaskedInput {
  clientId: string;
  masked: Uint32Array;
}

/**
 * Round 4, server → clients in U3: which clients' masked inputs arrived (U3) and which shared keys
 * but sent no input (U2 \ U3). A client answers once, with a seed share for each survivor and a
 * mask-key share for each dropped client, never both for the same client.
 */
export interface UnmaskRequest {
  round: number;
  survivors: string[];
  dropped: string[];
}

/** One Shamir share y = f(x) of a named client's secret; x is the responder's roster index + 1. */
export interface OwnedShare {
  ownerId: string;
  y: bigint;
}

/** Round 4, client → server. */
export interface UnmaskResponse {
  clientId: string;
  /** Shares of b_u for every survivor u (including the responder itself). */
  seedShares: OwnedShare[];
  /** Shares of s_u^SK for every dropped u. */
  maskKeyShares: OwnedShare[];
}
