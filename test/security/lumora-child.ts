/**
 * @module Runs the built `lumora` CLI as a child process that cannot outlive its deadline: a
 * process spinning in microtasks never runs a SIGTERM handler, so the deadline is enforced with
 * SIGKILL. Reports the wall time and the child's peak resident memory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, ROOT } from '../e2e/helpers.js';

export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
  /** Peak resident set size of the child in KiB, from process.resourceUsage() at exit (absent when killed). */
  maxRssKb?: number;
  /** True when the deadline passed and the child was killed. */
  killed: boolean;
}

export interface ChildHandle {
  child: ReturnType<typeof spawn>;
  done: Promise<ChildResult>;
}

/**
 * Starts `lumora ARGS`; `done` resolves when it exits, or when `timeoutMs` passed and it was
 * SIGKILLed. The CLI runs under a wrapper that writes its peak RSS on exit.
 */
export function startLumora(args: string[], opts: { timeoutMs: number }): ChildHandle {
  const dir = mkdtempSync(join(tmpdir(), 'lumora-child-'));
  const wrapper = join(dir, 'measure.mjs');
  const rssFile = join(dir, 'max-rss');
  writeFileSync(
    wrapper,
    `import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));
await import(${JSON.stringify(pathToFileURL(BIN).href)});
`,
  );
  const t0 = Date.now();
  const child = spawn(process.execPath, [wrapper, ...args], { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  let killed = false;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs);
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      let maxRssKb: number | undefined;
      try {
        maxRssKb = Number(readFileSync(rssFile, 'utf8'));
      } catch {
        maxRssKb = undefined;
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ status, signal, stdout, stderr, ms: Date.now() - t0, killed, ...(maxRssKb !== undefined ? { maxRssKb } : {}) });
    });
  });
  return { child, done };
}

/** Runs `lumora ARGS` to its end or its deadline. */
export function runLumora(args: string[], opts: { timeoutMs: number }): Promise<ChildResult> {
  return startLumora(args, opts).done;
}
