import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// The dependency rules of docs/ARCHITECTURE.md: arrows point one way, and other folders import a
// folder only through its index.ts, or its errors.ts: error classes a caller catches without
// loading the whole folder (the CLI loads a command's folder only when that command runs).
// Tests may reach further (they build real inputs).
const ROOT = join(import.meta.dirname, '..');
const ALLOWED: Record<string, string[]> = {
  common: [],
  pii: ['common'],
  catalog: ['common'],
  chain: ['common'],
  pipeline: ['common', 'pii', 'catalog'],
  federated: ['common', 'catalog'],
  api: ['common', 'catalog', 'chain', 'federated'],
  cli: ['common', 'pipeline', 'pii', 'catalog', 'chain', 'api', 'federated'],
  bench: ['common', 'pipeline', 'pii', 'catalog', 'chain', 'api', 'federated', 'fixtures'],
  fixtures: ['common'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.includes('.test-') ? [p] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g;

describe('dependency direction', () => {
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`${folder}/ imports only ${allowed.length ? allowed.join(', ') : 'nothing of ours'}, through their index.ts`, () => {
      const violations: string[] = [];
      for (const file of sourceFiles(join(ROOT, folder))) {
        for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
          const target = relative(ROOT, resolve(dirname(file), m[1] as string));
          const top = target.split(sep)[0] as string;
          if (top === folder || top === 'node_modules') continue;
          const where = `${relative(ROOT, file)} → ${target}`;
          if (!allowed.includes(top)) violations.push(`${where} (not allowed)`);
          else if (target !== join(top, 'index.js') && target !== join(top, 'errors.js') && folder !== 'bench') violations.push(`${where} (not through index.ts)`);
        }
      }
      expect(violations).toEqual([]);
    });
  }
});

describe('common/', () => {
  // The browser extension's node core will import common/, so it must run without Node.
  it('imports no Node built-in and no package', () => {
    const found = sourceFiles(join(ROOT, 'common')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^.'"][^'"]*)['"]/g)].map((m) => `${relative(ROOT, file)} → ${m[1]}`),
    );
    expect(found).toEqual([]);
  });
});
