import { describe, expect, it } from 'vitest';
import { logSafeUrl } from './log-safe-url.js';

describe('logSafeUrl', () => {
  it('drops the query string and fragment, where personal data hides', () => {
    expect(logSafeUrl('https://shop.example/track?email=jane%40example.com&token=abc#x')).toBe('https://shop.example/track');
  });

  it('does not echo a string that is not a URL', () => {
    expect(logSafeUrl('jane@example.com')).toBe('(unparseable URL)');
  });
});
