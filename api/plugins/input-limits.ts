/**
 * @module Bounds on every value a client passes as a GraphQL argument, inline or as a variable,
 * checked before any resolver runs: a string is at most `maxStringLength` characters and a list
 * at most `maxListItems` items, unless the argument or input field says otherwise in its
 * extensions (`{ maxLength }`, `{ maxItems }`). Resolvers can then hand client text to parsers,
 * decoders and the catalog without each guarding its own size.
 *
 * @example
 * description: t.string({ required: false, extensions: { maxLength: 20_000 } }),
 */
import {
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type GraphQLInputType,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface InputLimits {
  maxStringLength: number;
  maxListItems: number;
}

interface Bounds {
  maxLength?: unknown;
  maxItems?: unknown;
}

/** The first value in `value` (of GraphQL type `type`) that breaks a bound, as `path: problem`. */
function firstViolation(value: unknown, type: GraphQLInputType, path: string, bounds: Bounds, limits: InputLimits): string | null {
  if (value === null || value === undefined) return null;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const items = Array.isArray(value) ? value : [value];
    const max = typeof bounds.maxItems === 'number' ? bounds.maxItems : limits.maxListItems;
    if (items.length > max) return `${path} has ${items.length} items; at most ${max} items are allowed`;
    for (let i = 0; i < items.length; i++) {
      const v = firstViolation(items[i], inner.ofType, `${path}[${i}]`, { maxLength: bounds.maxLength }, limits);
      if (v) return v;
    }
    return null;
  }
  if (isInputObjectType(inner)) {
    if (typeof value !== 'object') return null;
    const fields = inner.getFields();
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[key];
      if (!field) continue; // graphql-js reports unknown fields itself.
      const found = firstViolation(v, field.type, `${path}.${key}`, (field.extensions ?? {}) as Bounds, limits);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'string') {
    const max = typeof bounds.maxLength === 'number' ? bounds.maxLength : limits.maxStringLength;
    if (value.length > max) return `${path} is ${value.length} characters; at most ${max} characters are allowed`;
  }
  return null;
}

export function useInputLimits(limits: InputLimits): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const typeInfo = new TypeInfo(args.schema);
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      let problem: { path: string; message: string } | null = null;
      visit(
        args.document,
        visitWithTypeInfo(typeInfo, {
          Argument(node) {
            if (problem) return false;
            const arg = typeInfo.getArgument();
            const field = typeInfo.getFieldDef();
            if (!arg || !field) return undefined;
            // A variable is checked as sent (not yet coerced); a literal is read with the variables it uses.
            const value = node.value.kind === Kind.VARIABLE ? variables[node.value.name.value] : valueFromAST(node.value, arg.type, variables);
            const message = firstViolation(value, arg.type, `${field.name}(${arg.name})`, (arg.extensions ?? {}) as Bounds, limits);
            if (message) problem = { path: `${field.name}.${arg.name}`, message };
            return false;
          },
        }),
      );
      if (problem) {
        const { path, message } = problem as { path: string; message: string };
        // As every malformed argument: an error result with the field named, HTTP 200.
        setResultAndStopExecution({ errors: [new GraphQLError(`argument ${message}`, { extensions: { code: 'BAD_USER_INPUT', field: path } })] });
      }
    },
  };
}
