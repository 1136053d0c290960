import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from './schema/index.js';

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema` after an API change)', () => {
    const file = readFileSync(join(import.meta.dirname, '..', 'schema.graphql'), 'utf8');
    expect(file).toBe(`${printSchema(schema)}\n`);
  });
});
