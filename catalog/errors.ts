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

/** A query that is not a single read-only SELECT. */
export class QueryRejectedError extends CatalogError {
  override name = 'QueryRejectedError';
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'QUERY_REJECTED', cause });
  }
}
