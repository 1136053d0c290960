/**
 * @module Sellers: publishDataset puts a dataset the owner's wallet holds on sale (price, title,
 * tags, private columns); updateListing changes any of them, or the status. Only the wallet the
 * catalog records as the owner may do either. A token price needs the seller's token account to
 * exist beforehand, so that a buyer's transfer cannot fail or be redirected.
 */
import { address as toAddress, fetchEncodedAccount, isAddress, type Address } from '@solana/kit';
import { CatalogError, type DatasetRecord, type Price } from '../../catalog/index.js';
import { associatedTokenAddress } from '../../chain/index.js';
import { mayChangeListing } from '../access.js';
import { builder } from '../builder.js';
import type { ApiContext } from '../context.js';
import { InvalidInputError, NotAuthorizedError, NotFoundError } from '../errors.js';
import { CurrencyEnum, DatasetRef, ListingStatusEnum } from './dataset.js';
import { checkWalletRate } from './wallet-rate.js';

const PriceInput = builder.inputType('PriceInput', {
  fields: (t) => ({
    amount: t.string({ required: true, description: 'Base units, e.g. "50000000" for 0.05 SOL.' }),
    currency: t.field({ type: CurrencyEnum, required: true }),
    mint: t.string({ required: false, description: 'The SPL mint (required for SPL).' }),
  }),
});

const ListingInput = builder.inputType('ListingInput', {
  fields: (t) => ({
    title: t.string({ required: false }),
    description: t.string({ required: false, extensions: { maxLength: 20_000 } }),
    tags: t.stringList({ required: false }),
    price: t.field({ type: PriceInput, required: false }),
    status: t.field({ type: ListingStatusEnum, required: false }),
    privateColumns: t.stringList({ required: false, description: 'Columns left out of previews.' }),
  }),
});

const ListingSuccess = builder.objectRef<{ dataset: DatasetRecord }>('ListingSuccess').implement({
  fields: (t) => ({ dataset: t.field({ type: DatasetRef, resolve: (p) => p.dataset }) }),
});

type ListingArgs = {
  title?: string | null;
  description?: string | null;
  tags?: string[] | null;
  price?: { amount: string; currency: 'SOL' | 'SPL'; mint?: string | null } | null;
  status?: 'draft' | 'listed' | 'delisted' | null;
  privateColumns?: string[] | null;
};

async function parsePrice(ctx: ApiContext, owner: string, p: NonNullable<ListingArgs['price']>): Promise<Price> {
  if (!/^\d{1,30}$/.test(p.amount) || BigInt(p.amount) === 0n)
    throw new InvalidInputError(`price.amount "${p.amount.slice(0, 40)}" is not a positive whole number of base units`, 'price.amount');
  if (p.currency === 'SOL') {
    if (p.mint) throw new InvalidInputError('price.mint must be empty for SOL', 'price.mint');
    return { amount: BigInt(p.amount), currency: 'SOL', mint: null };
  }
  if (!p.mint || !isAddress(p.mint)) throw new InvalidInputError('price.mint must be the SPL mint address for an SPL price', 'price.mint');
  const mint = toAddress(p.mint);
  if (ctx.market.localnet) {
    ctx.market.localnet.ensureTokenAccount(owner as Address, mint);
  } else {
    const ata = await associatedTokenAddress(owner as Address, mint);
    const account = await fetchEncodedAccount(ctx.market.kitRpc, ata);
    if (!account.exists)
      throw new InvalidInputError(
        `create the token account ${ata} for mint ${mint} (your associated token account) before pricing in that token`,
        'price.mint',
      );
  }
  return { amount: BigInt(p.amount), currency: 'SPL', mint };
}

async function ownedDataset(ctx: ApiContext, ref: string): Promise<DatasetRecord> {
  let d: DatasetRecord;
  try {
    d = await ctx.market.catalog.getDataset(ref);
  } catch (err) {
    if (err instanceof CatalogError && err.code === 'DATASET_NOT_FOUND') throw new NotFoundError(`dataset ${ref.slice(0, 200)} not found`);
    throw err;
  }
  const may = mayChangeListing(d, ctx.wallet);
  if (!may.ok) throw new NotAuthorizedError(may.reason);
  return d;
}

async function applyListing(ctx: ApiContext, ref: string, input: ListingArgs, forceStatus?: 'listed'): Promise<{ dataset: DatasetRecord }> {
  checkWalletRate(ctx);
  const d = await ownedDataset(ctx, ref);
  const price = input.price ? await parsePrice(ctx, d.owner as string, input.price) : undefined;
  if (forceStatus && !price && !d.price) throw new InvalidInputError(`dataset ${d.id} has no price; give price to publish it`, 'price');
  try {
    const dataset = await ctx.market.catalog.updateListing(d.id, {
      ...(input.title != null ? { title: input.title } : {}),
      ...(input.description != null ? { description: input.description } : {}),
      ...(input.tags != null ? { tags: input.tags } : {}),
      ...(price ? { price } : {}),
      ...(forceStatus ? { status: forceStatus } : input.status != null ? { status: input.status } : {}),
      ...(input.privateColumns != null ? { privateColumns: input.privateColumns } : {}),
    });
    return { dataset };
  } catch (err) {
    if (err instanceof CatalogError && err.code !== 'CATALOG_BUSY' && err.code !== 'CATALOG_UNAVAILABLE') throw new InvalidInputError(err.message, 'input');
    throw err;
  }
}

builder.mutationFields((t) => ({
  publishDataset: t.field({
    type: ListingSuccess,
    description: 'Lists a dataset you own for sale (status listed). Needs a price, here or from before.',
    errors: { types: [NotAuthorizedError, NotFoundError, InvalidInputError], directResult: true, union: { name: 'PublishDatasetResult' } },
    authScopes: { signedIn: true },
    args: { datasetId: t.arg.id({ required: true }), input: t.arg({ type: ListingInput, required: false }) },
    resolve: (_root, args, ctx) => applyListing(ctx, String(args.datasetId), args.input ?? {}, 'listed'),
  }),
  updateListing: t.field({
    type: ListingSuccess,
    description: 'Changes the price, status, title, description, tags or private columns of a dataset you own.',
    errors: { types: [NotAuthorizedError, NotFoundError, InvalidInputError], directResult: true, union: { name: 'UpdateListingResult' } },
    authScopes: { signedIn: true },
    args: { datasetId: t.arg.id({ required: true }), input: t.arg({ type: ListingInput, required: true }) },
    resolve: (_root, args, ctx) => applyListing(ctx, String(args.datasetId), args.input),
  }),
}));
