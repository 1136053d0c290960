/**
 * @module Opening one file of a dataset directory as a regular file reached without a symbolic
 * link: the one check behind publishing (the copy into the data home), reading a version (the
 * DuckDB readers) and serving it (downloads). A version published before publish refused links
 * may still hold one, pointing anywhere on the machine; whoever opens a dataset file opens it here.
 */
import { constants } from 'node:fs';
import { lstat, open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** Builds the caller's error for a broken rule (`is a symbolic link`, `is not a regular file`, …). */
export type RefuseDatasetFile = (rule: string, cause?: unknown) => Error;

/**
 * Opens `<root>/<rel>` (`rel` relative, `/`-separated) for reading. Refuses, through `refuse`: a
 * symbolic link at any segment, a directory on the way that is not one, and anything but a regular
 * file (a FIFO would block a reader forever, a device would never end). A missing file rejects with
 * the ENOENT error itself, for the caller to word. The handle is then read, so what was checked is
 * what is read; `close()` it.
 */
export async function openDatasetFile(root: string, rel: string, refuse: RefuseDatasetFile): Promise<FileHandle> {
  const realRoot = await realpath(root);
  const segments = rel.split('/');
  // Directories on the way: O_NOFOLLOW below guards only the last segment.
  for (let i = 1; i < segments.length; i++) {
    const shown = segments.slice(0, i).join('/');
    const st = await lstat(join(realRoot, ...segments.slice(0, i))).catch(() => undefined);
    if (!st) break; // the open below reports it
    if (st.isSymbolicLink()) throw refuse(`passes through a symbolic link (${shown})`);
    if (!st.isDirectory()) throw refuse(`is under ${shown}, which is not a directory`);
  }
  const path = join(realRoot, ...segments);
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; fstat then refuses it.
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw cause;
    if (code === 'ELOOP' || code === 'EMLINK') throw refuse('is a symbolic link', cause);
    throw refuse(`cannot be read (${code ?? 'error'})`, cause);
  }
  try {
    if (!(await handle.stat()).isFile()) throw refuse('is not a regular file');
    await assertOpenedAt(handle, path, refuse);
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * A directory on the way can be swapped for a symbolic link between the checks and the open. On
 * Linux the kernel names the file a descriptor really opened (`/proc/self/fd/N`): it must be the
 * path that was checked. Elsewhere the segment checks stand alone.
 */
async function assertOpenedAt(handle: FileHandle, expected: string, refuse: RefuseDatasetFile): Promise<void> {
  let actual: string;
  try {
    actual = await readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return;
  }
  // A file replaced or removed after the open is still the one that was opened at `expected`.
  if (actual.replace(/ \(deleted\)$/, '') !== expected) throw refuse('resolved to a file outside the dataset directory while it was being opened');
}
