// Issue 11, low: what the GraphQL edge gave away or let through. __typename aliases escaped the
// field limit (150,000 of them blocked the server ~3 s a request); introspection and "did you
// mean" hints were on without --dev; NODE_ENV=development sent stack traces and absolute paths to
// anonymous clients; after a 413 the connection stayed open, reading the rest of the body.
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMarket, type TestMarket } from '../e2e/market-helpers.js';

let m: TestMarket;

beforeAll(async () => {
  m = await startTestMarket();
});

afterAll(async () => {
  await m?.server.close();
  if (m) rmSync(m.home, { recursive: true, force: true });
});

describe('__typename aliases are not counted by the field limit', () => {
  it('refuses 600 aliased __typename selections as too complex', async () => {
    const query = `{ ${Array.from({ length: 600 }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    const r = await m.gql(query);
    expect(r.body.errors![0]!.extensions!.code).toBe('QUERY_TOO_COMPLEX');
    expect(r.body.errors![0]!.message).toContain('selects more than 500 fields');
    expect(r.body.data).toBeUndefined();
  });

  it('stops parsing a document of 3,000 aliases at the token limit', async () => {
    const r = await m.gql(`{ ${Array.from({ length: 3000 }, (_, i) => `t${i}: __typename`).join(' ')} }`);
    expect(r.body.errors![0]!.extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(r.body.errors![0]!.message).toMatch(/5000 tokens/);
    expect(r.body.data).toBeUndefined();
  });

  it('counts __typename inside fragments each time a fragment is spread', async () => {
    // 2^12 selections from 12 fragments of two spreads each: small to send, large once expanded.
    const fragments = Array.from({ length: 12 }, (_, i) =>
      i === 11 ? `fragment F${i} on Query { __typename }` : `fragment F${i} on Query { a${i}: __typename ...F${i + 1} b${i}: __typename ...F${i + 1} }`,
    );
    const r = await m.gql(`{ ...F0 } ${fragments.join(' ')}`);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses a 150,000-alias document before parsing all of it', async () => {
    const query = `{ ${Array.from({ length: 150_000 }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    const r = await fetch(`${m.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    expect([400, 413]).toContain(r.status);
  });

  it('still answers an ordinary query', async () => {
    const r = await m.gql('{ __typename datasets(first: 5) { totalCount edges { node { id __typename } } } }');
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
  });
});

describe('introspection and "did you mean" hints are on without --dev', () => {
  it('refuses introspection and leaves suggestions out of error messages', async () => {
    const intro = await m.gql('{ __schema { types { name } } }');
    expect(intro.body.data).toBeUndefined();
    expect(intro.body.errors![0]!.message).toMatch(/introspection/i);
    const typo = await m.gql('{ datasetz(first: 1) { totalCount } }');
    expect(typo.body.errors![0]!.message).toContain('Cannot query field "datasetz"');
    expect(JSON.stringify(typo.body)).not.toMatch(/did you mean/i);
    const badEnum = await m.gql('query($s: DatasetSort) { datasets(sort: $s) { totalCount } }', { s: 'NEWES' });
    expect(badEnum.body.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(badEnum.body)).not.toMatch(/did you mean/i);
  });

  it('keeps both with --dev', async () => {
    const dev = await startTestMarket({ dev: true });
    try {
      expect((await dev.gql('{ __schema { queryType { name } } }')).body.data.__schema.queryType.name).toBe('Query');
      expect((await dev.gql('{ datasetz(first: 1) { totalCount } }')).body.errors![0]!.message).toMatch(/Did you mean .*"datasets"/);
    } finally {
      await dev.server.close();
      rmSync(dev.home, { recursive: true, force: true });
    }
  });

  it('keeps both with GraphiQL on (--demo), but still masks unexpected failures', async () => {
    const demo = await startTestMarket({ graphiql: true });
    try {
      expect((await demo.gql('{ __schema { queryType { name } } }')).body.data.__schema.queryType.name).toBe('Query');
      demo.server.market.store.close();
      const r = await demo.gql('mutation { requestSignIn(address: "11111111111111111111111111111111") { nonce } }');
      expect(JSON.stringify(r.body)).toContain('Unexpected error.');
      expect(JSON.stringify(r.body)).not.toMatch(/stack|originalError/);
    } finally {
      await demo.server.close().catch(() => undefined);
      rmSync(demo.home, { recursive: true, force: true });
    }
  });

  it('shows error details to clients with --dev only', async () => {
    const dev = await startTestMarket({ dev: true });
    try {
      dev.server.market.store.close();
      const r = await dev.gql('mutation { requestSignIn(address: "11111111111111111111111111111111") { nonce } }');
      expect(JSON.stringify(r.body)).toMatch(/originalError/);
    } finally {
      await dev.server.close().catch(() => undefined);
      rmSync(dev.home, { recursive: true, force: true });
    }
  });
});

describe('with NODE_ENV=development anonymous clients get stack traces and absolute paths', () => {
  it('masks an unexpected failure the same whatever NODE_ENV says', async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    const dev = await startTestMarket();
    try {
      // An unexpected failure: the market store is gone from under the server.
      dev.server.market.store.close();
      const r = await dev.gql('mutation { requestSignIn(address: "11111111111111111111111111111111") { nonce } }');
      const text = JSON.stringify(r.body);
      expect(text).toContain('Unexpected error.');
      expect(text).not.toContain(dev.home);
      expect(text).not.toMatch(/\bat [^ ]+ \(|stack|originalError/);
    } finally {
      if (before === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = before;
      await dev.server.close().catch(() => undefined);
      rmSync(dev.home, { recursive: true, force: true });
    }
  });
});

describe('what an anonymous client learns of the cluster', () => {
  it("shows a cluster's RPC URL by its origin only, never the key a provider puts in its path or query", async () => {
    const onCluster = await startTestMarket({ rpcUrl: 'http://127.0.0.1:9/v2/PATHSECRET?api-key=QUERYSECRET' });
    try {
      const health = await (await fetch(`${onCluster.url}/health`)).text();
      const solana = await (await fetch(`${onCluster.url}/solana`, { method: 'POST', body: '{}' })).text();
      expect(JSON.parse(health).chain).toBe('http://127.0.0.1:9');
      for (const text of [health, solana]) expect(text).not.toMatch(/SECRET/);
    } finally {
      await onCluster.server.close();
      rmSync(onCluster.home, { recursive: true, force: true });
    }
  });
});

/** Sends headers announcing `declared` bytes and then `sent` bytes of body on a raw socket; resolves with the response head and whether the server closed the connection. */
function oversizedPost(url: string, path: string, declared: number, sent: number): Promise<{ head: string; closed: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let head = '';
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ head, closed });
    };
    const timer = setTimeout(() => finish(false), 3000);
    socket.on('error', (err) => (settled ? undefined : reject(err)));
    socket.on('data', (d: Buffer) => (head += d.toString('latin1')));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\nConnection: keep-alive\r\n\r\n`,
    );
    socket.write(Buffer.alloc(sent, 0x20));
  });
}

describe('after a 413 the connection stays open', () => {
  it('closes the connection after refusing an oversized body, on /solana and on /graphql', async () => {
    for (const path of ['/solana', '/graphql']) {
      const r = await oversizedPost(m.url, path, 50_000_000, 2_000_000);
      expect(r.head, path).toMatch(/^HTTP\/1\.1 413/);
      expect(r.head.toLowerCase(), path).toContain('connection: close');
      expect(r.closed, path).toBe(true);
    }
  });
});
