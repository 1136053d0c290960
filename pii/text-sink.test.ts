import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PiiError } from './errors.js';
import { createFileSink } from './text-sink.js';

// /dev/full accepts the open and fails every write with ENOSPC: a full disk on demand.
describe.skipIf(!existsSync('/dev/full'))('a file sink on a full disk', () => {
  it('fails with a PiiError naming the target and the cause, not the raw stream error', async () => {
    const sink = createFileSink('/dev/full');
    const chunk = 'x'.repeat(1 << 20);
    const attempt = async () => {
      // The first writes may be buffered; the error surfaces on a later write or on close.
      for (let i = 0; i < 64; i++) await sink.write(chunk);
      await sink.close();
    };
    const err = await attempt().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PiiError);
    expect((err as PiiError).message).toBe('/dev/full: cannot write (ENOSPC)');
    expect((err as PiiError).code).toBe('PII_BAD_OUTPUT');
  });
});
