/**
 * @module A real `lumora serve` in a child process, for attacks whose effect is on the server's
 * process itself (a blocked event loop, a `kill -9`): the test's own event loop stays free to time
 * the answers.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { lumoraSpawn } from '../e2e/helpers.js';

export interface ServeProcess {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** SIGKILL: no handler runs, nothing is flushed. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `lumora serve --home HOME --port 0 ARGS…` and resolves once it prints its URL. */
export async function startServeProcess(home: string, args: string[] = []): Promise<ServeProcess> {
  const child = lumoraSpawn(['serve', '--home', home, '--port', '0', ...args]);
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Lumora marketplace on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`lumora serve exited with ${code} before listening: ${err.slice(-2000)}`)));
  });
  const exited = once(child, 'exit');
  return {
    url,
    child,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** POSTs a GraphQL request; the answer's status and JSON body. */
export async function gqlAt(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  timeoutMs = 30_000,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, body: await res.json() };
}
