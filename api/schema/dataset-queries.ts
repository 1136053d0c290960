/**
 * @module Query.datasets (search, filter, sort, Relay cursor pagination over the catalog's
 * in-memory index) and Query.dataset (by id or slug).
 */
import { CatalogError, DatasetNotFoundError, type DatasetRecord } from '../../catalog/index.js';
import { mayListStatuses, visibleTo } from '../access.js';
import { builder, badInput } from '../builder.js';
import { CurrencyEnum, DatasetRef, ListingStatusEnum } from './dataset.js';

const SortEnum = builder.enumType('DatasetSort', {
  values: ['RELEVANCE', 'NEWEST', 'PRICE_ASC', 'PRICE_DESC', 'SIZE_ASC', 'SIZE_DESC'] as const,
  description: 'RELEVANCE needs `search`; without one the default is NEWEST. Ties go to the newest, then the id.',
});

const FilterInput = builder.inputType('DatasetFilter', {
  description: 'Every condition given must hold.',
  fields: (t) => ({
    languages: t.stringList({ required: false, description: 'Has rows in one of these languages (ISO 639-1).' }),
    licenses: t.stringList({ required: false }),
    tags: t.stringList({ required: false, description: 'Carries every one of these tags.' }),
    minQuality: t.float({ required: false, description: 'Mean quality score at least this, in [0, 1].' }),
    minBytes: t.field({ type: 'SafeInt', required: false }),
    maxBytes: t.field({ type: 'SafeInt', required: false }),
    minRows: t.field({ type: 'SafeInt', required: false }),
    maxRows: t.field({ type: 'SafeInt', required: false }),
    currency: t.field({ type: CurrencyEnum, required: false }),
    mint: t.string({ required: false }),
    maxPrice: t.string({ required: false, description: 'In base units; needs `currency` (and `mint` for SPL).' }),
    owner: t.string({ required: false }),
    statuses: t.field({ type: [ListingStatusEnum], required: false, description: 'Default [listed]; draft and delisted are shown only to their owner.' }),
  }),
});

builder.queryType({
  fields: (t) => ({
    datasets: t.connection(
      {
        type: DatasetRef,
        description:
          'Datasets for sale (the newest version of each), searched, filtered and sorted. Forward pagination: `first` (1–100, default 20) and `after`.',
        args: {
          search: t.arg.string({ required: false, description: 'Words matched against title, tags and description (BM25).' }),
          filter: t.arg({ type: FilterInput, required: false }),
          sort: t.arg({ type: SortEnum, required: false }),
        },
        // Clamped, so an out-of-range `first` gets the resolver's own message rather than a cost error.
        complexity: (args) => ({ field: 2, multiplier: Math.min(Math.max(args.first ?? 20, 1), 100) }),
        resolve: async (_root, args, ctx) => {
          if (args.last != null || args.before != null)
            throw badInput('datasets: only forward pagination (first, after) is supported', args.last != null ? 'last' : 'before');
          const first = args.first ?? 20;
          if (first < 1 || first > 100) throw badInput(`datasets(first: ${first}): first must be between 1 and 100`, 'first');
          const f = args.filter ?? {};
          let maxPrice: bigint | undefined;
          if (f.maxPrice != null) {
            if (!/^\d{1,30}$/.test(f.maxPrice))
              throw badInput(`filter.maxPrice "${f.maxPrice.slice(0, 40)}" is not a whole number of base units`, 'filter.maxPrice');
            maxPrice = BigInt(f.maxPrice);
          }
          const statuses = f.statuses ?? ['listed'];
          if (!mayListStatuses(statuses, ctx.wallet, f.owner)) {
            throw badInput('filter.statuses: only the owner (filter.owner = your signed-in wallet) can list draft or delisted datasets', 'filter.statuses');
          }
          try {
            const page = await ctx.market.catalog.searchDatasets({
              ...(args.search != null ? { search: args.search } : {}),
              filter: {
                ...(f.languages ? { languages: f.languages } : {}),
                ...(f.licenses ? { licenses: f.licenses } : {}),
                ...(f.tags ? { tags: f.tags } : {}),
                ...(f.minQuality != null ? { minQuality: f.minQuality } : {}),
                ...(f.minBytes != null ? { minBytes: f.minBytes } : {}),
                ...(f.maxBytes != null ? { maxBytes: f.maxBytes } : {}),
                ...(f.minRows != null ? { minRows: f.minRows } : {}),
                ...(f.maxRows != null ? { maxRows: f.maxRows } : {}),
                ...(f.currency != null ? { currency: f.currency } : {}),
                ...(f.mint != null ? { mint: f.mint } : {}),
                ...(maxPrice !== undefined ? { maxPrice } : {}),
                ...(f.owner != null ? { owner: f.owner } : {}),
                statuses,
              },
              ...(args.sort != null ? { sort: args.sort } : {}),
              first,
              ...(args.after != null ? { after: args.after } : {}),
            });
            return { edges: page.edges.map((e) => ({ cursor: e.cursor, node: e.node })), pageInfo: page.pageInfo, totalCount: page.totalCount };
          } catch (err) {
            // The catalog's own validation (cursor, ranges) names the argument; it is the client's error.
            if (err instanceof CatalogError && err.code !== 'CATALOG_BUSY' && err.code !== 'CATALOG_UNAVAILABLE') {
              throw badInput(err.message.replace(/^searchDatasets: /, 'datasets: '), err.code === 'INVALID_CURSOR' ? 'after' : 'filter');
            }
            throw err;
          }
        },
      },
      {
        name: 'DatasetConnection',
        fields: (tc) => ({
          totalCount: tc.field({
            type: 'SafeInt',
            description: 'Matches across all pages.',
            resolve: (c) => (c as unknown as { totalCount: number }).totalCount,
          }),
        }),
      },
      { name: 'DatasetEdge' },
    ),
    dataset: t.field({
      type: DatasetRef,
      nullable: true,
      description: 'A dataset version by id (`demo@v1`) or slug (its newest version); null when there is none, or when it is a draft of someone else.',
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_root, { id }, ctx) => {
        let d: DatasetRecord;
        try {
          d = await ctx.market.catalog.getDataset(String(id));
        } catch (err) {
          if (err instanceof DatasetNotFoundError) return null;
          throw err;
        }
        return visibleTo(d, ctx.wallet) ? d : null;
      },
    }),
  }),
});
