import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql 16 has no "exports" map: Node (and so Pothos and yoga) loads its CommonJS build, while
  // Vite would pick its "module" build for our sources, and two copies of graphql's classes fail
  // each other's instanceof checks. Tests load the one Node loads in production.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
