import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('lowercases, folds diacritics and splits on punctuation', () => {
    expect(tokenize('Café Crème — NEWS-2024, Zürich!')).toEqual(['cafe', 'creme', 'news', '2024', 'zurich']);
  });

  it('keeps letters of non-Latin scripts as tokens', () => {
    expect(tokenize('日本語 текст')).toEqual(['日本語', 'текст']);
  });

  it('returns no tokens for empty or punctuation-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' -- !! ')).toEqual([]);
  });
});
