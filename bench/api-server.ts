/**
 * @module A server process for `bench:api`: `node dist/bench/api-server.js lumora HOME` runs the
 * marketplace on the home (rate limits off: one client IP sends everything), `… bare` a bare
 * graphql-yoga endpoint answering the same query with 20 fixed nodes of the same shape, `… file
 * PATH` a plain `fs.createReadStream(PATH).pipe(res)` server. Each prints its URL as one JSON line.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { parseServeConfig, startServer } from '../api/index.js';

const [kind, arg] = process.argv.slice(2);
// Exit through Node's own path on a signal, so --cpu-prof can write its profile.
process.on('SIGINT', () => process.exit(0));

if (kind === 'lumora') {
  const server = await startServer(parseServeConfig({ home: arg, port: 0, rateLimitPerIpPerMinute: 0, rateLimitPerWalletPerMinute: 0 }));
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
} else if (kind === 'bare') {
  const nodes = Array.from({ length: 20 }, (_, i) => ({
    id: `ds-${i}@v1`,
    slug: `ds-${i}`,
    title: `Dataset ${i}`,
    rows: 1000 + i,
    bytes: 50_000 + i,
    price: { amount: '50000000', currency: 'SOL', mint: null },
  }));
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: /* GraphQL */ `
        type Price { amount: String! currency: String! mint: String }
        type Dataset { id: ID! slug: String! title: String! rows: Float! bytes: Float! price: Price }
        type Edge { cursor: String! node: Dataset! }
        type PageInfo { hasNextPage: Boolean! endCursor: String }
        type Connection { edges: [Edge!]! pageInfo: PageInfo! }
        type Query { datasets(first: Int, search: String): Connection! }
      `,
      resolvers: { Query: { datasets: () => ({ edges: nodes.map((node) => ({ cursor: node.id, node })), pageInfo: { hasNextPage: true, endCursor: 'x' } }) } },
    }),
    logging: false,
  });
  const server = createServer(yoga);
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`));
} else if (kind === 'file') {
  const size = statSync(arg as string).size;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': String(size), 'content-type': 'application/octet-stream' });
    createReadStream(arg as string).pipe(res);
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`));
} else {
  process.stderr.write('usage: api-server.js lumora HOME | bare | file PATH\n');
  process.exit(2);
}
