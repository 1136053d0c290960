/**
 * @module The binary form of model weights on the wire (global weights to clients, updates to the
 * server): a 16-byte header — the ASCII magic "LMW1", the round (uint32), the number of weights
 * (uint32), the number of examples behind them (uint32), all little-endian — then the weights as
 * float32 little-endian. Small and fixed, so a client in any language reads it with one struct
 * unpack and one typed-array view.
 */
import { FederatedError } from '../errors.js';

const MAGIC = 0x31574d4c; // "LMW1" read as a little-endian uint32
const HEADER_BYTES = 16;

export interface WeightsMessage {
  round: number;
  weights: Float32Array;
  /** Examples behind an update; 0 for global weights. */
  numExamples: number;
}

export function encodeWeights(m: WeightsMessage): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + m.weights.length * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, m.round, true);
  view.setUint32(8, m.weights.length, true);
  view.setUint32(12, m.numExamples, true);
  for (let i = 0; i < m.weights.length; i++) view.setFloat32(HEADER_BYTES + 4 * i, m.weights[i] as number, true);
  return out;
}

/** Decodes and checks a message; `expectedLength` (the model's size) guards against a wrong model. */
export function decodeWeights(bytes: Uint8Array, expectedLength?: number): WeightsMessage {
  const bad = (why: string) => new FederatedError(`weights message: ${why}`, { code: 'BAD_WEIGHTS' });
  if (bytes.length < HEADER_BYTES) throw bad(`${bytes.length} bytes is shorter than the 16-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw bad('it does not start with "LMW1"');
  const count = view.getUint32(8, true);
  if (bytes.length !== HEADER_BYTES + 4 * count) throw bad(`the header says ${count} weights but ${bytes.length - HEADER_BYTES} bytes follow`);
  if (expectedLength !== undefined && count !== expectedLength) throw bad(`${count} weights, the model has ${expectedLength}`);
  const weights = new Float32Array(count);
  for (let i = 0; i < count; i++) weights[i] = view.getFloat32(HEADER_BYTES + 4 * i, true);
  return { round: view.getUint32(4, true), weights, numExamples: view.getUint32(12, true) };
}
