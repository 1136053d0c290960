/**
 * @module Bounds on every value a client passes as a GraphQL argument, inline, as a variable or
 * as a variable's default, checked before any resolver runs: a string is at most `maxStringLength` characters and a list
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
  isInputType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  typeFromAST,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
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

/** One argument of a document to check per request: its value comes from the variables. */
interface ArgumentCheck {
  node: ArgumentNode;
  type: GraphQLInputType;
  bounds: Bounds;
  /** `field(arg)`, as messages name it. */
  label: string;
  /** `field.arg`, as `extensions.field` names it. */
  field: string;
}

/**
 * The arguments of a document that depend on variables. Literal arguments are the same at every
 * request, so `literalProblem` is found once; yoga's parse cache hands back the same document
 * object for the same text, so a document is planned once.
 */
interface Plan {
  literalProblem: { field: string; message: string } | null;
  checks: ArgumentCheck[];
  /** The document's variable defaults: a client can put its long value there instead of in the variables. */
  defaults: Record<string, unknown>;
}

function usesVariables(node: ValueNode): boolean {
  if (node.kind === Kind.VARIABLE) return true;
  if (node.kind === Kind.LIST) return node.values.some(usesVariables);
  if (node.kind === Kind.OBJECT) return node.fields.some((f) => usesVariables(f.value));
  return false;
}

/** The value an argument has in this request: a variable as sent (not yet coerced), a literal read with the variables it uses. */
function argumentValue(node: ArgumentNode, type: GraphQLInputType, variables: Record<string, unknown>): unknown {
  return node.value.kind === Kind.VARIABLE ? variables[node.value.name.value] : valueFromAST(node.value, type, variables);
}

function planOf(schema: GraphQLSchema, document: DocumentNode, limits: InputLimits): Plan {
  const typeInfo = new TypeInfo(schema);
  const plan: Plan = { literalProblem: null, checks: [], defaults: {} };
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const v of d.variableDefinitions ?? []) {
      const type = typeFromAST(schema, v.type);
      if (v.defaultValue && type && isInputType(type)) plan.defaults[v.variable.name.value] = valueFromAST(v.defaultValue, type);
    }
  }
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const arg = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        if (!arg || !field) return false;
        const check: ArgumentCheck = {
          node,
          type: arg.type,
          bounds: (arg.extensions ?? {}) as Bounds,
          label: `${field.name}(${arg.name})`,
          field: `${field.name}.${arg.name}`,
        };
        if (usesVariables(node.value)) plan.checks.push(check);
        else if (!plan.literalProblem) {
          const message = firstViolation(argumentValue(node, arg.type, {}), check.type, check.label, check.bounds, limits);
          if (message) plan.literalProblem = { field: check.field, message };
        }
        return false;
      },
    }),
  );
  return plan;
}

/** The plugin: refuses, before execution, a request whose arguments break a bound (BAD_USER_INPUT naming the argument). */
export function useInputLimits(limits: InputLimits): Plugin {
  const plans = new WeakMap<DocumentNode, Plan>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      let plan = plans.get(args.document);
      if (!plan) plans.set(args.document, (plan = planOf(args.schema, args.document, limits)));
      let problem = plan.literalProblem;
      const variables = { ...plan.defaults, ...((args.variableValues ?? {}) as Record<string, unknown>) };
      for (const c of plan.checks) {
        if (problem) break;
        const message = firstViolation(argumentValue(c.node, c.type, variables), c.type, c.label, c.bounds, limits);
        if (message) problem = { field: c.field, message };
      }
      if (problem) {
        // As every malformed argument: an error result with the field named, HTTP 200.
        setResultAndStopExecution({
          errors: [new GraphQLError(`argument ${problem.message}`, { extensions: { code: 'BAD_USER_INPUT', field: problem.field } })],
        });
      }
    },
  };
}
