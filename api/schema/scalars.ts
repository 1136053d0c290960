/**
 * @module Scalars beyond GraphQL's own: `SafeInt` (row and byte counts exceed Int's 32 bits) and
 * `JSON` (preview rows, whose columns differ per dataset).
 */
import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';

builder.scalarType('SafeInt', {
  description: 'An integer up to 2^53 - 1, as a JSON number (GraphQL Int stops at 2^31 - 1).',
  serialize: (v) => v,
  parseValue: (v) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new GraphQLError(`SafeInt: ${JSON.stringify(v)} is not an integer below 2^53`);
    return v;
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
});
