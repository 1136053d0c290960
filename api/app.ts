/**
 * @module The GraphQL app (graphql-yoga over the Pothos schema), built without listening so tests
 * can call `app.fetch('http://lumora/graphql', …)`. Yoga masks unexpected errors as "Unexpected
 * error." and logs them; deliberate client errors carry `extensions.code` and an HTTP status.
 * CSRF prevention requires a non-simple request (a JSON body, or a header) for every operation.
 */
import type { IncomingMessage } from 'node:http';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { GraphQLError } from 'graphql';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import { createContext, type ApiContext } from './context.js';
import { useInputLimits } from './plugins/input-limits.js';
import { useMutationCost } from './plugins/mutation-cost.js';
import { useProductionErrors, withoutSuggestions } from './plugins/production-errors.js';
import { useQuerySizeLimits } from './plugins/query-size.js';
import type { Market } from './market.js';
import { readSessionToken } from './sessions.js';
import { schema } from './schema/index.js';

/** yoga's Node adapter passes the request as `req`; `app.fetch` in tests passes nothing. */
type ServerContext = { req?: IncomingMessage };

export type GraphqlApp = YogaServerInstance<ServerContext, ApiContext>;

/** The header a browser-less client may send instead of a JSON body (GET requests). */
export const CSRF_HEADER = 'x-lumora-csrf';

// By name: yoga's executor and ours may load separate copies of graphql's classes.
function isGraphQLError(e: unknown): e is GraphQLError {
  return e instanceof Error && e.name === 'GraphQLError';
}

export function createGraphqlApp(market: Market, opts: { logger?: { error(...args: unknown[]): void } } = {}): GraphqlApp {
  const { config } = market;
  const explorable = config.dev || config.graphiql;
  return createYoga<ServerContext, ApiContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: explorable ? { title: 'Lumora marketplace', headers: JSON.stringify({ [CSRF_HEADER]: '1' }) } : false,
    landingPage: false,
    maxRequestBodySize: config.maxGraphqlBodyBytes,
    // Deliberate client errors (a GraphQLError of our own, with a code) pass through unlogged;
    // anything else is logged here, once, and the client sees "Unexpected error.". Details
    // (stack traces, paths) reach clients only with --dev (not --demo), whatever NODE_ENV says.
    maskedErrors: {
      errorMessage: 'Unexpected error.',
      isDev: config.dev,
      maskError: (error, message) => {
        const original = isGraphQLError(error) ? (error.originalError ?? undefined) : error;
        if (isGraphQLError(error) && (original === undefined || isGraphQLError(original))) return explorable ? error : withoutSuggestions(error);
        (opts.logger ?? console).error('GraphQL resolver failed', original);
        return maskError(error, message, config.dev);
      },
    },
    logging: false,
    plugins: [
      useCSRFPrevention({ requestHeaders: [CSRF_HEADER, 'x-graphql-yoga-csrf', 'apollo-require-preflight'] }),
      useQuerySizeLimits({ maxTokens: config.maxQueryTokens, maxSelections: config.maxQuerySelections }),
      ...(explorable ? [] : [useProductionErrors()]),
      useInputLimits({ maxStringLength: config.maxArgumentLength, maxListItems: config.maxArgumentItems }),
      useMutationCost(),
    ],
    context: ({ request, req }) => {
      const auth = request.headers.get('authorization');
      const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
      const session = token ? readSessionToken(market.keys.sessionKey, token, market.now()) : null;
      return createContext(market, session?.address ?? null, req?.socket.remoteAddress ?? 'unknown', token !== null && session === null);
    },
  });
}
