/**
 * @module `lumora serve`: the marketplace (GraphQL at /graphql), the embedded localnet (/solana),
 * downloads and Arrow streams on one port, until Ctrl-C.
 */
import { Command, InvalidArgumentError } from 'commander';
import { parseServeConfig, startServer } from '../../api/index.js';
import { DEFAULT_HOME } from '../options.js';
import { UsageError } from '../usage-error.js';
import { createConsoleLogger } from '../console-logger.js';
import { publishDemoDatasets, demoSeller } from './demo-market.js';

function portOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError(`"${value}" is not a port number (0-65535).`);
  return n;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the marketplace: GraphQL at /graphql, the embedded Solana localnet at /solana, signed downloads and Arrow streams.')
    .option('--home <dir>', 'data home holding catalog.duckdb (env LUMORA_HOME)', DEFAULT_HOME)
    .option('--port <n>', 'port (0 picks a free one)', portOption, 4000)
    .option('--host <addr>', 'interface to listen on', '127.0.0.1')
    .option('--demo', 'publish the fixture datasets (one priced in SOL, one in the Lumora token) into an empty home, and turn on GraphiQL (with introspection)')
    .option('--rpc <url>', 'use a Solana cluster at this JSON-RPC URL instead of the embedded localnet')
    .option('--public-url <url>', 'the URL clients reach this server at (for download and Solana Pay links)')
    .option('--commitment <level>', 'confirmed or finalized: how settled a payment must be', 'confirmed')
    .option('--dev', 'GraphiQL at GET /graphql, introspection, "did you mean" hints and error details for clients (development only)')
    .action(async (o: { home: string; port: number; host: string; demo?: boolean; rpc?: string; publicUrl?: string; commitment: string; dev?: boolean }) => {
      let config;
      try {
        config = parseServeConfig({
          home: o.home,
          port: o.port,
          host: o.host,
          commitment: o.commitment,
          // The demo shows GraphiQL; error details for clients need --dev itself.
          graphiql: Boolean(o.demo),
          dev: Boolean(o.dev),
          ...(o.rpc ? { rpcUrl: o.rpc } : {}),
          ...(o.publicUrl ? { publicUrl: o.publicUrl } : {}),
        });
      } catch (err) {
        throw new UsageError(`serve: invalid option: ${(err as Error).message}`);
      }
      let server;
      try {
        server = await startServer(config, { logger: createConsoleLogger({ level: 'info' }) });
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'EADDRINUSE' || code === 'EACCES')
          throw new UsageError(
            `serve: --port ${config.port} on ${config.host}: ${code === 'EADDRINUSE' ? 'already in use' : 'not permitted'}; pick another port`,
          );
        throw err;
      }
      const stop = () => {
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const lines = [
        `Lumora marketplace on ${server.url}`,
        `  GraphQL   ${server.url}/graphql${config.dev || config.graphiql ? '  (GraphiQL in the browser)' : ''}`,
      ];
      lines.push(
        server.market.localnet
          ? `  Solana    ${server.url}/solana  (embedded localnet; Lumora token mint ${server.market.lumoraMint})`
          : `  Solana    ${server.market.rpcUrl}`,
      );
      if (o.demo) {
        const listed = await publishDemoDatasets(server.market);
        for (const l of listed) lines.push(`  listed    ${l.id} for ${l.price}`);
        lines.push(`  seller    ${await demoSeller(server.market.home)} (key in ${o.home}/demo-seller.json)`);
      }
      lines.push(
        '',
        `Try: curl -s ${server.url}/graphql -H 'content-type: application/json' -d '{"query":"{ datasets(first: 5) { edges { node { id title price { display } } } } }"}'`,
      );
      process.stdout.write(lines.join('\n') + '\n');
    });
}
