/**
 * @module A GraphQL request that runs several mutations (aliases: `a: confirmOrder(…) b:
 * confirmOrder(…)`) costs its caller's per-IP allowance one request per mutation, as that many
 * HTTP requests would: the HTTP edge has already taken one, this takes the rest before any
 * resolver runs. The per-wallet limit counts each mutation in its resolver.
 */
import { getOperationAST, GraphQLError, Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ApiContext } from '../context.js';

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

/** The plugin: before a mutation operation runs, its caller pays one request per root mutation field beyond the first. */
export function useMutationCost(): Plugin<ApiContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const op = getOperationAST(args.document, args.operationName);
      if (op?.operation !== 'mutation') return;
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const d of args.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
      const extra = rootFieldCount(op.selectionSet, fragments) - 1;
      if (extra <= 0) return;
      const ctx = args.contextValue;
      const limiter = ctx.market.ipLimiter;
      if (!limiter.fits(extra + 1)) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(`this request runs ${extra + 1} mutations; one request may run at most ${limiter.burst}`, {
              extensions: { code: 'RATE_LIMITED', http: { status: 429 } },
            }),
          ],
        });
        return;
      }
      const waitMs = limiter.take(ctx.ip, extra);
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
