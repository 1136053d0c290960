/**
 * @module The catalog's tables, and the migration that brings a catalog written by an older
 * Lumora up to date. Every statement is idempotent, so it runs on each read-write open.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * `datasets.summary` holds the listing-relevant part of the manifest (columns, stats); rows from
 * before it existed have NULL there and are read from `manifest`. `listings` is keyed by slug
 * because a listing spans versions; a slug without a row has the default (draft) listing.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS datasets (
  id VARCHAR PRIMARY KEY,
  slug VARCHAR NOT NULL,
  version VARCHAR NOT NULL,
  version_number INTEGER NOT NULL,
  path VARCHAR NOT NULL,
  rows BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
  license VARCHAR NOT NULL,
  description VARCHAR NOT NULL,
  languages VARCHAR NOT NULL,
  manifest VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL,
  UNIQUE (slug, version_number)
);
ALTER TABLE datasets ADD COLUMN IF NOT EXISTS summary VARCHAR;
CREATE TABLE IF NOT EXISTS dataset_files (
  dataset_id VARCHAR NOT NULL,
  path VARCHAR NOT NULL,
  rows BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
  sha256 VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS listings (
  slug VARCHAR PRIMARY KEY,
  title VARCHAR,
  description VARCHAR,
  tags VARCHAR NOT NULL,
  owner VARCHAR,
  price_amount VARCHAR,
  price_currency VARCHAR,
  price_mint VARCHAR,
  status VARCHAR NOT NULL,
  private_columns VARCHAR NOT NULL,
  updated_at VARCHAR
);
`;

/** Creates missing tables and columns. */
export async function migrate(conn: DuckDBConnection): Promise<void> {
  await conn.run(SCHEMA);
}

/** Which of the newer schema parts a catalog has; a read-only open cannot migrate, so reads adapt. */
export async function readSchemaParts(conn: DuckDBConnection): Promise<{ datasets: boolean; summary: boolean; listings: boolean }> {
  const r = await conn.runAndReadAll(
    `SELECT table_name, column_name FROM duckdb_columns() WHERE table_name IN ('datasets', 'listings') AND schema_name = 'main'`,
  );
  const cols = r.getRowObjectsJS().map((row) => `${String(row.table_name)}.${String(row.column_name)}`);
  return { datasets: cols.includes('datasets.id'), summary: cols.includes('datasets.summary'), listings: cols.includes('listings.slug') };
}
