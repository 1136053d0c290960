/**
 * @module Helpers for end-to-end tests: run the built `lumora` CLI as a child process, and read
 * a dataset's Parquet rows back with DuckDB.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'lumora.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `lumora ARGS` to completion (the compiled CLI; `npm test` builds first). */
export function lumora(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', ...opts.env },
    timeout: 240_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs `lumora ARGS` without blocking this process's event loop: needed when this process also
 * serves what the CLI fetches (the fixture site).
 */
export function lumoraAsync(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = lumoraSpawn(args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Starts `lumora ARGS` without waiting, for tests that kill it. */
export function lumoraSpawn(args: string[]) {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: 'pipe' });
}

/** All rows of a dataset directory's Parquet files, as plain objects ordered by file then row. */
export async function readRows(datasetDir: string, columns = '*'): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const glob = join(datasetDir, 'data', '*.parquet').replaceAll("'", "''");
    const select = columns === '*' ? '* EXCLUDE (filename, file_row_number)' : columns;
    const reader = await conn.runAndReadAll(
      `SELECT ${select} FROM read_parquet('${glob}', filename = true, file_row_number = true) ORDER BY filename, file_row_number`,
    );
    return reader.getRowObjectsJS();
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
