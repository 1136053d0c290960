/**
 * @module The directories a run writes, checked before any work starts (a run that would fail at
 * its last step after hours must fail at its first): `--out`, which must be absent or empty, and
 * the data home. At the end the finished dataset moves to `--out` in one rename, so `--out` is
 * either absent or whole, never half-written. Every failure names the path and what is wrong
 * with it.
 */
import { randomUUID } from 'node:crypto';
import { accessSync, constants, createReadStream, createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FatalError } from './errors.js';

/**
 * Throws a FatalError unless `outDir` (absolute; `given` as the user wrote it) is absent or an
 * empty directory, and the directory that will hold it can be written. Creates nothing.
 */
export function checkOutputDir(outDir: string, given: string): void {
  checkPath(`output ${given}`, (fail) => {
    const st = statOrUndefined(outDir);
    if (st && !st.isDirectory()) throw fail('exists and is not a directory; choose a new --out');
    if (st && readdirSync(outDir).length > 0) throw fail('directory exists and is not empty; choose a new --out or remove it');
    // Created, or replaced when empty, in the nearest directory that exists.
    checkCreatable(outDir, fail);
  });
}

/** Throws a FatalError unless the data home is a writable directory or can be created. Creates nothing. */
export function checkDataHome(home: string, given: string): void {
  checkPath(`data home ${given}`, (fail) => {
    const st = statOrUndefined(home);
    if (!st) return checkCreatable(home, fail);
    if (!st.isDirectory()) throw fail('exists and is not a directory; choose another --home');
    checkWritable(home, home, fail);
  });
}

type Fail = (rule: string, cause?: unknown) => FatalError;

function checkPath(label: string, check: (fail: Fail) => void): void {
  const fail: Fail = (rule, cause) => new FatalError(`${label}: ${rule}`, { cause });
  try {
    check(fail);
  } catch (err) {
    if (err instanceof FatalError) throw err;
    throw fail(`cannot be checked (${(err as NodeJS.ErrnoException).code ?? String(err)})`, err);
  }
}

/**
 * The nearest existing directory above `path` must be a writable directory. Checked here rather
 * than left to mkdir: Node's recursive mkdir never returns under some unwritable trees (/proc/sys).
 */
function checkCreatable(path: string, fail: Fail): void {
  let parent = dirname(path);
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
  if (!statSync(parent).isDirectory()) throw fail(`${parent} is not a directory`);
  checkWritable(parent, parent, fail, 'cannot be created: ');
}

function checkWritable(dir: string, shown: string, fail: Fail, prefix = ''): void {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (cause) {
    throw fail(`${prefix}${shown} is not writable (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, cause);
  }
}

/** The path's stat, or undefined when it, or a directory on its way, does not exist (ENOENT, ENOTDIR). */
function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/**
 * Moves the finished dataset from `from` (under the data home) to `to`, which must be absent or an
 * empty directory. On one filesystem that is a rename. Across filesystems the dataset is copied
 * next to `to` under a hidden name and then renamed into place, so a process that dies during the
 * copy leaves `to` untouched. An aborted `signal` stops the move before it starts or during the
 * copy (which is then removed) and throws `interrupted()`; the dataset stays at `from` either way.
 * Other failures name `given` and say where the dataset is kept, so nothing is lost. After a copy
 * `from` is still there: the caller removes it once it has recorded that the move is done.
 */
export async function moveToOutputDir(
  from: string,
  to: string,
  given: string,
  opts: { signal?: AbortSignal | undefined; interrupted?: () => Error } = {},
): Promise<void> {
  const stopped = () => opts.interrupted?.() ?? new FatalError(`output ${given}: the move was stopped; the dataset is kept at ${from}`);
  if (opts.signal?.aborted) throw stopped();
  try {
    await mkdir(dirname(to), { recursive: true });
    // An empty --out is replaced; rmdir refuses one that filled up during the run.
    if (existsSync(to)) await rmdir(to);
    try {
      await rename(from, to);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    }
    const partial = join(dirname(to), `.${basename(to)}.lumora-partial-${randomUUID().slice(0, 8)}`);
    try {
      await copyTree(from, partial, opts.signal);
      if (opts.signal?.aborted) throw stopped();
      await rename(partial, to);
    } catch (err) {
      await rm(partial, { recursive: true, force: true });
      throw err;
    }
  } catch (cause) {
    if (opts.signal?.aborted) throw stopped();
    throw new FatalError(
      `output ${given}: could not move the finished dataset there (${(cause as NodeJS.ErrnoException).code ?? 'error'}); it is kept at ${from}`,
      { cause },
    );
  }
}

/** Copies the directory tree `from` (directories and regular files, what a run writes) to a new `to`; `signal` stops it mid-file. */
async function copyTree(from: string, to: string, signal: AbortSignal | undefined): Promise<void> {
  await mkdir(to);
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    const dest = join(to, entry.name);
    if (entry.isDirectory()) await copyTree(src, dest, signal);
    else if (entry.isFile()) await pipeline(createReadStream(src), createWriteStream(dest, { flags: 'wx' }), ...(signal ? [{ signal }] : []));
    else throw Object.assign(new Error(`${src} is neither a file nor a directory`), { code: 'EINVAL' });
  }
}
