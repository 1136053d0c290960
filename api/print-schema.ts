/**
 * @module Prints the GraphQL schema in SDL: `npm run schema` writes it to `schema.graphql`, and a
 * test fails when the checked-in file differs, so every API change is a deliberate diff.
 */
import { printSchema } from 'graphql';
import { schema } from './schema/index.js';

process.stdout.write(`${printSchema(schema)}\n`);
