import { describe, expect, it } from 'vitest';
import { describeOperators } from './dataset-files.js';

describe('dataset card', () => {
  it('says how personal data was transformed, per type and for the rest', () => {
    expect(describeOperators({})).toBe('Values were replaced by a typed placeholder such as `<EMAIL_ADDRESS>`.');
    expect(describeOperators({ PERSON: { type: 'hash', chars: 16 }, DEFAULT: { type: 'redact' } })).toBe(
      'PERSON values were replaced by a keyed hash (the same value gives the same placeholder throughout). Other values were removed.',
    );
  });
});
