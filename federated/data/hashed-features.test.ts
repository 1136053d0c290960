import { describe, expect, it } from 'vitest';
import { hashText } from './hashed-features.js';

describe('hashed features', () => {
  it('are L2-normalised and the same for the same text', () => {
    const a = hashText('Goal! The team scored a goal', 1024);
    const b = hashText('goal the team scored a goal', 1024);
    expect([...a.indices]).toEqual([...b.indices]);
    expect([...a.values].reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 6);
  });
});
