/**
 * @module The one Pothos builder and its plugins (Pothos' split-by-type layout: each GraphQL type
 * registers itself on this builder from `api/schema/<type>.ts`). Built once at import time; it
 * holds no request data.
 */
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin, { ComplexityErrorKind } from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import type { ApiContext } from './context.js';
import { NotAuthorizedError } from './errors.js';

export const builder = new SchemaBuilder<{
  Context: ApiContext;
  AuthScopes: { signedIn: boolean };
  Scalars: {
    SafeInt: { Input: number; Output: number };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  // errors wraps scope-auth, so a field's failed auth check becomes its NotAuthorizedError result.
  plugins: [ErrorsPlugin, ScopeAuthPlugin, RelayPlugin, ComplexityPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({ signedIn: ctx.wallet !== null }),
    // Thrown as our own error so that fields listing NotAuthorizedError return it as data.
    unauthorizedError: (_parent, ctx) =>
      new NotAuthorizedError(
        ctx.tokenRejected ? 'the session token is invalid or expired; sign in again' : 'sign in first: send Authorization: Bearer TOKEN from Mutation.signIn',
      ),
  },
  errors: { defaultTypes: [] },
  relay: { cursorType: 'String', clientMutationId: 'omit', edgesFieldOptions: { nullable: false }, nodeFieldOptions: { nullable: false } },
  complexity: {
    defaultComplexity: 1,
    // Lists that can grow carry their own multiplier (datasets: `first`, versions, myOrders);
    // the rest (edges inside a page, a dataset's columns or languages) are bounded already.
    defaultListMultiplier: 1,
    limit: (ctx) => ({ depth: ctx.market.config.maxQueryDepth, complexity: ctx.market.config.maxQueryComplexity, breadth: 200 }),
    complexityError: (kind, result) =>
      new GraphQLError(
        kind === ComplexityErrorKind.Depth
          ? `the query is ${result.depth} levels deep; the limit is ${result.maxDepth}`
          : kind === ComplexityErrorKind.Breadth
            ? `the query selects ${result.breadth} fields; the limit is ${result.maxBreadth}`
            : `the query's complexity is ${result.complexity}; the limit is ${result.maxComplexity}`,
        { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } },
      ),
  },
});

/**
 * A client error with a code (yoga passes these through its masking). The response stays HTTP 200
 * with `errors`, as GraphQL over HTTP has it for errors found while executing.
 */
export function badInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}
