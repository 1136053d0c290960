import { describe, expect, it } from 'vitest';
import type { DatasetRecord } from '../catalog/index.js';
import { mayChangeListing, mayListStatuses, visibleTo } from './access.js';

const OWNER = 'Owner1111111111111111111111111111111111111';
const OTHER = 'Other1111111111111111111111111111111111111';
const dataset = (status: DatasetRecord['status'], owner: string | null = OWNER) => ({ id: 'demo@v1', status, owner }) as DatasetRecord;

describe('who may see a dataset', () => {
  it.each([
    ['listed', OTHER, true],
    ['delisted', OTHER, true],
    ['delisted', null, true],
    ['draft', OTHER, false],
    ['draft', null, false],
    ['draft', OWNER, true],
  ] as const)('shows a %s dataset to %s: %s', (status, wallet, shown) => {
    expect(visibleTo(dataset(status), wallet)).toBe(shown);
  });

  it('lists drafts and delisted datasets only to the owner filtering by their own wallet', () => {
    expect(mayListStatuses(['listed'], null, undefined)).toBe(true);
    expect(mayListStatuses(['listed', 'delisted'], OWNER, OWNER)).toBe(true);
    expect(mayListStatuses(['draft'], OWNER, null)).toBe(false);
    expect(mayListStatuses(['draft'], OWNER, OTHER)).toBe(false);
    expect(mayListStatuses(['delisted'], null, OWNER)).toBe(false);
  });
});

describe('who may change a listing', () => {
  it('is the owner only, and a dataset without an owner says how to set one', () => {
    expect(mayChangeListing(dataset('listed'), OWNER)).toEqual({ ok: true });
    expect(mayChangeListing(dataset('listed'), OTHER)).toEqual({
      ok: false,
      reason: 'dataset demo@v1 belongs to another wallet; only its owner may change its listing',
    });
    expect(mayChangeListing(dataset('draft', null), OWNER)).toEqual({
      ok: false,
      reason: 'dataset demo@v1 has no owner wallet; set one with: lumora publish DIR --owner ADDRESS',
    });
  });
});
