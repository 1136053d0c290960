/**
 * @module Copying a dataset directory into the data home for publishing. Only regular files are
 * copied, each opened without following a symbolic link anywhere on its path, and only the files
 * a dataset consists of (the manifest, the files it lists, the card and the report). Everything
 * the catalog later checks or serves is read from the copy, so a file swapped in the source
 * after a check cannot reach a reader. Staging directories carry the pid of the process copying
 * into them, so one left by a process that died is told from one in use and removed.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openDatasetFile } from './dataset-file.js';
import { CatalogError, InvalidDatasetError } from './errors.js';

const STAGING_PREFIX = '.staging-';

/**
 * How long a staging directory whose process is gone must have sat unchanged before it is removed.
 * Its pid is only meaningful on this machine and in this PID namespace: a data home shared with
 * another host or container can hold a live copy whose pid looks dead here. A publish writes into
 * its directory while it copies; the quiet stretches after that (the sha256 check of the copy and
 * the wait for the catalog's lock, lockTimeoutMs) last minutes at most.
 */
export const STALE_STAGING_IDLE_MS = 10 * 60 * 1000;

/** The same for a staging directory named before names carried a pid (`.staging-<uuid>`): only its age tells. */
export const STALE_UNNAMED_STAGING_IDLE_MS = 60 * 60 * 1000;

/** A fresh staging directory name under `<home>/datasets`: `.staging-<pid>-<uuid>`. */
export function stagingDirName(): string {
  return `${STAGING_PREFIX}${process.pid}-${randomUUID()}`;
}

/**
 * Removes the staging directories under `datasetsDir` that no live process is using: those whose
 * pid is not a running process and that sat unchanged for STALE_STAGING_IDLE_MS, and those without
 * a pid (older names) unchanged for STALE_UNNAMED_STAGING_IDLE_MS. Returns the names removed. A
 * killed publish (SIGKILL, a forced exit, a crash) leaves its copy behind; nothing else would
 * ever remove it.
 */
export async function removeStaleStagingDirs(datasetsDir: string, now = Date.now()): Promise<string[]> {
  const names = (await readdir(datasetsDir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  })) as string[];
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const pid = /^\.staging-(\d+)-/.exec(name)?.[1];
    if (pid !== undefined && isRunning(Number(pid))) continue;
    const dir = join(datasetsDir, name);
    const idleMs = now - (await lastChangeMs(dir));
    if (idleMs < (pid !== undefined ? STALE_STAGING_IDLE_MS : STALE_UNNAMED_STAGING_IDLE_MS)) continue;
    try {
      await rm(dir, { recursive: true, force: true });
    } catch (cause) {
      throw new CatalogError(
        `staging directory ${dir}: left by a process that is gone, and cannot be removed (${(cause as NodeJS.ErrnoException).code ?? 'error'}); remove it by hand`,
        {
          code: 'STAGING_NOT_REMOVABLE',
          cause,
        },
      );
    }
    removed.push(name);
  }
  return removed;
}

/** True when a process with this pid exists here (EPERM: it does, under another user). */
function isRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The newest modification time in a staging tree (a file being copied is modified as it grows); 0 when it is gone. */
async function lastChangeMs(dir: string): Promise<number> {
  const st = await lstat(dir).catch(() => undefined);
  if (!st) return 0;
  let newest = st.mtimeMs;
  if (!st.isDirectory()) return newest;
  for (const name of await readdir(dir).catch(() => [] as string[])) newest = Math.max(newest, await lastChangeMs(join(dir, name)));
  return newest;
}

/** Files next to the manifest that belong to a published version when present: what the API serves besides the data. */
export const OPTIONAL_DATASET_FILES = ['README.md', 'report.json', 'report.html'] as const;

/**
 * Why a manifest path cannot name a file inside the dataset directory, or undefined when it can.
 * Paths are relative, `/`-separated, without empty, `.` or `..` segments: what the pipeline writes.
 */
export function unsafeRelativePath(path: unknown): string | undefined {
  if (typeof path !== 'string' || path === '') return 'is not a relative file path';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is an absolute path';
  if (path.includes('\\') || path.includes('\0')) return 'contains a backslash or a NUL byte';
  const segments = path.split('/');
  if (segments.includes('..')) return 'leaves the dataset directory (..)';
  if (segments.some((s) => s === '' || s === '.')) return 'has an empty or "." segment';
  return undefined;
}

/**
 * Copies `<root>/<rel>` to `<destRoot>/<rel>`. Refuses, naming `rel`: a path that leaves the
 * directory, and whatever `openDatasetFile` refuses (a symbolic link at any segment, anything but
 * a regular file). Returns false when the file does not exist and `optional` is set.
 */
export async function copyRegularFile(opts: {
  root: string;
  rel: string;
  destRoot: string;
  label: string;
  optional?: boolean;
  /** Stops the copy mid-file (it then rejects with an AbortError). */
  signal?: AbortSignal | undefined;
}): Promise<boolean> {
  const { root, rel, destRoot, label } = opts;
  const refuse = (rule: string, cause?: unknown) =>
    new InvalidDatasetError(`dataset ${label}: ${rel} ${rule}; publish copies regular files inside the dataset directory only`, cause);
  const unsafe = unsafeRelativePath(rel);
  if (unsafe) throw refuse(unsafe);
  let handle: FileHandle;
  try {
    handle = await openDatasetFile(root, rel, refuse);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause;
    if (opts.optional) return false;
    throw new InvalidDatasetError(`dataset ${label}: ${rel} is listed in the manifest but missing`, cause);
  }
  try {
    const dest = join(destRoot, ...rel.split('/'));
    await mkdir(dirname(dest), { recursive: true });
    await pipeline(
      handle.createReadStream({ autoClose: false, start: 0 }),
      createWriteStream(dest, { flags: 'wx' }),
      ...(opts.signal ? [{ signal: opts.signal }] : []),
    );
  } finally {
    await handle.close();
  }
  return true;
}
