/**
 * @module Federated training in the API: createTrainingJob (the dataset's owner or a buyer),
 * trainingJob / trainingJobs to follow the rounds (participants, dropouts, rejections, loss,
 * validation accuracy, epsilon spent), the model's signed download link once rounds are done, and
 * deleteTrainingJob (the creator or the owner) to free a job's place in the quotas.
 * The clients themselves speak the HTTP protocol under /fl/jobs (api/routes/federated.ts).
 */
import { CatalogError } from '../../catalog/index.js';
import {
  FederatedError,
  JobQuotaError,
  JobSpecError,
  STRATEGY_NAMES,
  type RoundRecord,
  type TrainingJob,
  type TrainingJobInput,
} from '../../federated/index.js';
import { builder } from '../builder.js';
import type { ApiContext } from '../context.js';
import { InvalidInputError, LimitExceededError, NotAuthorizedError, NotFoundError } from '../errors.js';
import { signLink } from '../signed-links.js';
import { isDatasetOwner, mayManageJob, mayTrainOn, mayWatchJob, weightsFor } from '../access.js';
import { checkWalletRate } from './wallet-rate.js';

const MODEL_LINK_TTL_MS = 15 * 60_000;

const JobStatusEnum = builder.enumType('TrainingJobStatus', {
  values: {
    WAITING: { description: 'Fewer active clients than minClients; rounds start when enough register.' },
    RUNNING: { description: 'A round is open.' },
    COMPLETED: { description: 'Every round was aggregated.' },
    STOPPED: { description: 'Stopped early: the next round would exceed the epsilon budget (or, as clients see it, the job was deleted).' },
    FAILED: { description: 'A round fell short more often than maxRetries allows.' },
  } as const,
});

const RoundStatusEnum = builder.enumType('TrainingRoundStatus', {
  values: {
    OPEN: { description: 'Waiting for the sampled clients until the deadline.' },
    AGGREGATED: { description: 'Enough updates arrived; the global model moved.' },
    SHORT: { description: 'Too many sampled clients dropped out or were rejected; the round is retried, not aggregated.' },
  } as const,
});

const ModelKindEnum = builder.enumType('TrainingModelKind', {
  values: {
    LOGREG: { description: 'Multinomial logistic regression (classification).' },
    MLP: { description: 'One hidden ReLU layer of `hidden` units (classification).' },
    LINREG: { description: 'Linear regression (regression; the default for it).' },
  } as const,
});

const TaskEnum = builder.enumType('TrainingTask', {
  values: {
    CLASSIFICATION: { description: 'Predict the label column’s value among those in the dataset; `accuracy` is the share right.' },
    REGRESSION: { description: 'Predict a numeric label column; `accuracy` is R² and `validationLoss` the mean squared error.' },
  } as const,
});

const KIND_ENUM = { logreg: 'LOGREG', mlp: 'MLP', linreg: 'LINREG' } as const;

const SplitEnum = builder.enumType('DataSplit', {
  values: {
    IID: { description: 'By hash of the row id.' },
    NONIID: { description: 'Label shards: `labelsPerClient` labels per client (the FedAvg paper’s pathological split).' },
    DIRICHLET: { description: 'Label skew drawn from Dirichlet(`alpha`).' },
    DOMAIN: { description: 'Every row of a web domain with one client.' },
  } as const,
});

const RejectionRef = builder.objectRef<{ clientId: string; reason: string }>('TrainingRejection').implement({
  fields: (t) => ({ clientId: t.exposeString('clientId'), reason: t.exposeString('reason') }),
});

const RoundRef = builder.objectRef<RoundRecord>('TrainingRound').implement({
  fields: (t) => ({
    round: t.exposeInt('round'),
    attempt: t.exposeInt('attempt', { description: '1 for the first try; a short round is retried as attempt 2, 3, …' }),
    status: t.field({ type: RoundStatusEnum, resolve: (r) => r.status.toUpperCase() as 'OPEN' | 'AGGREGATED' | 'SHORT' }),
    sampled: t.int({ resolve: (r) => r.sampled.length }),
    participants: t.int({ description: 'Clients whose update was aggregated.', resolve: (r) => r.participants.length }),
    dropouts: t.int({ description: 'Sampled clients that sent nothing before the deadline.', resolve: (r) => r.dropouts.length }),
    rejected: t.field({
      type: [RejectionRef],
      description: 'Updates that failed a check (shape, finite values, norm bound, example count); their clients are flagged.',
      resolve: (r) => r.rejected,
    }),
    loss: t.float({ nullable: true, description: 'Mean training loss the participants reported, weighted by examples.', resolve: (r) => r.trainingLoss }),
    validationLoss: t.float({ nullable: true, resolve: (r) => r.validationLoss }),
    accuracy: t.float({ nullable: true, description: 'On the server’s validation split after aggregation.', resolve: (r) => r.accuracy }),
    epsilon: t.float({ nullable: true, description: 'Epsilon spent so far at the job’s delta; null without DP.', resolve: (r) => r.epsilon }),
    clipNorm: t.float({ nullable: true, description: 'With adaptive clipping: the clip norm the next round uses.', resolve: (r) => r.clipNorm ?? null }),
    startedAt: t.exposeString('startedAt'),
    deadline: t.exposeString('deadline'),
    endedAt: t.string({ nullable: true, resolve: (r) => r.endedAt }),
    note: t.string({ nullable: true, description: 'Why a round was short.', resolve: (r) => r.note }),
  }),
});

const TrainedModelRef = builder.objectRef<{ job: TrainingJob; url: string; expiresAt: Date }>('TrainedModel').implement({
  description: 'The global weights after the last aggregated round, in the LMW1 format (16-byte header, float32 little-endian).',
  fields: (t) => ({
    url: t.string({ description: 'A signed link, valid 15 minutes.', resolve: (m) => m.url }),
    expiresAt: t.string({ resolve: (m) => m.expiresAt.toISOString() }),
    round: t.int({ resolve: (m) => m.job.completedRounds }),
    parameters: t.int({ resolve: (m) => m.job.model.size }),
    labels: t.stringList({ description: 'Class i of the model is labels[i].', resolve: (m) => m.job.summary.labels }),
    dimension: t.int({ resolve: (m) => m.job.spec.dimension }),
    kind: t.field({ type: ModelKindEnum, resolve: (m) => KIND_ENUM[m.job.spec.model.kind] }),
    numericColumns: t.stringList({
      description: 'Inputs after the hashed text buckets, z-scored with numericMeans and numericStds.',
      resolve: (m) => m.job.spec.numericColumns,
    }),
    numericMeans: t.floatList({ resolve: (m) => m.job.summary.stats.means }),
    numericStds: t.floatList({ resolve: (m) => m.job.summary.stats.stds }),
    hidden: t.int({ nullable: true, resolve: (m) => (m.job.spec.model.kind === 'mlp' ? m.job.spec.model.hidden : null) }),
  }),
});

const TrainingJobRef = builder.objectRef<TrainingJob>('TrainingJob').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    datasetId: t.string({ resolve: (j) => j.spec.dataset }),
    task: t.field({ type: TaskEnum, resolve: (j) => (j.spec.task === 'regression' ? 'REGRESSION' : 'CLASSIFICATION') }),
    labelColumn: t.string({ resolve: (j) => j.spec.labelColumn }),
    textColumn: t.string({ nullable: true, resolve: (j) => j.spec.textColumn }),
    numericColumns: t.stringList({ resolve: (j) => j.spec.numericColumns }),
    status: t.field({ type: JobStatusEnum, resolve: (j) => j.status.toUpperCase() as 'WAITING' | 'RUNNING' | 'COMPLETED' | 'STOPPED' | 'FAILED' }),
    statusReason: t.string({ nullable: true, resolve: (j) => j.statusReason }),
    createdBy: t.exposeString('createdBy'),
    createdAt: t.exposeString('createdAt'),
    strategy: t.string({ resolve: (j) => j.spec.strategy }),
    clients: t.int({ description: 'Shards the training rows are split into (one per client).', resolve: (j) => j.spec.clients }),
    plannedRounds: t.int({ resolve: (j) => j.spec.rounds }),
    completedRounds: t.int({ resolve: (j) => j.completedRounds }),
    registeredClients: t.int({ resolve: (j) => j.clients.size }),
    activeClients: t.int({ resolve: (j) => [...j.clients.values()].filter((c) => c.state === 'active').length }),
    flaggedClients: t.int({ resolve: (j) => [...j.clients.values()].filter((c) => c.state === 'flagged').length }),
    maxClientsPerWallet: t.int({ description: 'Active clients one wallet may have in the job.', resolve: (j) => j.spec.maxClientsPerWallet }),
    labels: t.stringList({ resolve: (j) => j.summary.labels }),
    trainRows: t.int({ resolve: (j) => j.summary.trainRows }),
    validationRows: t.int({ resolve: (j) => j.summary.validationRows }),
    accuracy: t.float({
      nullable: true,
      description: 'Validation accuracy after the last aggregated round.',
      resolve: (j) => j.rounds.filter((r) => r.status === 'aggregated').at(-1)?.accuracy ?? null,
    }),
    epsilon: t.float({ nullable: true, resolve: (j) => j.rounds.filter((r) => r.status === 'aggregated').at(-1)?.epsilon ?? (j.spec.dp ? 0 : null) }),
    epsilonBudget: t.float({ nullable: true, resolve: (j) => j.spec.dp?.epsilonBudget ?? null }),
    rounds: t.field({ type: [RoundRef], description: 'Every attempt, oldest first.', complexity: { field: 1, multiplier: 20 }, resolve: (j) => j.rounds }),
    model: t.field({
      type: TrainedModelRef,
      nullable: true,
      description: 'The model’s download link, for the job’s creator and the dataset’s owner; null before the first aggregated round.',
      resolve: async (j, _a, ctx) => {
        if (!ctx.wallet || j.completedRounds === 0) return null;
        const grant = await weightsFor(ctx.market, ctx.wallet, j);
        if (!grant.ok || grant.kind !== 'model') return null;
        const expiresAt = new Date(ctx.market.now().getTime() + MODEL_LINK_TTL_MS);
        const path = `/fl/jobs/${encodeURIComponent(j.id)}/model`;
        return { job: j, url: `${ctx.market.publicUrl}${signLink(ctx.market.keys.downloadKey, { path, buyer: ctx.wallet, expiresAt })}`, expiresAt };
      },
    }),
  }),
});

const DpInput = builder.inputType('DifferentialPrivacyInput', {
  fields: (t) => ({
    noiseMultiplier: t.float({ required: true, description: 'z: Gaussian noise in units of the clip norm.' }),
    clipNorm: t.float({ required: true, description: 'S: each client’s change is clipped to this L2 norm.' }),
    delta: t.float({ required: false, description: 'Default 1e-5.' }),
    epsilonBudget: t.float({ required: false, description: 'The job stops before a round would spend more.' }),
    adaptiveClipping: t.boolean({
      required: false,
      description: 'clipNorm is the starting norm, which then tracks the median update norm (Andrew et al. 2021).',
    }),
  }),
});

const CreateJobInput = builder.inputType('CreateTrainingJobInput', {
  fields: (t) => ({
    datasetId: t.id({ required: true, description: 'A dataset id (slug@v1) or slug (its newest version).' }),
    labelColumn: t.string({ required: true }),
    task: t.field({ type: TaskEnum, required: false, description: 'Default CLASSIFICATION.' }),
    textColumn: t.string({ required: false, description: 'Default "text"; "" for numeric features only.' }),
    numericColumns: t.stringList({ required: false, description: 'Numeric columns used as (z-scored) features.' }),
    clients: t.int({ required: true, description: 'Shards the training rows are split into, one per client.' }),
    rounds: t.int({ required: true }),
    strategy: t.string({ required: false, description: `One of ${STRATEGY_NAMES.join(', ')}. Default fedavg.` }),
    model: t.field({ type: ModelKindEnum, required: false }),
    hidden: t.int({ required: false, description: 'Hidden units of the MLP (default 32).' }),
    dimension: t.int({ required: false, description: 'Hashed feature buckets (default 262144).' }),
    tfidf: t.boolean({ required: false, description: 'TF-IDF weighting of the hashed features.' }),
    split: t.field({ type: SplitEnum, required: false }),
    labelsPerClient: t.int({ required: false }),
    alpha: t.float({ required: false }),
    fraction: t.float({ required: false, description: 'Share of active clients sampled per round (default 1).' }),
    minClients: t.int({ required: false, description: 'Active clients needed to start a round (default min(clients, 2)).' }),
    roundTimeoutSeconds: t.float({ required: false, description: 'Deadline of a round (default 60).' }),
    maxFailureFraction: t.float({ required: false, description: 'Dropouts plus rejections tolerated per round (default 0.3); a round with more is retried.' }),
    maxRetries: t.int({ required: false, description: 'Retries of a short round before the job fails (default 3).' }),
    epochs: t.int({ required: false }),
    batchSize: t.int({ required: false, description: '0 = the whole local shard.' }),
    learningRate: t.float({ required: false }),
    proximalMu: t.float({ required: false, description: 'FedProx μ (fedprox sets its own when 0).' }),
    maxUpdateNorm: t.float({ required: false, description: 'Updates moving the model further (L2) are rejected (default 1000).' }),
    maxClientsPerWallet: t.int({
      required: false,
      description: 'Active clients one wallet may have in the job (default 1); only the dataset’s owner may allow more.',
    }),
    dp: t.field({ type: DpInput, required: false }),
    seed: t.int({ required: false }),
  }),
});

const CreateJobSuccess = builder.objectRef<{ job: TrainingJob }>('CreateTrainingJobSuccess').implement({
  fields: (t) => ({ job: t.field({ type: TrainingJobRef, resolve: (p) => p.job }) }),
});

type CreateArgs = typeof CreateJobInput.$inferInput;

function toJobInput(a: CreateArgs, dataset: string): TrainingJobInput {
  const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
  const input: TrainingJobInput = { dataset, labelColumn: a.labelColumn, clients: a.clients, rounds: a.rounds };
  const set = <K extends keyof TrainingJobInput>(k: K, v: TrainingJobInput[K] | undefined) => {
    if (v !== undefined) input[k] = v;
  };
  set('textColumn', a.textColumn === '' ? null : opt(a.textColumn));
  set('numericColumns', opt(a.numericColumns));
  set('task', a.task === 'REGRESSION' ? 'regression' : a.task === 'CLASSIFICATION' ? 'classification' : undefined);
  set('strategy', opt(a.strategy));
  set(
    'model',
    a.model === 'MLP'
      ? { kind: 'mlp', hidden: opt(a.hidden) ?? 32 }
      : a.model === 'LINREG'
        ? { kind: 'linreg' }
        : a.model === 'LOGREG'
          ? { kind: 'logreg' }
          : undefined,
  );
  set('dimension', opt(a.dimension));
  set('tfidf', opt(a.tfidf));
  set('split', a.split ? (a.split.toLowerCase() as TrainingJobInput['split']) : undefined);
  set('labelsPerClient', opt(a.labelsPerClient));
  set('alpha', opt(a.alpha));
  set('fraction', opt(a.fraction));
  set('minClients', opt(a.minClients));
  if (a.roundTimeoutSeconds != null && !(a.roundTimeoutSeconds >= 0.1 && a.roundTimeoutSeconds <= 86_400)) {
    throw new InvalidInputError(`roundTimeoutSeconds: must be from 0.1 to 86400, got ${a.roundTimeoutSeconds}`, 'roundTimeoutSeconds');
  }
  set('roundTimeoutMs', a.roundTimeoutSeconds == null ? undefined : Math.round(a.roundTimeoutSeconds * 1000));
  set('maxFailureFraction', opt(a.maxFailureFraction));
  set('maxRetries', opt(a.maxRetries));
  set('maxUpdateNorm', opt(a.maxUpdateNorm));
  set('maxClientsPerWallet', opt(a.maxClientsPerWallet));
  set('seed', opt(a.seed));
  const local: NonNullable<TrainingJobInput['local']> = {};
  if (a.epochs != null) local.epochs = a.epochs;
  if (a.batchSize != null) local.batchSize = a.batchSize;
  if (a.learningRate != null) local.learningRate = a.learningRate;
  if (a.proximalMu != null) local.proximalMu = a.proximalMu;
  input.local = local;
  if (a.dp)
    input.dp = {
      noiseMultiplier: a.dp.noiseMultiplier,
      clipNorm: a.dp.clipNorm,
      ...(a.dp.delta != null ? { delta: a.dp.delta } : {}),
      epsilonBudget: a.dp.epsilonBudget ?? null,
      adaptive: a.dp.adaptiveClipping ?? false,
    };
  return input;
}

/**
 * The CreateTrainingJobInput field behind `path` in a TrainingJobInput, the inverse of `toJobInput`:
 * local training settings and the MLP's `hidden` are flat here, the deadline is in seconds.
 */
function inputField(path: readonly PropertyKey[]): string {
  const [head, sub] = path.map(String);
  if (head === 'local' && sub !== undefined) return sub;
  if (head === 'model') return sub === 'hidden' ? 'hidden' : 'model';
  if (head === 'dp' && sub === 'adaptive') return 'dp.adaptiveClipping';
  if (head === 'roundTimeoutMs') return 'roundTimeoutSeconds';
  if (head === 'dataset') return 'datasetId';
  return path.map(String).join('.') || 'input';
}

async function createJob(ctx: ApiContext, a: CreateArgs): Promise<{ job: TrainingJob }> {
  const wallet = ctx.wallet as string;
  checkWalletRate(ctx);
  let datasetId: string;
  try {
    datasetId = (await ctx.market.catalog.getDataset(String(a.datasetId))).id;
  } catch (err) {
    if (err instanceof CatalogError && err.code === 'DATASET_NOT_FOUND') throw new NotFoundError(`dataset ${String(a.datasetId).slice(0, 200)} not found`);
    throw err;
  }
  if (!(await mayTrainOn(ctx.market, wallet, datasetId)))
    throw new NotAuthorizedError(`wallet ${wallet} neither owns nor bought ${datasetId}; only they may train on it`);
  // One wallet with several clients could hold every shard and outvote the rest: the owner's call.
  if (a.maxClientsPerWallet != null && a.maxClientsPerWallet > 1 && !(await isDatasetOwner(ctx.market, wallet, datasetId))) {
    throw new InvalidInputError(`maxClientsPerWallet: only the owner of ${datasetId} may allow more than one client per wallet`, 'maxClientsPerWallet');
  }
  try {
    return { job: await ctx.market.jobs.create(toJobInput(a, datasetId), wallet, ctx.market.config) };
  } catch (err) {
    if (err instanceof JobQuotaError) throw new LimitExceededError(err.message, err.limit);
    if (err instanceof JobSpecError) throw new InvalidInputError(err.message, inputField(err.path));
    if (err instanceof FederatedError && (err.code === 'INVALID_ARGUMENT' || err.code === 'NOT_FOUND')) throw new InvalidInputError(err.message, 'input');
    throw err;
  }
}

builder.mutationField('createTrainingJob', (t) =>
  t.field({
    type: CreateJobSuccess,
    description:
      'Starts a federated training job on a dataset you own or bought. Clients join with `lumora fl client --server URL --job ID`. Past the server’s quotas it is refused, naming the limit and how to free a place: LimitExceededError for unfinished jobs per wallet, jobs kept per wallet (finished ones included) and the memory of unfinished jobs’ data (training row ids, validation features) per wallet and in all; InvalidInputError on dimension for model bytes per wallet and in all.',
    errors: {
      types: [NotAuthorizedError, NotFoundError, InvalidInputError, LimitExceededError],
      directResult: true,
      union: { name: 'CreateTrainingJobResult' },
    },
    authScopes: { signedIn: true },
    args: { input: t.arg({ type: CreateJobInput, required: true }) },
    resolve: (_root, { input }, ctx) => createJob(ctx, input),
  }),
);

const DeleteJobSuccess = builder.objectRef<{ id: string }>('DeleteTrainingJobSuccess').implement({
  fields: (t) => ({ id: t.exposeID('id', { description: 'The deleted job.' }) }),
});

async function deleteJob(ctx: ApiContext, id: string): Promise<{ id: string }> {
  const wallet = ctx.wallet as string;
  checkWalletRate(ctx);
  const job = ctx.market.jobs.get(id);
  // A job the wallet may not see does not exist for it.
  if (!job || !(await mayWatchJob(ctx.market, wallet, job))) throw new NotFoundError(`no training job ${id.slice(0, 80)}`);
  if (!(await mayManageJob(ctx.market, wallet, job)))
    throw new NotAuthorizedError(`wallet ${wallet} neither created job ${job.id} nor owns ${job.spec.dataset}; only they may delete it`);
  ctx.market.jobs.delete(job.id);
  return { id: job.id };
}

builder.mutationField('deleteTrainingJob', (t) =>
  t.field({
    type: DeleteJobSuccess,
    description:
      'Stops a training job (its clients are told) and removes it with its saved state and model, freeing its place in the quotas; for the job’s creator and the dataset’s owner. Download the model first.',
    errors: { types: [NotAuthorizedError, NotFoundError], directResult: true, union: { name: 'DeleteTrainingJobResult' } },
    authScopes: { signedIn: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => deleteJob(ctx, String(id)),
  }),
);

builder.queryField('trainingJob', (t) =>
  t.field({
    type: TrainingJobRef,
    nullable: true,
    description: 'A training job, for its creator, the dataset’s owner and its buyers; null otherwise.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const job = ctx.market.jobs.get(String(id));
      return job && ctx.wallet && (await mayWatchJob(ctx.market, ctx.wallet, job)) ? job : null;
    },
  }),
);

builder.queryField('trainingJobs', (t) =>
  t.field({
    type: [TrainingJobRef],
    description: 'Training jobs the signed-in wallet may see, newest first; `datasetId` narrows to one dataset.',
    complexity: { field: 5, multiplier: 20 },
    args: { datasetId: t.arg.id({ required: false }) },
    resolve: async (_root, { datasetId }, ctx) => {
      const wallet = ctx.wallet;
      if (!wallet) return [];
      const jobs = ctx.market.jobs
        .list()
        .filter((j) => datasetId == null || j.spec.dataset === String(datasetId) || j.spec.dataset.split('@')[0] === String(datasetId));
      const visible = await Promise.all(jobs.map((j) => mayWatchJob(ctx.market, wallet, j)));
      return jobs.filter((_, i) => visible[i]).slice(0, 100);
    },
  }),
);
