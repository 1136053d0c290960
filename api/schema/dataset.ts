/**
 * @module The Dataset type: one version of a dataset, with its listing (price, status, owner),
 * schema, stats, card, a redacted preview that never shows a private column, and `download`,
 * which only a buyer or the owner sees: short-lived signed links to every Parquet file and to an
 * Arrow IPC stream of the rows.
 */
import type { DatasetRecord, Price } from '../../catalog/index.js';
import { formatUnits, LUMORA_DECIMALS, SOL_DECIMALS } from '../../chain/index.js';
import { visibleTo } from '../access.js';
import { builder, badInput } from '../builder.js';
import { signLink } from '../signed-links.js';

export { PriceRef };
export const DatasetRef = builder.objectRef<DatasetRecord>('Dataset');

export const CurrencyEnum = builder.enumType('Currency', {
  values: { SOL: { description: 'Lamports (9 decimals).' }, SPL: { description: 'An SPL token; `mint` names it.' } } as const,
});

export const ListingStatusEnum = builder.enumType('ListingStatus', {
  values: {
    draft: { description: 'Only the owner sees it.' },
    listed: { description: 'For sale.' },
    delisted: { description: 'No longer sold; buyers keep access.' },
  } as const,
});

interface PriceView extends Price {
  decimals: number;
  symbol: string;
}

const PriceRef = builder.objectRef<PriceView>('Price').implement({
  description: 'A price in base units (lamports, or the token’s smallest unit), as a decimal string.',
  fields: (t) => ({
    amount: t.string({ description: 'Base units, e.g. "50000000" for 0.05 SOL.', resolve: (p) => p.amount.toString() }),
    currency: t.field({ type: CurrencyEnum, resolve: (p) => p.currency }),
    mint: t.string({ nullable: true, description: 'The SPL mint; null for SOL.', resolve: (p) => p.mint }),
    decimals: t.exposeInt('decimals'),
    symbol: t.exposeString('symbol', { description: 'SOL, LUM for the Lumora token, else the mint address.' }),
    display: t.string({ description: 'For people: "0.05 SOL", "100 LUM".', resolve: (p) => `${formatUnits(p.amount, p.decimals)} ${p.symbol}` }),
  }),
});

const ColumnRef = builder.objectRef<{ name: string; type: string; description: string; private: boolean }>('Column').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.exposeString('type', { description: 'DuckDB type, e.g. VARCHAR, DOUBLE, VARCHAR[].' }),
    description: t.exposeString('description'),
    private: t.exposeBoolean('private', { description: 'Left out of previews; included in downloads.' }),
  }),
});

const CountRef = builder.objectRef<{ key: string; count: number }>('Count').implement({
  fields: (t) => ({ key: t.exposeString('key'), count: t.expose('count', { type: 'SafeInt' }) }),
});

const counts = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));

const StatsRef = builder.objectRef<DatasetRecord['stats']>('DatasetStats').implement({
  fields: (t) => ({
    languages: t.field({ type: [CountRef], description: 'Rows per ISO 639-1 language.', resolve: (s) => counts(s.languages) }),
    qualityHistogram: t.field({ type: ['SafeInt'], description: 'Rows per quality bin, 10 bins of 0.1 over [0, 1].', resolve: (s) => s.qualityHistogram }),
    meanQuality: t.float({ nullable: true, resolve: (s) => s.meanQuality }),
    piiCounts: t.field({ type: [CountRef], description: 'Personal data redacted, per type.', resolve: (s) => counts(s.piiCounts) }),
    duplicateRate: t.float({ nullable: true, description: 'Share of documents dropped as exact or near duplicates.', resolve: (s) => s.duplicateRate }),
    domains: t.field({ type: [CountRef], resolve: (s) => s.domains.map((d) => ({ key: d.domain, count: d.rows })) }),
  }),
});

const PreviewRef = builder.objectRef<{ columns: string[]; rows: Record<string, unknown>[] }>('Preview').implement({
  description: 'Sample rows, already PII-redacted by the pipeline, without private columns.',
  fields: (t) => ({
    columns: t.exposeStringList('columns'),
    rows: t.field({ type: ['JSON'], resolve: (p) => p.rows }),
  }),
});

interface DownloadView {
  url: string;
  expiresAt: Date;
  files: Array<{ name: string; url: string; bytes: number; sha256: string; rows: number }>;
  arrowUrl: string;
}

const DownloadFileRef = builder.objectRef<DownloadView['files'][number]>('DownloadFile').implement({
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Path inside the dataset, e.g. data/part-00000.parquet.' }),
    url: t.exposeString('url', { description: 'Signed, short-lived; supports HTTP range requests.' }),
    bytes: t.expose('bytes', { type: 'SafeInt' }),
    rows: t.expose('rows', { type: 'SafeInt' }),
    sha256: t.exposeString('sha256'),
  }),
});

const DownloadRef = builder.objectRef<DownloadView>('DatasetDownload').implement({
  fields: (t) => ({
    url: t.exposeString('url', { description: 'Signed link to manifest.json (files, rows, sha256, stats).' }),
    expiresAt: t.string({ resolve: (d) => d.expiresAt.toISOString() }),
    files: t.field({ type: [DownloadFileRef], resolve: (d) => d.files }),
    arrowUrl: t.exposeString('arrowUrl', {
      description:
        'Signed link to the rows as an Arrow IPC stream (application/vnd.apache.arrow.stream). Add `&columns=a,b` and `&where=lang=en` (ops = != < <= > >=; repeat for AND) as needed.',
    }),
  }),
});

DatasetRef.implement({
  description: 'One version of a dataset, with its listing.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '`<slug>@v<N>`, e.g. demo@v1.' }),
    slug: t.exposeString('slug'),
    version: t.exposeString('version'),
    title: t.exposeString('title'),
    description: t.exposeString('description'),
    tags: t.exposeStringList('tags'),
    license: t.exposeString('license'),
    languages: t.stringList({ description: 'Language codes, most rows first.', resolve: (d) => counts(d.languages).map((c) => c.key) }),
    rows: t.expose('rows', { type: 'SafeInt' }),
    bytes: t.expose('bytes', { type: 'SafeInt', description: 'Parquet bytes on disk.' }),
    price: t.field({
      type: PriceRef,
      nullable: true,
      resolve: (d, _args, ctx) => (d.price ? priceView(d.price, ctx.market) : null),
    }),
    status: t.field({ type: ListingStatusEnum, resolve: (d) => d.status }),
    owner: t.string({ nullable: true, description: 'The seller’s wallet.', resolve: (d) => d.owner }),
    createdAt: t.exposeString('createdAt'),
    updatedAt: t.exposeString('updatedAt'),
    columns: t.field({ type: [ColumnRef], resolve: (d) => d.columns.map((c) => ({ ...c, private: d.privateColumns.includes(c.name) })) }),
    stats: t.field({ type: StatsRef, resolve: (d) => d.stats }),
    card: t.string({
      description: 'The dataset card (README.md with YAML front matter).',
      complexity: 5,
      resolve: (d, _a, ctx) => ctx.market.catalog.readCard(d.id),
    }),
    preview: t.field({
      type: PreviewRef,
      complexity: 20,
      args: { limit: t.arg.int({ defaultValue: 5, description: '1 to 50.' }) },
      resolve: (d, args, ctx) => {
        const limit = args.limit ?? 5;
        if (limit < 1 || limit > 50) throw badInput(`preview(limit: ${limit}): limit must be between 1 and 50`, 'limit');
        return ctx.market.catalog.previewRows(d.id, { limit });
      },
    }),
    versions: t.field({
      type: [DatasetRef],
      description: 'Every version of this dataset, newest first.',
      complexity: { field: 10, multiplier: 5 },
      resolve: async (d, _a, ctx) => {
        const ids = (await ctx.market.catalog.listDatasets()).filter((v) => v.slug === d.slug).map((v) => v.id);
        return (await ctx.market.catalog.getDatasets(ids)).filter((v): v is DatasetRecord => v !== null && visibleTo(v, ctx.wallet));
      },
    }),
    entitled: t.boolean({
      description: 'Whether the signed-in wallet may download it (bought it, or owns it).',
      resolve: (d, _a, ctx) => ctx.entitled.load(d.id),
    }),
    download: t.field({
      type: DownloadRef,
      nullable: true,
      description: 'Signed download links; null unless the signed-in wallet bought the dataset or owns it.',
      resolve: async (d, _a, ctx) => {
        if (!ctx.wallet || !(await ctx.entitled.load(d.id))) return null;
        return downloadLinks(
          d,
          ctx.wallet,
          ctx.market.keys.downloadKey,
          ctx.market.publicUrl,
          new Date(ctx.market.now().getTime() + ctx.market.config.downloadUrlTtlMs),
        );
      },
    }),
  }),
});

/** A price with what a client needs to show it. */
export function priceView(
  price: Price,
  market: { decimalsOf(mint: string | null): Promise<number>; lumoraMint: string | null },
): PriceView | Promise<PriceView> {
  // SOL and the Lumora token need no lookup; other mints read their decimals from the chain once.
  if (price.mint === null) return { ...price, decimals: SOL_DECIMALS, symbol: 'SOL' };
  if (price.mint === market.lumoraMint) return { ...price, decimals: LUMORA_DECIMALS, symbol: 'LUM' };
  return market.decimalsOf(price.mint).then((decimals) => ({ ...price, decimals, symbol: price.mint as string }));
}

function downloadLinks(d: DatasetRecord, buyer: string, key: Buffer, base: string, expiresAt: Date): DownloadView {
  const link = (path: string) => `${base}${signLink(key, { path, buyer, expiresAt })}`;
  const prefix = `/download/${encodeURIComponent(d.id)}`;
  return {
    url: link(`${prefix}/manifest.json`),
    expiresAt,
    files: d.files.map((f) => ({
      name: f.path,
      url: link(`${prefix}/${f.path.split('/').map(encodeURIComponent).join('/')}`),
      bytes: f.bytes,
      rows: f.rows,
      sha256: f.sha256,
    })),
    arrowUrl: link(`/arrow/${encodeURIComponent(d.id)}`),
  };
}
