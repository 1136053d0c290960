/**
 * @module The reference client of the federated protocol (api/routes/federated.ts): register for
 * a job, fetch this client's shard as an Arrow IPC stream, then long-poll for assignments; for
 * each round, download the global weights, train locally and upload the update with its example
 * count and training loss. Network failures are retried with backoff, so a client survives a
 * server restart; the job's end (completed, stopped, failed, or this client flagged) ends it.
 */
import { randomBytes } from 'node:crypto';
import { tableFromIPC } from 'apache-arrow';
import { FederatedError } from '../errors.js';
import { featurize, inputDimension, type NumericStats } from '../data/features.js';
import type { Assignment, JobStatus } from '../jobs/training-job.js';
import type { Example } from '../models/types.js';
import { mulberry32 } from '../../common/index.js';
import { textModel, type ModelSpec } from '../models/text-model.js';
import { decodeWeights, encodeWeights } from '../jobs/weights-format.js';

export interface ClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:4000. */
  server: string;
  job: string;
  /** A session token from Mutation.signIn. */
  token: string;
  /** Seconds to hold each assignment poll open (the server caps it at 30). */
  pollSeconds?: number;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** How long to keep retrying when the server cannot be reached. */
  retryForMs?: number;
}

export interface ClientResult {
  clientId: string;
  shard: number;
  examples: number;
  roundsTrained: number;
  status: JobStatus;
  reason: string | null;
}

interface Registration {
  clientId: string;
  shard: number;
  examples: number;
  job: {
    id: string;
    task: 'classification' | 'regression';
    labels: string[];
    dimension: number;
    tfidf: boolean;
    model: ModelSpec;
    modelSize: number;
    textColumn: string | null;
    numericColumns: string[];
    numericStats: NumericStats;
    labelColumn: string;
  };
}

export async function runFederatedClient(opts: ClientOptions): Promise<ClientResult> {
  const base = `${opts.server.replace(/\/$/, '')}/fl/jobs/${encodeURIComponent(opts.job)}`;
  const log = opts.log ?? (() => undefined);
  const retryForMs = opts.retryForMs ?? 60_000;
  const headers = { authorization: `Bearer ${opts.token}` };

  /** fetch with retries on network errors and 5xx/429; other statuses are returned. */
  const call = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const started = Date.now();
    for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
      try {
        const res = await fetch(`${base}/${path}`, {
          ...init,
          headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        if (res.status < 500 && res.status !== 429) return res;
        if (Date.now() - started > retryForMs) return res;
        await res.body?.cancel();
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        if (Date.now() - started > retryForMs)
          throw new FederatedError(
            `${base}/${path.split('?')[0]}: the server did not answer for ${Math.round(retryForMs / 1000)} s (${(err as Error).message})`,
            { code: 'SERVER_UNREACHABLE', cause: err },
          );
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  };
  const fail = async (what: string, res: Response): Promise<never> => {
    const text = await res.text();
    let message = text.slice(0, 500);
    try {
      message = (JSON.parse(text) as { error?: string; reason?: string }).error ?? (JSON.parse(text) as { reason?: string }).reason ?? message;
    } catch {
      // not JSON: keep the text
    }
    throw new FederatedError(`${what}: HTTP ${res.status}: ${message}`, { code: `HTTP_${res.status}` });
  };

  const reg = await call('clients', { method: 'POST' });
  if (reg.status !== 201) await fail(`registering for job ${opts.job}`, reg);
  const me = (await reg.json()) as Registration;
  const q = `client=${encodeURIComponent(me.clientId)}`;
  log(`registered as ${me.clientId} on shard ${me.shard} (${me.examples} examples); labels ${me.job.labels.join(', ')}`);

  /** A job that ended right after the registration no longer serves shards or IDF weights (409): its assignment says how it ended. */
  const endedEarly = async (what: string, res: Response): Promise<ClientResult> => {
    const r = await call(`assignment?${q}&wait=0`);
    const a = r.ok ? ((await r.json()) as Assignment) : null;
    if (a?.state !== 'done') return fail(what, res);
    await res.body?.cancel();
    log(`job ${a.status}${a.reason ? `: ${a.reason}` : ''}`);
    return { clientId: me.clientId, shard: me.shard, examples: 0, roundsTrained: 0, status: a.status, reason: a.reason };
  };

  let idf: Float32Array | undefined;
  if (me.job.tfidf) {
    const r = await call(`idf?${q}`);
    if (r.status === 409) return endedEarly('downloading the IDF weights', r);
    if (!r.ok) await fail('downloading the IDF weights', r);
    idf = decodeWeights(new Uint8Array(await r.arrayBuffer()), me.job.dimension).weights;
  }
  const shardRes = await call(`shard?${q}`);
  if (shardRes.status === 409) return endedEarly('downloading the shard', shardRes);
  if (!shardRes.ok) await fail('downloading the shard', shardRes);
  const table = tableFromIPC(new Uint8Array(await shardRes.arrayBuffer()));
  const labelIndex = new Map(me.job.labels.map((l, i) => [l, i]));
  const examples: Example[] = [];
  const texts = me.job.textColumn ? table.getChild('text') : null;
  const numeric = me.job.numericColumns.map((c) => table.getChild(c));
  const labels = table.getChild('label');
  const features = { textColumn: me.job.textColumn, numericColumns: me.job.numericColumns, dimension: me.job.dimension };
  for (let i = 0; i < table.numRows; i++) {
    const raw = labels?.get(i);
    const label = me.job.task === 'regression' ? Number(raw) : labelIndex.get(String(raw));
    if (label === undefined || !Number.isFinite(label)) continue;
    const numbers = numeric.map((v) => (v?.get(i) ?? null) as number | null);
    examples.push({ x: featurize(features, me.job.numericStats, texts ? String(texts.get(i) ?? '') : null, numbers, idf), label });
  }
  log(`shard: ${examples.length} rows`);
  const model = textModel(me.job.model, inputDimension(features), me.job.labels.length);
  if (model.size !== me.job.modelSize)
    throw new FederatedError(`job ${opts.job}: the server's model has ${me.job.modelSize} weights, this client builds ${model.size}; update the client`);
  const rng = mulberry32(randomBytes(4).readUInt32LE(0));

  let roundsTrained = 0;
  let refusedRound = '';
  for (;;) {
    const r = await call(`assignment?${q}&wait=${opts.pollSeconds ?? 25}`);
    if (!r.ok) await fail('asking for an assignment', r);
    const a = (await r.json()) as Assignment;
    if (a.state === 'done') {
      log(`job ${a.status}${a.reason ? `: ${a.reason}` : ''}`);
      return { clientId: me.clientId, shard: me.shard, examples: examples.length, roundsTrained, status: a.status, reason: a.reason };
    }
    if (a.state === 'wait') continue;
    const w = await call(`weights?${q}`);
    const round = `${a.round}/${a.attempt}`;
    if ((w.status === 409 || w.status === 403) && refusedRound !== round) {
      // The round closed, or the job ended, between the assignment and this download: the next
      // assignment says what now. A second refusal for the same round is an error, not a loop.
      refusedRound = round;
      await w.body?.cancel();
      continue;
    }
    if (!w.ok) await fail(`downloading the weights of round ${a.round}`, w);
    const global = decodeWeights(new Uint8Array(await w.arrayBuffer()), model.size).weights;
    const t0 = Date.now();
    const { weights, loss } = model.train(global, examples, a.config, rng);
    const body = encodeWeights({ round: a.round, weights, numExamples: examples.length });
    const up = await call(`updates?${q}&round=${a.round}&attempt=${a.attempt}`, {
      method: 'POST',
      body: body as Uint8Array<ArrayBuffer>,
      headers: { 'content-type': 'application/octet-stream', 'x-lumora-loss': String(loss) },
    });
    const verdict = (await up.json().catch(() => ({}))) as { accepted?: boolean; reason?: string; error?: string };
    if (up.status === 200) {
      roundsTrained++;
      log(
        `round ${a.round}${a.attempt > 1 ? ` (attempt ${a.attempt})` : ''}: trained ${examples.length} examples in ${Date.now() - t0} ms, loss ${loss.toFixed(4)}, accepted`,
      );
    } else {
      log(`round ${a.round}: update not taken (HTTP ${up.status}): ${verdict.reason ?? verdict.error ?? 'no reason given'}`);
    }
  }
}
