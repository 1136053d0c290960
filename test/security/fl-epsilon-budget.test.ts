/**
 * Issue 11, medium: a job whose epsilon budget is smaller than what one round spends was
 * created, waited for clients, and then stopped before its first round. Now createTrainingJob
 * refuses it, with the one round's epsilon (the RDP accountant's, for the job's noise multiplier,
 * sampling rate and delta) in the message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RdpAccountant } from '../../federated/index.js';
import { createJob, startFlMarket, type FlMarket, type Wallet } from './fl-helpers.js';

let fl: FlMarket;
let buyer: Wallet;

beforeAll(async () => {
  fl = await startFlMarket({ buyers: 1 });
  [buyer] = fl.buyers as [Wallet];
}, 120_000);

afterAll(async () => {
  await fl?.close();
});

function oneRoundEpsilon(noiseMultiplier: number, sampleRate: number, delta: number): number {
  const accountant = new RdpAccountant();
  accountant.step({ noiseMultiplier, sampleRate });
  return accountant.getEpsilon(delta);
}

describe('an epsilon budget smaller than one round', () => {
  it("refuses the job at creation, giving one round's epsilon", async () => {
    // 4 shards, C = 0.5: a round samples 2 clients, a sampling rate of 0.5.
    const epsilon = oneRoundEpsilon(0.8, 0.5, 1e-6);
    const budget = Number((epsilon * 0.9).toFixed(3));
    const created = await createJob(fl, buyer, {
      clients: 4,
      rounds: 10,
      fraction: 0.5,
      minClients: 1,
      dp: { noiseMultiplier: 0.8, clipNorm: 1, delta: 1e-6, epsilonBudget: budget },
    });
    expect(created).toMatchObject({ __typename: 'InvalidInputError', field: 'dp.epsilonBudget' });
    expect(created.message).toBe(
      `dp.epsilonBudget: one round spends epsilon ${epsilon.toPrecision(4)} (noise multiplier 0.8, 2 of 4 clients sampled, delta ${1e-6}), more than the budget ${budget}; raise the budget or the noise multiplier, or sample fewer clients`,
    );
    expect(fl.server.market.jobs.list()).toEqual([]);
  });

  it('takes a budget that one round fits', async () => {
    const epsilon = oneRoundEpsilon(0.8, 0.5, 1e-6);
    const created = await createJob(fl, buyer, {
      clients: 4,
      rounds: 10,
      fraction: 0.5,
      minClients: 1,
      dp: { noiseMultiplier: 0.8, clipNorm: 1, delta: 1e-6, epsilonBudget: epsilon * 1.01 },
    });
    expect(created.__typename).toBe('CreateTrainingJobSuccess');
  });
});
