/**
 * @module Typed catalog failures. Messages name the dataset or path and the broken rule.
 */

export class CatalogError extends Error {
  override name = 'CatalogError';
  readonly code: string;
  constructor(message: string, opts: { code?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.code = opts.code ?? 'CATALOG_ERROR';
  }
}

/** No dataset matches the id or slug. */
export class DatasetNotFoundError extends CatalogError {
  override name = 'DatasetNotFoundError';
  constructor(ref: string) {
    super(`dataset ${ref}: not found in the catalog`, { code: 'DATASET_NOT_FOUND' });
  }
}

/** A dataset directory that cannot be published (missing manifest, checksum mismatch, …). */
export class InvalidDatasetError extends CatalogError {
  override name = 'InvalidDatasetError';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'DATASET_INVALID', cause });
  }
}

/**
 * A file of a published version that a reader must not open: a symbolic link (on the file or a
 * directory on its way), not a regular file, or gone. Versions published before publish refused
 * links may hold one; the message names the file relative to the version, never the data home.
 */
export class DatasetFileError extends CatalogError {
  override name = 'DatasetFileError';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'DATASET_FILE_INVALID', cause });
  }
}

/** A query that is not a single read-only SELECT. */
export class QueryRejectedError extends CatalogError {
  override name = 'QueryRejectedError';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'QUERY_REJECTED', cause });
  }
}

/** A listing field that breaks a rule (unknown private column, malformed wallet, negative price, …). */
export class InvalidListingError extends CatalogError {
  override name = 'InvalidListingError';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'LISTING_INVALID', cause });
  }
}

/** A search, preview or scan request that breaks a rule (page size out of range, unknown column, …). */
export class InvalidRequestError extends CatalogError {
  override name = 'InvalidRequestError';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'REQUEST_INVALID', cause });
  }
}

/** A pagination cursor that is malformed or was issued for another search. */
export class InvalidCursorError extends CatalogError {
  override name = 'InvalidCursorError';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'INVALID_CURSOR', cause });
  }
}

/**
 * The caller's AbortSignal stopped an operation (a publish, or a wait for another process's lock)
 * before it changed anything: nothing was registered, and its staging copy is removed.
 */
export class OperationAbortedError extends CatalogError {
  override name = 'OperationAbortedError';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'OPERATION_ABORTED', cause });
  }
}

/** Another process held the catalog file for longer than the lock timeout. */
export class CatalogBusyError extends CatalogError {
  override name = 'CatalogBusyError';
  constructor(file: string, waitedMs: number, cause?: unknown) {
    super(`catalog ${file}: still locked by another process after ${waitedMs} ms (lockTimeoutMs)`, { code: 'CATALOG_BUSY', cause });
  }
}
