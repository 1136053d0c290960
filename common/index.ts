/**
 * @module Small pieces every folder shares and none owns: the logger shape, the 32-bit hashes and
 * the seeded generator. It imports nothing of ours and no Node built-in, so the node core and the
 * browser may use it too.
 */
export { fmix32, fnv1a, FNV_OFFSET_BASIS, FNV_PRIME } from './hash.js';
export { createJsonLogger, silentLogger, type Logger } from './logger.js';
export { mulberry32 } from './seeded-random.js';
