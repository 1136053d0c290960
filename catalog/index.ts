/**
 * @module The catalog's public face.
 */
export { Catalog, type CatalogOptions, type DatasetFile, type PublishOptions, type QueryResult } from './catalog.js';
export type { ColumnInfo, DatasetFileRecord, DatasetRecord, DatasetStats } from './dataset-record.js';
export {
  CURRENCIES,
  isSolanaAddress,
  LISTING_STATUSES,
  type Currency,
  type ListingPatch,
  type ListingStatus,
  type Price,
} from './listing.js';
export { MAX_PAGE_SIZE, SORT_ORDERS, type SearchFilter, type SearchQuery, type SortOrder } from './search-query.js';
export type { PageInfo, SearchEdge, SearchPage } from './search-index.js';
export type { Preview, PreviewOptions } from './preview.js';
export { SCAN_OPERATORS, type ScanCondition, type ScanOptions } from './arrow-scan.js';
export {
  CatalogBusyError,
  CatalogError,
  DatasetFileError,
  DatasetNotFoundError,
  InvalidCursorError,
  InvalidDatasetError,
  InvalidListingError,
  InvalidRequestError,
  OperationAbortedError,
  QueryRejectedError,
} from './errors.js';
export {
  datasetManifestSchema,
  MANIFEST_FORMAT,
  parseManifest,
  writtenManifestSchema,
  type DatasetManifest,
  type ManifestFile,
  type WrittenManifest,
} from './manifest.js';
export { openDatasetFile, type RefuseDatasetFile } from './dataset-file.js';
export { MarketStore, SignatureAlreadyUsedError, type ExtraPaymentRecord, type IssuedNonce, type OrderRecord, type NonceUse } from './market-store.js';
