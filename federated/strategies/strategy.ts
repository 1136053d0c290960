/**
 * @module The `Strategy` contract of federated training (Flower's design): a strategy says what
 * the sampled clients train with each round and turns their updates into the next global
 * weights. FedAvg is one strategy among several; robust rules override only `aggregate`, and
 * differential privacy wraps a strategy rather than subclassing it.
 */
import { FederatedError } from '../errors.js';
import type { LocalTraining } from '../models/types.js';

/** What a client sends back after local training: its new weights (the whole model). */
export interface ClientUpdate {
  clientId: string;
  weights: Float32Array;
  /** Local training examples; FedAvg weights clients by it. */
  numExamples: number;
  /** Mean training loss over the local epochs. */
  loss: number;
}

/** What a sampled client trains with in one round: the models' `LocalTraining`, under the protocol's name. */
export type ClientTrainConfig = LocalTraining;

export interface Strategy {
  readonly name: string;
  /** The training settings for this round's clients. */
  configureRound(round: number, base: ClientTrainConfig): ClientTrainConfig;
  /**
   * The next global weights from this round's updates. `current` is the global model the clients
   * started from; it is never modified. Throws when `updates` is empty.
   */
  aggregate(round: number, current: Float32Array, updates: readonly ClientUpdate[]): Float32Array;
}

/** The identity `configureRound` most strategies share. */
export function sameConfig(_round: number, base: ClientTrainConfig): ClientTrainConfig {
  return base;
}

/** Throws unless every update has the model's length (checked again here: strategies are public API). */
export function assertUpdates(name: string, current: Float32Array, updates: readonly ClientUpdate[]): void {
  if (updates.length === 0) throw new FederatedError(`${name}: no updates to aggregate`);
  for (const u of updates) {
    if (u.weights.length !== current.length)
      throw new FederatedError(`${name}: client ${u.clientId} sent ${u.weights.length} weights, the model has ${current.length}`);
  }
}
