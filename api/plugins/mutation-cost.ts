/**
 * @module A GraphQL request that runs several mutations (aliases: `a: confirmOrder(…) b:
 * confirmOrder(…)`) costs its caller's per-IP allowance one request per mutation, as that many
 * HTTP requests would: the HTTP edge has already taken one, this takes the rest before any
 * resolver runs. The per-wallet limit counts each mutation in its resolver.
 */
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ApiContext } from '../context.js';

/** The operation graphql-js will run: the named one, or the only one. */
function operationOf(doc: DocumentNode, name: string | null | undefined): OperationDefinitionNode | undefined {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return name ? ops.find((o) => o.name?.value === name) : ops.length === 1 ? ops[0] : undefined;
}

/** Root fields of a selection set, through fragments (each fragment counted once: cycles are invalid anyway). */
export function rootFieldCount(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): number {
  let n = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) n += s.name.value === '__typename' ? 0 : 1;
    else if (s.kind === Kind.INLINE_FRAGMENT) n += rootFieldCount(s.selectionSet, fragments, seen);
    else if (!seen.has(s.name.value)) {
      seen.add(s.name.value);
      const f = fragments.get(s.name.value);
      if (f) n += rootFieldCount(f.selectionSet, fragments, seen);
    }
  }
  return n;
}

export function useMutationCost(): Plugin<ApiContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const op = operationOf(args.document, args.operationName);
      if (op?.operation !== 'mutation') return;
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const d of args.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
      const extra = rootFieldCount(op.selectionSet, fragments) - 1;
      if (extra <= 0) return;
      const ctx = args.contextValue;
      const waitMs = ctx.market.ipLimiter.take(ctx.ip, extra);
      if (waitMs > 0) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(`too many requests: this one runs ${extra + 1} mutations; retry in ${Math.ceil(waitMs / 1000)} s`, {
              extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: { 'retry-after': String(Math.ceil(waitMs / 1000)) } } },
            }),
          ],
        });
      }
    },
  };
}
