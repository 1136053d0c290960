/**
 * @module Child process for the cross-process catalog tests. `publish <home> <count> <prefix>`
 * publishes `count` datasets; `hold <home> <ms> [write]` holds the catalog file open read-write (after a write).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { Catalog } from './catalog.js';
import { writeSampleDataset } from './catalog.test-helpers.js';

const [mode, home, arg, prefix] = process.argv.slice(2) as [string, string, string, string];

if (mode === 'publish') {
  const catalog = await Catalog.open({ home });
  try {
    for (let i = 0; i < Number(arg); i++) {
      const dir = await writeSampleDataset({ name: `${prefix}-${i}`, rows: 20, description: 'Published by the child process.' });
      const rec = await catalog.publish(dir, { status: 'listed', tags: ['child'] });
      process.stdout.write(`published ${rec.id}\n`);
    }
  } finally {
    catalog.close();
  }
} else if (mode === 'hold') {
  const instance = await DuckDBInstance.create(join(home, 'catalog.duckdb'));
  if (prefix === 'write') {
    // A change readers can see by stat, made while the lock stays held.
    const conn = await instance.connect();
    await conn.run('CREATE TABLE IF NOT EXISTS touched (x INTEGER); INSERT INTO touched VALUES (1)');
    conn.closeSync();
  }
  process.stdout.write('held\n');
  await new Promise((r) => setTimeout(r, Number(arg)));
  instance.closeSync();
}
