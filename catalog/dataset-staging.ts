/**
 * @module Copying a dataset directory into the data home for publishing. Only regular files are
 * copied, each opened without following a symbolic link anywhere on its path, and only the files
 * a dataset consists of (the manifest, the files it lists, the card and the report). Everything
 * the catalog later checks or serves is read from the copy, so a file swapped in the source
 * after a check cannot reach a reader.
 */
import { constants, createWriteStream } from 'node:fs';
import { lstat, mkdir, open, readlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InvalidDatasetError } from './errors.js';

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
 * Copies `<root>/<rel>` to `<destRoot>/<rel>`. `root` must be a real path (no symbolic links in
 * it). Refuses, naming `rel`: a path that leaves the directory, a symbolic link at any segment, and
 * anything but a regular file (a FIFO would block the copy forever, a device would never end).
 * Returns false when the file does not exist and `optional` is set.
 */
export async function copyRegularFile(opts: { root: string; rel: string; destRoot: string; label: string; optional?: boolean }): Promise<boolean> {
  const { root, rel, destRoot, label } = opts;
  const refuse = (rule: string, cause?: unknown) => new InvalidDatasetError(`dataset ${label}: ${rel} ${rule}; publish copies regular files inside the dataset directory only`, cause);
  const unsafe = unsafeRelativePath(rel);
  if (unsafe) throw refuse(unsafe);
  const segments = rel.split('/');
  // Directories on the way: O_NOFOLLOW below guards only the last segment.
  for (let i = 1; i < segments.length; i++) {
    const st = await lstat(join(root, ...segments.slice(0, i))).catch(() => undefined);
    if (!st) break;
    if (st.isSymbolicLink()) throw refuse(`passes through a symbolic link (${segments.slice(0, i).join('/')})`);
    if (!st.isDirectory()) throw refuse(`is under ${segments.slice(0, i).join('/')}, which is not a directory`);
  }
  const src = join(root, ...segments);
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; fstat then refuses it.
    handle = await open(src, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && opts.optional) return false;
    if (code === 'ENOENT') throw new InvalidDatasetError(`dataset ${label}: ${rel} is listed in the manifest but missing`, cause);
    if (code === 'ELOOP' || code === 'EMLINK') throw refuse('is a symbolic link', cause);
    throw refuse(`cannot be read (${code ?? 'error'})`, cause);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw refuse('is not a regular file');
    await assertOpenedAt(handle, src, refuse);
    const dest = join(destRoot, ...segments);
    await mkdir(dirname(dest), { recursive: true });
    await pipeline(handle.createReadStream({ autoClose: false, start: 0 }), createWriteStream(dest, { flags: 'wx' }));
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * A directory on the way can be swapped for a symbolic link between the checks and the open. On
 * Linux the kernel names the file a descriptor really opened (`/proc/self/fd/N`): it must be the
 * path that was checked. Elsewhere the segment checks stand alone.
 */
async function assertOpenedAt(handle: FileHandle, expected: string, refuse: (rule: string) => Error): Promise<void> {
  let actual: string;
  try {
    actual = await readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return;
  }
  // A file replaced or removed after the open is still the one that was opened at `expected`.
  if (actual.replace(/ \(deleted\)$/, '') !== expected) throw refuse('resolved to a file outside the dataset directory while it was being opened');
}
