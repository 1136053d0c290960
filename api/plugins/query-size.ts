/**
 * @module Bounds on a GraphQL document's size, applied before anything else reads it: at most
 * `maxTokens` lexical tokens (graphql-js stops parsing there), and at most `maxSelections` field
 * selections once fragments are expanded, `__typename` and introspection fields included. The
 * complexity plugin skips `__` fields, so 150,000 aliased `__typename`s once cost three seconds a
 * request; counted here, they cost a parse of the first few thousand tokens.
 */
import { GraphQLError, Kind, parse, type FragmentDefinitionNode, type SelectionSetNode, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface QuerySizeLimits {
  maxTokens: number;
  maxSelections: number;
}

/** Field selections in each operation, fragments expanded; counting stops just past `max`, so a fragment bomb costs linear time. */
export function selectionLimitRule(max: number): ValidationRule {
  return (context) => ({
    Document: {
      leave(doc) {
        const fragments = new Map<string, FragmentDefinitionNode>();
        for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
        const memo = new Map<string, number>();
        const inProgress = new Set<string>();
        const countFragment = (name: string): number => {
          const known = memo.get(name);
          if (known !== undefined) return known;
          const fragment = fragments.get(name);
          // An unknown fragment or a cycle is reported by graphql-js' own rules.
          if (!fragment || inProgress.has(name)) return 0;
          inProgress.add(name);
          const n = countSet(fragment.selectionSet);
          inProgress.delete(name);
          memo.set(name, n);
          return n;
        };
        const countSet = (set: SelectionSetNode): number => {
          let n = 0;
          for (const s of set.selections) {
            if (s.kind === Kind.FIELD) n += 1 + (s.selectionSet ? countSet(s.selectionSet) : 0);
            else if (s.kind === Kind.INLINE_FRAGMENT) n += countSet(s.selectionSet);
            else n += countFragment(s.name.value);
            if (n > max) return max + 1;
          }
          return n;
        };
        for (const d of doc.definitions) {
          if (d.kind !== Kind.OPERATION_DEFINITION) continue;
          if (countSet(d.selectionSet) > max) {
            context.reportError(
              new GraphQLError(
                `the ${d.name ? `operation ${d.name.value}` : 'query'} selects more than ${max} fields (aliases, __typename and fragments included); the limit is ${max}`,
                {
                  nodes: [d],
                  extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } },
                },
              ),
            );
          }
        }
      },
    },
  });
}

/** The plugin: parsing stops at `maxTokens`, and validation refuses an operation over `maxSelections`. */
export function useQuerySizeLimits(limits: QuerySizeLimits): Plugin {
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => parse(source, { ...(options as object), maxTokens: limits.maxTokens }));
    },
    onValidate({ addValidationRule }) {
      addValidationRule(selectionLimitRule(limits.maxSelections));
    },
  };
}
