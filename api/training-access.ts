/**
 * @module Who may do what with federated training: a job on a dataset may be created, joined as
 * a client and watched by the dataset's owner and by wallets that bought it; the final model goes
 * to the job's creator and the dataset's owner.
 */
import type { TrainingJob } from '../federated/index.js';
import type { Market } from './market.js';

export async function mayTrainOn(market: Market, wallet: string, datasetId: string): Promise<boolean> {
  const [record] = await market.catalog.getDatasets([datasetId]);
  if (record?.owner === wallet) return true;
  return (await market.store.entitledDatasets(wallet, [datasetId])).has(datasetId);
}

export async function mayWatchJob(market: Market, wallet: string, job: TrainingJob): Promise<boolean> {
  return job.createdBy === wallet || (await mayTrainOn(market, wallet, job.spec.dataset));
}

export async function mayDownloadModel(market: Market, wallet: string, job: TrainingJob): Promise<boolean> {
  if (job.createdBy === wallet) return true;
  const [record] = await market.catalog.getDatasets([job.spec.dataset]);
  return record?.owner === wallet;
}
