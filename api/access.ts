/**
 * @module Who may see, change, download and train on a dataset, and what a training job's wallets
 * may do: the one place every resolver and route asks.
 *
 * - **See** a dataset: anyone, unless it is a draft (its owner only). Listing drafts or delisted
 *   datasets: the owner, filtering by their own wallet. A delisted dataset stays visible by id.
 * - **Change** a listing: the wallet the catalog records as the owner.
 * - **Download** (files, manifest, Arrow stream) and **train on** a dataset: its owner and the
 *   wallets that bought it (an entitlement from a paid order, kept after the dataset is delisted).
 *   A download link is signed for such a wallet and works for whoever holds it until it expires.
 * - **Private columns**: never in a preview, for anyone (`Catalog.previewRows` leaves them out);
 *   whoever may download gets them, as the files hold them.
 * - **Training jobs**: created, joined as a client and watched by whoever may train on the
 *   dataset, and watched by the job's creator; several clients per wallet only with the owner's
 *   leave; the model goes to the creator and the owner, who may also delete the job. `weightsFor`
 *   is the one rule for every place that serves a job's weights (GraphQL's model link, the signed
 *   model route, the clients' weights route).
 */
import type { DatasetRecord, ListingStatus } from '../catalog/index.js';
import type { TrainingJob } from '../federated/index.js';
import type { Market } from './market.js';
import { verifyLink, type LinkCheck } from './signed-links.js';

/** Drafts are their owner's business only. */
export function visibleTo(d: DatasetRecord, wallet: string | null): boolean {
  return d.status !== 'draft' || d.owner === wallet;
}

/** Whether a search may list these statuses: anything but `listed` only for the owner, filtering by their own wallet. */
export function mayListStatuses(statuses: readonly ListingStatus[], wallet: string | null, ownerFilter: string | null | undefined): boolean {
  return statuses.every((s) => s === 'listed') || (wallet !== null && ownerFilter === wallet);
}

/** Whether `wallet` may change the listing of `d`, and why not. */
export function mayChangeListing(d: DatasetRecord, wallet: string | null): { ok: true } | { ok: false; reason: string } {
  if (d.owner === null) return { ok: false, reason: `dataset ${d.id} has no owner wallet; set one with: lumora publish DIR --owner ADDRESS` };
  if (d.owner !== wallet) return { ok: false, reason: `dataset ${d.id} belongs to another wallet; only its owner may change its listing` };
  return { ok: true };
}

/** Whether `wallet` may download each dataset (its owner, or it bought it), in input order: one call per GraphQL dataloader batch. */
export async function mayDownload(market: Market, wallet: string | null, datasetIds: readonly string[]): Promise<boolean[]> {
  if (!wallet) return datasetIds.map(() => false);
  const records = await market.catalog.getDatasets([...datasetIds]);
  const bought = await market.store.entitledDatasets(wallet, datasetIds);
  return datasetIds.map((id, i) => bought.has(id) || records[i]?.owner === wallet);
}

/** The wallet a download or model link was signed for, if the link in `url` is signed, unchanged and unexpired. */
export function checkSignedLink(market: Market, url: URL): LinkCheck {
  return verifyLink(market.keys.downloadKey, url.pathname, url.searchParams, market.now());
}

export async function isDatasetOwner(market: Market, wallet: string, datasetId: string): Promise<boolean> {
  const [record] = await market.catalog.getDatasets([datasetId]);
  return record?.owner === wallet;
}

/** Training on a dataset is open to whoever may download it. */
export async function mayTrainOn(market: Market, wallet: string, datasetId: string): Promise<boolean> {
  const [may] = await mayDownload(market, wallet, [datasetId]);
  return may === true;
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
  if (!client || client.wallet !== wallet)
    return { ok: false, status: 403, reason: `the model of job ${job.id} goes to its creator and the dataset's owner only` };
  const round = job.trainingRound(client.id);
  // The weights a round starts from are the aggregate of the rounds before it.
  if (round) return { ok: true, kind: 'round', round: round.round - 1, weights: job.weights };
  if (job.finished) return { ok: false, status: 403, reason: `job ${job.id} is ${job.status}; its model goes to its creator and the dataset's owner only` };
  if (client.state === 'flagged') return { ok: false, status: 403, reason: `client ${client.id} was flagged (${client.flagReason}); it gets no more weights` };
  return {
    ok: false,
    status: 409,
    reason: `client ${client.id} has no round of job ${job.id} to train now; ask /assignment, and fetch the weights when it says "train"`,
  };
}
