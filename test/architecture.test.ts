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
          else if (target !== join(top, 'index.js') && target !== join(top, 'errors.js') && folder !== 'bench')
            violations.push(`${where} (not through index.ts)`);
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

describe('pipeline stages', () => {
  // pipeline/<folder>/<name>-stage.ts is a stage, beside the algorithm modules it runs (the rest of
  // that folder). stage-list.ts lists every stage; the runner, the worker pool and the report reach
  // stages only through it (config.ts assembles their option schemas; index.ts is the public face).
  const PIPELINE = join(ROOT, 'pipeline');
  const files = sourceFiles(PIPELINE);
  const stageFolders = new Set(files.filter((f) => f.endsWith('-stage.ts')).map((f) => dirname(f)));
  const isStage = (f: string) => f.endsWith('-stage.ts') || f.endsWith('-stage.js');
  /** Relative imports of `file` that land in pipeline/, as absolute paths with .js. */
  const pipelineImports = (file: string) =>
    [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => resolve(dirname(file), m[1] as string)).filter((t) => t.startsWith(PIPELINE + sep));
  const SHARED = ['stage.js', 'doc.js', 'stats.js', 'errors.js', 'log-safe-url.js'].map((f) => join(PIPELINE, f));
  const show = (file: string, target: string) => `${relative(ROOT, file)} → ${relative(ROOT, target)}`;

  it('puts each stage in a folder under pipeline/, beside its algorithm, not beside the runner or the sources', () => {
    const misplaced = [...stageFolders].filter((d) => dirname(d) !== PIPELINE || d === join(PIPELINE, 'sources'));
    expect(misplaced.map((d) => relative(ROOT, d))).toEqual([]);
  });

  it('has a stage module import the Stage contract, its own folder and shared record types, never the runner or another stage folder', () => {
    const violations: string[] = [];
    for (const file of files.filter(isStage)) {
      const targets = pipelineImports(file);
      if (!targets.includes(join(PIPELINE, 'stage.js'))) violations.push(`${relative(ROOT, file)} (does not import the Stage contract)`);
      for (const t of targets) if (dirname(t) !== dirname(file) && !SHARED.includes(t)) violations.push(show(file, t));
    }
    expect(violations).toEqual([]);
  });

  it('keeps algorithm modules free of stages: they import only their own folder, no stage and no runner code', () => {
    const violations = files
      .filter((f) => stageFolders.has(dirname(f)) && !isStage(f))
      .flatMap((file) =>
        pipelineImports(file)
          .filter((t) => dirname(t) !== dirname(file) || isStage(t))
          .map((t) => show(file, t)),
      );
    expect(violations).toEqual([]);
  });

  it('lets the runner side reach stages only through stage-list.ts', () => {
    const entryPoints = ['stage-list.ts', 'config.ts', 'index.ts'].map((f) => join(PIPELINE, f));
    const violations = files
      .filter((f) => !entryPoints.includes(f) && !stageFolders.has(dirname(f)))
      .flatMap((file) =>
        pipelineImports(file)
          .filter((t) => stageFolders.has(dirname(t)))
          .map((t) => show(file, t)),
      );
    expect(violations).toEqual([]);
  });

  it('lists every stage module in stage-list.ts', () => {
    const listed = pipelineImports(join(PIPELINE, 'stage-list.ts'));
    const missing = files.filter(isStage).filter((f) => !listed.includes(f.replace(/\.ts$/, '.js')));
    expect(missing.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('gives no two pipeline modules the same file name', () => {
    const byName = new Map<string, string[]>();
    for (const f of files) {
      const name = f.slice(f.lastIndexOf(sep) + 1);
      byName.set(name, [...(byName.get(name) ?? []), relative(ROOT, f)]);
    }
    expect([...byName.values()].filter((paths) => paths.length > 1)).toEqual([]);
  });
});

describe('federated/ inner layering', () => {
  // One folder per concept, layered: the models know nothing of rounds, the strategies and the
  // privacy wrappers nothing of jobs or transports, secure aggregation nothing of strategies, one
  // round engine serves jobs and the simulation, and jobs, the client and the simulation sit on
  // top, none importing another but the client the job's protocol. errors.ts and shuffle.ts are leaves every folder may use; index.ts is the door out, which
  // no inner file goes through. Tests may reach further.
  const FEDERATED = join(ROOT, 'federated');
  const LEAVES = ['errors.ts', 'shuffle.ts'];
  const LAYERS: Record<string, string[]> = {
    models: [],
    data: ['models'],
    strategies: ['models'],
    privacy: ['strategies'],
    secagg: [],
    rounds: ['strategies', 'privacy', 'secagg'],
    jobs: ['models', 'data', 'strategies', 'privacy', 'rounds'],
    client: ['models', 'data', 'jobs'],
    simulation: ['models', 'data', 'strategies', 'privacy', 'rounds'],
  };
  /** The federated folder (or leaf file) a path inside federated/ belongs to. */
  const unitOf = (file: string) => relative(FEDERATED, file).split(sep)[0] as string;

  it('has a rule for every folder, and no other file at its top than index.ts and the leaves', () => {
    const units = new Set(sourceFiles(FEDERATED).map(unitOf));
    expect([...units].filter((u) => !(u in LAYERS) && u !== 'index.ts' && !LEAVES.includes(u)).sort()).toEqual([]);
  });

  for (const [folder, allowed] of Object.entries(LAYERS)) {
    it(`${folder}/ imports only ${allowed.length ? allowed.map((a) => `${a}/`).join(', ') : 'nothing else of federated'} (and the leaves)`, () => {
      const violations: string[] = [];
      for (const file of sourceFiles(join(FEDERATED, folder))) {
        for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
          const target = resolve(dirname(file), m[1] as string);
          if (relative(FEDERATED, target).startsWith('..')) continue;
          const unit = unitOf(target.replace(/\.js$/, '.ts'));
          if (unit === folder || LEAVES.includes(unit) || allowed.includes(unit)) continue;
          violations.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it('keeps its leaves free of the rest of federated/', () => {
    const found = LEAVES.flatMap((leaf) =>
      [...readFileSync(join(FEDERATED, leaf), 'utf8').matchAll(IMPORT)]
        .map((m) => relative(FEDERATED, resolve(FEDERATED, m[1] as string)).replace(/\.js$/, '.ts'))
        .filter((target) => !target.startsWith('..') && !LEAVES.includes(target))
        .map((target) => `federated/${leaf} → federated/${target}`),
    );
    expect(found).toEqual([]);
  });
});
