/**
 * @module Who may do what with federated training: a job on a dataset may be created, joined as
 * a client and watched by the dataset's owner and by wallets that bought it; only the owner may
 * let one wallet run several clients in a job; the model goes to the job's creator and the
 * dataset's owner, who may also delete the job. `weightsFor` is the one rule for every place that
 * serves a job's weights (GraphQL's model link, the signed model route, the clients' weights route).
 */
import type { TrainingJob } from '../federated/index.js';
import type { Market } from './market.js';

export async function isDatasetOwner(market: Market, wallet: string, datasetId: string): Promise<boolean> {
  const [record] = await market.catalog.getDatasets([datasetId]);
  return record?.owner === wallet;
}

export async function mayTrainOn(market: Market, wallet: string, datasetId: string): Promise<boolean> {
  if (await isDatasetOwner(market, wallet, datasetId)) return true;
  return (await market.store.entitledDatasets(wallet, [datasetId])).has(datasetId);
}

export async function mayWatchJob(market: Market, wallet: string, job: TrainingJob): Promise<boolean> {
  return job.createdBy === wallet || (await mayTrainOn(market, wallet, job.spec.dataset));
}

/** The job's creator and the dataset's owner: they may have the model (the global weights at any time, the final ones once done) and delete the job. */
export async function mayManageJob(market: Market, wallet: string, job: TrainingJob): Promise<boolean> {
  return job.createdBy === wallet || (await isDatasetOwner(market, wallet, job.spec.dataset));
}

/** What a request may receive: the model, the weights one client trains its round from, or nothing and why (403: never; 409: not now). */
export type WeightsGrant = { ok: true; kind: 'model' | 'round'; round: number; weights: Float32Array } | { ok: false; status: 403 | 409; reason: string };

/**
 * The weights `wallet` may receive from `job`, asking as `clientId` (a client it registered) or
 * as itself. The creator and the owner get the model. Anyone else gets only what a client needs:
 * the global weights of the open round it is sampled for, until it answers — never the aggregate
 * of the last round, never after the job ended, and never once the client was flagged or dropped.
 */
export async function weightsFor(market: Market, wallet: string, job: TrainingJob, clientId: string | null = null): Promise<WeightsGrant> {
  if (await mayManageJob(market, wallet, job)) return { ok: true, kind: 'model', round: job.completedRounds, weights: job.weights };
  const client = clientId === null ? undefined : job.clients.get(clientId);
  if (!client || client.wallet !== wallet) return { ok: false, status: 403, reason: `the model of job ${job.id} goes to its creator and the dataset's owner only` };
  const round = job.trainingRound(client.id);
  // The weights a round starts from are the aggregate of the rounds before it.
  if (round) return { ok: true, kind: 'round', round: round.round - 1, weights: job.weights };
  if (job.finished) return { ok: false, status: 403, reason: `job ${job.id} is ${job.status}; its model goes to its creator and the dataset's owner only` };
  if (client.state === 'flagged') return { ok: false, status: 403, reason: `client ${client.id} was flagged (${client.flagReason}); it gets no more weights` };
  return { ok: false, status: 409, reason: `client ${client.id} has no round of job ${job.id} to train now; ask /assignment, and fetch the weights when it says "train"` };
}
