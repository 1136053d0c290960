/**
 * @module Catalog commands: `publish`, `datasets`, `query`.
 */
import { Command } from 'commander';
import { Catalog, type PublishOptions } from '../../catalog/index.js';
import { DEFAULT_HOME, listOption } from '../options.js';
import { UsageError } from '../usage-error.js';

const HOME_HELP = 'data home holding catalog.duckdb (env LUMORA_HOME)';

export function publishCommand(): Command {
  return new Command('publish')
    .description('Verify a dataset directory against its manifest and register it in the catalog as a new version.')
    .argument('<dir>', 'dataset directory written by lumora run')
    .option('--home <dir>', HOME_HELP, DEFAULT_HOME)
    .option('--name <slug>', 'catalog slug (default: the name in the manifest)')
    .option('--owner <address>', "the seller's wallet (base58); only it may change the listing through the API")
    .option('--title <text>', 'listing title (default: the dataset name)')
    .option('--tags <a,b>', 'listing tags', listOption)
    .option('--price <base-units>', 'price in base units (lamports, or the token’s smallest unit)')
    .option('--currency <SOL|SPL>', 'currency of --price', 'SOL')
    .option('--mint <address>', 'the SPL mint, with --currency SPL')
    .option('--private-columns <a,b>', 'columns never shown in previews', listOption)
    .option('--list', 'list it for sale at once (status listed; needs --owner and --price)')
    .option('--json', 'print the catalog record as JSON')
    .action(async (dir: string, o: PublishFlags) => {
      const catalog = await Catalog.open({ home: o.home });
      try {
        const rec = await catalog.publish(dir, listingOptions(o));
        process.stdout.write(
          o.json
            ? JSON.stringify(rec, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) + '\n'
            : `Published ${rec.id} (${rec.status}): ${rec.rows} rows, ${rec.bytes} bytes at ${rec.path}\n`,
        );
      } finally {
        catalog.close();
      }
    });
}

interface PublishFlags {
  home: string;
  name?: string;
  owner?: string;
  title?: string;
  tags?: string[];
  price?: string;
  currency: string;
  mint?: string;
  privateColumns?: string[];
  list?: boolean;
  json?: boolean;
}

/** The listing flags as catalog publish options; the catalog validates addresses and columns. */
function listingOptions(o: PublishFlags): PublishOptions {
  if (o.price !== undefined && !/^\d{1,30}$/.test(o.price)) throw new UsageError(`--price "${o.price}" is not a whole number of base units`);
  if (o.currency !== 'SOL' && o.currency !== 'SPL') throw new UsageError(`--currency "${o.currency}" must be SOL or SPL`);
  if (o.list && (!o.owner || !o.price)) throw new UsageError('--list needs --owner and --price');
  return {
    ...(o.name ? { slug: o.name } : {}),
    ...(o.owner ? { owner: o.owner } : {}),
    ...(o.title ? { title: o.title } : {}),
    ...(o.tags ? { tags: o.tags } : {}),
    ...(o.privateColumns ? { privateColumns: o.privateColumns } : {}),
    ...(o.price ? { price: { amount: BigInt(o.price), currency: o.currency, mint: o.mint ?? null } } : {}),
    ...(o.list ? { status: 'listed' as const } : {}),
  };
}

export function datasetsCommand(): Command {
  return new Command('datasets')
    .description('List the datasets in the catalog.')
    .option('--home <dir>', HOME_HELP, DEFAULT_HOME)
    .option('--json', 'print a JSON array of {id, slug, version, rows, bytes, path, …}')
    .action(async (o: { home: string; json?: boolean }) => {
      const catalog = await Catalog.open({ home: o.home, readOnly: true });
      try {
        const list = await catalog.listDatasets();
        if (o.json) {
          process.stdout.write(JSON.stringify(list) + '\n');
          return;
        }
        if (list.length === 0) {
          process.stdout.write(`No datasets in ${o.home}. Publish one with: lumora run INPUT --out DIR --publish\n`);
          return;
        }
        for (const d of list) {
          const langs = Object.keys(d.languages).slice(0, 5).join(',');
          process.stdout.write(`${d.id.padEnd(30)} ${String(d.rows).padStart(9)} rows ${String(d.bytes).padStart(12)} bytes  ${langs.padEnd(16)} ${d.path}\n`);
        }
      } finally {
        catalog.close();
      }
    });
}

export function queryCommand(): Command {
  return new Command('query')
    .description('Run one read-only SQL SELECT over a dataset; its rows are the view `dataset`.')
    .argument('<dataset>', 'dataset id (slug@v1) or slug (newest version)')
    .argument('<sql>', 'e.g. "SELECT lang, count(*) FROM dataset GROUP BY lang"')
    .option('--home <dir>', HOME_HELP, DEFAULT_HOME)
    .option('--json', 'print rows as a JSON array of objects')
    .action(async (ref: string, sql: string, o: { home: string; json?: boolean }) => {
      const catalog = await Catalog.open({ home: o.home, readOnly: true });
      try {
        const result = await catalog.query(ref, sql);
        if (o.json) {
          const objects = result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c, r[i]])));
          process.stdout.write(JSON.stringify(objects, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) + '\n');
          return;
        }
        process.stdout.write(result.columns.join('\t') + '\n');
        for (const row of result.rows) process.stdout.write(row.map(cell).join('\t') + '\n');
      } finally {
        catalog.close();
      }
    });
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x));
  return String(v).replace(/\s+/g, ' ');
}
