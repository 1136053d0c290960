/**
 * @module The federated client protocol under /fl/jobs/<job>/…, every call with
 * `Authorization: Bearer TOKEN` (a session from signIn) of a wallet that owns or bought the
 * job's dataset, and `client=<id>` once registered:
 *
 *   POST clients                → 201 {clientId, shard, examples, job: {task, labels, textColumn, numericColumns, numericStats, dimension, model, …}};
 *                                 409 {code: JOB_FULL | WALLET_LIMIT | JOB_FINISHED}, 403 {code: WALLET_FLAGGED}
 *   GET  shard?client=          → this client's rows (id, text, numeric columns, label) as an Arrow IPC stream;
 *                                 409 {code: JOB_FINISHED} once the job ended
 *   GET  idf?client=            → TF-IDF weights (LMW1) when the job uses them; 409 {code: JOB_FINISHED} once it ended
 *   GET  assignment?client=&wait=S → {state: train|wait|done, …}; waits up to S (≤ 30) seconds for a change
 *   GET  events?client=         → the same assignments as server-sent events
 *   GET  weights?client=        → the global weights of the round the client is sampled for (LMW1: header + float32 LE);
 *                                 409 when it has no round to train now, 403 once the job ended or the client was flagged
 *   POST updates?client=&round=&attempt= (body LMW1 with the example count; header x-lumora-loss)
 *                               → 200 {accepted: true} | 409 late | 422 {reason} (the client is flagged)
 *   GET  model (signed link from GraphQL TrainingJob.model.url) → the current global weights (LMW1), for the
 *                                 job's creator and the dataset's owner (api/access.ts decides every weights request)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { RecordBatchStreamWriter } from 'apache-arrow';
import { encodeWeights, decodeWeights, FederatedError, shardBatches, type Assignment, type TrainingJob } from '../../federated/index.js';
import { checkSignedLink, mayTrainOn, weightsFor } from '../access.js';
import type { Market } from '../market.js';
import { bearerWallet, decodePath, readBytes, sendJson } from './http.js';

const MAX_WAIT_S = 30;
const SSE_HEARTBEAT_MS = 15_000;

function sendWeights(res: ServerResponse, round: number, weights: Float32Array, name: string): void {
  const body = encodeWeights({ round, weights, numExamples: 0 });
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': body.length,
    'content-disposition': `attachment; filename="${name}"`,
    'cache-control': 'private, no-store',
  });
  res.end(body);
}

/** A finished job lets go of its dataset-sized data (federated/jobs/job-data.ts), so its clients' shards and IDF weights are no longer served. */
function finishedAnswer(job: TrainingJob, what: string) {
  return { error: `job ${job.id} is ${job.status}; it serves no more ${what}`, code: 'JOB_FINISHED' };
}

/** Resolves with the client's assignment once it is not "wait", or after `ms`, or when the request closes. */
function nextAssignment(job: TrainingJob, clientId: string, ms: number, req: IncomingMessage): Promise<Assignment> {
  const first = job.assignment(clientId);
  if (first.state !== 'wait' || ms <= 0) return Promise.resolve(first);
  return new Promise((resolve) => {
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      off();
      req.off('close', finish);
      resolve(job.assignment(clientId));
    };
    const off = job.onChange(() => {
      // Peek without side effects: assignment() only changes a dropped client, and this one is polling.
      if (!settled && job.assignment(clientId).state !== 'wait') finish();
    });
    const timer = setTimeout(finish, ms);
    req.on('close', finish);
  });
}

async function streamEvents(job: TrainingJob, clientId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  let last = '';
  const send = () => {
    const a = job.assignment(clientId);
    const text = JSON.stringify(a);
    if (text !== last) {
      last = text;
      res.write(`event: assignment\ndata: ${text}\n\n`);
    }
    if (a.state === 'done') stop();
  };
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
  const off = job.onChange(send);
  const stop = () => {
    clearInterval(heartbeat);
    off();
    res.end();
  };
  req.on('close', stop);
  send();
  await once(res, 'close');
}

export async function handleFederated(market: Market, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const parts = url.pathname.split('/'); // ['', 'fl', 'jobs', id, action]
  if (parts.length !== 5 || parts[2] !== 'jobs')
    return sendJson(res, 404, { error: `no route for ${url.pathname}; see /fl/jobs/<job>/{clients,shard,assignment,events,weights,updates,model}` });
  const jobId = decodePath(parts[3] as string);
  const action = parts[4] as string;
  if (jobId === null) return sendJson(res, 400, { error: 'the job id in the path is not valid percent-encoding' });
  const job = market.jobs.get(jobId);
  if (!job) return sendJson(res, 404, { error: `no training job ${jobId.slice(0, 80)}` });

  if (action === 'model') {
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'GET' });
    const check = checkSignedLink(market, url);
    if (!check.ok) return sendJson(res, check.status, { error: `${url.pathname}: ${check.reason}` });
    // The link names the wallet it was made for; that wallet must still be one the model goes to.
    const grant = await weightsFor(market, check.buyer, job);
    if (!grant.ok || grant.kind !== 'model')
      return sendJson(res, 403, {
        error: `${url.pathname}: ${grant.ok ? `the model of job ${job.id} goes to its creator and the dataset's owner only` : grant.reason}`,
      });
    return sendWeights(res, grant.round, grant.weights, `${job.id}-round-${grant.round}.lmw`);
  }

  const wallet = bearerWallet(market, req);
  if (!wallet) return sendJson(res, 401, { error: 'sign in first: send Authorization: Bearer TOKEN (Mutation.signIn)' });
  if (action === 'clients') {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST to register a client' });
    if (!(await mayTrainOn(market, wallet, job.spec.dataset)))
      return sendJson(res, 403, { error: `wallet ${wallet} neither owns nor bought ${job.spec.dataset}; buy it to train on it` });
    try {
      const client = job.register(wallet);
      const { spec, summary } = job;
      return sendJson(res, 201, {
        clientId: client.id,
        shard: client.shard,
        examples: summary.shardSizes[client.shard],
        job: {
          id: job.id,
          dataset: spec.dataset,
          task: spec.task,
          textColumn: spec.textColumn,
          numericColumns: spec.numericColumns,
          numericStats: summary.stats,
          labelColumn: spec.labelColumn,
          labels: summary.labels,
          dimension: spec.dimension,
          tfidf: spec.tfidf,
          model: spec.model,
          modelSize: job.model.size,
          rounds: spec.rounds,
        },
      });
    } catch (err) {
      // A flagged wallet is refused for good; a full job or a wallet at its client limit may have room later.
      if (err instanceof FederatedError) return sendJson(res, err.code === 'WALLET_FLAGGED' ? 403 : 409, { error: err.message, code: err.code });
      throw err;
    }
  }

  const clientId = url.searchParams.get('client') ?? '';
  let client;
  try {
    client = job.client(clientId, wallet);
  } catch (err) {
    return sendJson(res, 403, { error: (err as Error).message });
  }

  switch (action) {
    case 'shard': {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'GET' });
      const data = job.data;
      if (!data) return sendJson(res, 409, finishedAnswer(job, 'shards'));
      res.writeHead(200, { 'content-type': 'application/vnd.apache.arrow.stream', 'cache-control': 'private, no-store' });
      const writer = new RecordBatchStreamWriter();
      const sent = pipeline(writer.toNodeStream(), res);
      for await (const batch of shardBatches(market.catalog, job.spec, data, client.shard)) {
        writer.write(batch);
        if (res.writableNeedDrain) await once(res, 'drain');
      }
      writer.finish();
      return sent;
    }
    case 'idf': {
      if (!job.spec.tfidf) return sendJson(res, 404, { error: `job ${job.id} does not use TF-IDF weighting` });
      const idf = job.data?.idf;
      if (!idf) return sendJson(res, 409, finishedAnswer(job, 'IDF weights'));
      return sendWeights(res, 0, idf, `${job.id}-idf.lmw`);
    }
    case 'assignment': {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'GET' });
      const wait = Number(url.searchParams.get('wait') ?? 0);
      if (!Number.isFinite(wait) || wait < 0)
        return sendJson(res, 400, { error: `wait "${url.searchParams.get('wait')?.slice(0, 20)}" is not a number of seconds` });
      const a = await nextAssignment(job, clientId, Math.min(wait, MAX_WAIT_S) * 1000, req);
      if (!res.destroyed) sendJson(res, 200, a);
      return;
    }
    case 'events':
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'GET' });
      return streamEvents(job, clientId, req, res);
    case 'weights': {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'GET' });
      const grant = await weightsFor(market, wallet, job, client.id);
      if (!grant.ok) return sendJson(res, grant.status, { error: grant.reason });
      return sendWeights(res, grant.round, grant.weights, `${job.id}-round-${grant.round}.lmw`);
    }
    case 'updates': {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST an LMW1 body' });
      const round = Number(url.searchParams.get('round'));
      const attempt = Number(url.searchParams.get('attempt'));
      const loss = Number(req.headers['x-lumora-loss']);
      if (!Number.isInteger(round) || !Number.isInteger(attempt))
        return sendJson(res, 400, { error: 'round and attempt must be whole numbers (from the assignment)' });
      if (req.headers['x-lumora-loss'] === undefined || !(loss >= 0 && loss <= 1e9))
        return sendJson(res, 400, { error: 'x-lumora-loss must be the mean training loss, a number from 0 to 1e9' });
      const body = await readBytes(req, 16 + 4 * job.model.size);
      if (body === null) return sendJson(res, 413, { error: `the update is larger than the model's ${16 + 4 * job.model.size} bytes` });
      let message;
      try {
        message = decodeWeights(body, job.model.size);
      } catch (err) {
        return sendJson(res, 400, { error: (err as Error).message });
      }
      const result = job.submit(clientId, round, attempt, { weights: message.weights, numExamples: message.numExamples, loss });
      if (result.accepted) return sendJson(res, 200, result);
      return sendJson(res, result.status === 'late' ? 409 : 422, result);
    }
    default:
      return sendJson(res, 404, {
        error: `no action ${action.slice(0, 40)} for a training job; see /fl/jobs/<job>/{clients,shard,assignment,events,weights,updates,model}`,
      });
  }
}
