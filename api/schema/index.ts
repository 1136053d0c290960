/**
 * @module The schema: imports every type module (each registers itself on the builder) and builds
 * it once.
 */
import { builder } from '../builder.js';
import './scalars.js';
import './errors.js';
import './dataset.js';
import './dataset-queries.js';
import './session.js';
import './order.js';
import './listing.js';
import './faucet.js';
import './training-job.js';

export const schema = builder.toSchema({ sortSchema: true });
