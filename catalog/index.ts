/**
 * @module The catalog's public face.
 */
export { Catalog, type DatasetRecord, type QueryResult } from './catalog.js';
export { CatalogError, DatasetNotFoundError, InvalidDatasetError, QueryRejectedError } from './errors.js';
