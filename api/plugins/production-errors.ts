/**
 * @module What a client learns about the server when it is not run with `--dev`: no
 * introspection (graphql-js' NoSchemaIntrospectionCustomRule), and no "Did you mean …?"
 * suggestions, which would spell out field, argument and enum names one guess at a time. The
 * schema is published in the repository (schema.graphql) for honest clients.
 */
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const SUGGESTION = / ?Did you mean [^?]*\?/g;

/** The error without graphql-js' suggestions; the same error when it has none. */
export function withoutSuggestions<E extends Error>(error: E): E | GraphQLError {
  if (!error.message.includes('Did you mean')) return error;
  const message = error.message.replace(SUGGESTION, '').trim();
  if (error instanceof GraphQLError || error.name === 'GraphQLError') {
    const g = error as unknown as GraphQLError;
    return new GraphQLError(message, {
      nodes: g.nodes ?? null,
      source: g.source ?? null,
      positions: g.positions ?? null,
      path: g.path ?? null,
      originalError: g.originalError ?? null,
      extensions: g.extensions,
    });
  }
  return new GraphQLError(message);
}

/** The plugin, for servers run without `--dev` or `--demo`: introspection refused, suggestions removed from validation errors. */
export function useProductionErrors(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(result.map((e: Error) => withoutSuggestions(e)));
      };
    },
  };
}
