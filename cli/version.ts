/**
 * @module Where the package lives and its version, for `--version`, manifests and the demo's
 * fixtures. Works from `cli/` (tsx) and from `dist/cli/` (compiled).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding lumora's package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'lumora') return dir;
    } catch {
      // no package.json here; keep walking up
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the lumora package root');
}

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
