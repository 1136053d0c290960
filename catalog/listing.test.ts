import { describe, expect, it } from 'vitest';
import { InvalidListingError } from './errors.js';
import { applyListingPatch, DEFAULT_LISTING, isSolanaAddress, type ListingPatch } from './listing.js';

const OWNER = '9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin';
const MINT = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const ctx = { ref: 'demo@v1', columns: ['id', 'url', 'text'], now: '2026-05-01T00:00:00.000Z' };
const apply = (patch: ListingPatch) => applyListingPatch(DEFAULT_LISTING, patch, ctx);

describe('applyListingPatch', () => {
  it('sets every field and normalises tags', () => {
    const l = apply({
      title: '  Demo pages ',
      tags: ['News', 'news', 'web'],
      owner: OWNER,
      price: { amount: 1_000_000n, currency: 'SPL', mint: MINT },
      status: 'listed',
      privateColumns: ['url', 'url'],
    });
    expect(l).toMatchObject({ title: 'Demo pages', tags: ['news', 'web'], owner: OWNER, status: 'listed', privateColumns: ['url'], updatedAt: ctx.now });
    expect(l.price).toEqual({ amount: 1_000_000n, currency: 'SPL', mint: MINT });
  });

  it('names the dataset and lists the columns when a private column does not exist', () => {
    expect(() => apply({ privateColumns: ['foo'] })).toThrow('dataset demo@v1: private column "foo" does not exist (columns: id, url, text)');
  });

  it.each<[string, ListingPatch, RegExp]>([
    ['an empty title', { title: '  ' }, /title must be 1 to 200 characters/],
    ['a malformed owner', { owner: 'not-a-wallet' }, /owner is not a base58 Solana address/],
    ['a zero price', { price: { amount: 0n, currency: 'SOL', mint: null } }, /price amount must be a bigint/],
    ['a number instead of a bigint', { price: { amount: 5 as unknown as bigint, currency: 'SOL', mint: null } }, /bigint/],
    ['a SOL price with a mint', { price: { amount: 5n, currency: 'SOL', mint: MINT } }, /a SOL price has no mint/],
    ['an SPL price without a mint', { price: { amount: 5n, currency: 'SPL', mint: null } }, /needs the token mint/],
    ['an unknown status', { status: 'sold' as 'listed' }, /status must be one of draft, listed, delisted/],
    ['a listed price without an owner', { status: 'listed', price: { amount: 5n, currency: 'SOL', mint: null } }, /needs an owner wallet/],
    ['a tag with markup', { tags: ['<b>'] }, /tag "<b>" must be/],
  ])('rejects %s', (_, patch, message) => {
    expect(() => apply(patch)).toThrow(InvalidListingError);
    expect(() => apply(patch)).toThrow(message);
  });

  it('never puts a wallet address into a message', () => {
    try {
      apply({ owner: `${OWNER}0` });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain(OWNER);
    }
  });

  it('keeps fields the patch leaves out and takes a dataset off sale with a null price', () => {
    const listed = apply({ owner: OWNER, price: { amount: 5n, currency: 'SOL', mint: null }, status: 'listed', tags: ['a'] });
    const off = applyListingPatch(listed, { price: null }, ctx);
    expect(off).toMatchObject({ owner: OWNER, status: 'listed', tags: ['a'], price: null });
  });
});

describe('isSolanaAddress', () => {
  it('accepts 32-byte base58 keys and rejects others', () => {
    expect(isSolanaAddress(OWNER)).toBe(true);
    expect(isSolanaAddress('11111111111111111111111111111111')).toBe(true);
    expect(isSolanaAddress('0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl')).toBe(false);
    expect(isSolanaAddress('abc')).toBe(false);
  });
});
