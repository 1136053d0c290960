/**
 * @module A flag combination a command refuses after parsing (commander checks each flag alone).
 * `main.ts` prints its message as one line and exits 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
