/**
 * @module A training job's specification as one zod schema: which dataset and columns, the
 * features and model, how rows are split among clients, the round rules (sampling fraction,
 * minimum clients, deadline, tolerated failures, retries), the local training settings, the
 * strategy and the privacy settings. The input and spec types are inferred from it;
 * `resolveJobSpec` fills defaults and rejects a bad field with a `JobSpecError` whose `path` is the
 * field's and whose message starts with its name.
 */
import { z } from 'zod';
import { DEFAULT_DIMENSION } from '../data/hashed-features.js';
import { JobSpecError } from '../errors.js';
import type { ModelSpec } from '../models/text-model.js';
import { RdpAccountant } from '../privacy/rdp-accountant.js';
import { roundConflict } from '../rounds/round-engine.js';
import { STRATEGY_NAMES } from '../strategies/strategy-registry.js';

const got = (iss: { input?: unknown }) => `got ${String(iss.input)}`;

/** An integer in [min, max]; anything else, a non-number included, fails with the one message. */
function wholeNumber(min: number, max: number) {
  const error = (iss: { input?: unknown }) => `must be a whole number from ${min} to ${max}, ${got(iss)}`;
  return z.number({ error }).refine((v) => Number.isInteger(v) && v >= min && v <= max, { error });
}

/** A finite number in [min, max], or (min, max] with `openMin`. */
function boundedNumber(min: number, max: number, openMin = false) {
  const error = (iss: { input?: unknown }) => `must be a number ${openMin ? '>' : '≥'} ${min} and ≤ ${max}, ${got(iss)}`;
  return z.number({ error }).refine((v) => v >= min && v <= max && !(openMin && v === min), { error });
}

/** In (0, 1): (ε, δ)-DP with δ = 1 says nothing, and the accountant refuses it. */
const probability = z
  .number({ error: (iss) => `must be a number > 0 and < 1, ${got(iss)}` })
  .refine((v) => v > 0 && v < 1, { error: (iss) => `must be a number > 0 and < 1, ${got(iss)}` });

const SPLITS = ['iid', 'noniid', 'dirichlet', 'domain'] as const;

const modelSchema = z.discriminatedUnion(
  'kind',
  [z.object({ kind: z.literal('logreg') }), z.object({ kind: z.literal('mlp'), hidden: wholeNumber(1, 4096) }), z.object({ kind: z.literal('linreg') })],
  { error: (iss) => `must be logreg, mlp or linreg, got ${JSON.stringify((iss.input as { kind?: unknown } | undefined)?.kind)}` },
) satisfies z.ZodType<ModelSpec>;

const dpSchema = z.object({
  /** z: noise standard deviation in units of the clip norm. */
  noiseMultiplier: boundedNumber(0, 1000, true),
  /** S: the L2 bound of one client's change. */
  clipNorm: boundedNumber(0, 1e6, true),
  delta: probability.default(1e-5),
  /** The job stops before a round that would spend more than this epsilon; null = report only. */
  epsilonBudget: boundedNumber(0, 1e6, true)
    .nullish()
    .transform((v) => v ?? null),
  /** Adaptive clipping (Andrew et al. 2021): `clipNorm` is the starting norm, which then tracks the median update norm. */
  adaptive: z.boolean().default(false),
});

const localSchema = z.object({
  epochs: wholeNumber(1, 1000).default(1),
  /** 0 = the whole local shard (B = ∞). */
  batchSize: wholeNumber(0, 1_000_000).default(10),
  learningRate: boundedNumber(0, 1000, true).default(0.5),
  /** FedProx's μ; fedprox sets its own when 0. */
  proximalMu: boundedNumber(0, 1000).default(0),
});

/**
 * A job's fields, each with its default and bounds. `minClients` and `maxClientsPerWallet` are
 * bounded by `clients`, and the rules between fields (model and split against the task, DP
 * against the strategy, the epsilon budget against one round) are checked once the fields parse.
 */
const jobFields = z.object({
  /** The dataset version, `slug@vN`. */
  dataset: z.string(),
  /** Classification of the label's values, or regression on a numeric label. */
  task: z.enum(['classification', 'regression'], { error: (iss) => `"${String(iss.input)}" must be classification or regression` }).default('classification'),
  /** The text column hashed into features; null for numeric features only. */
  textColumn: z.string().nullable().default('text'),
  /** Numeric columns appended as z-scored features. */
  numericColumns: z.array(z.string()).default([]),
  labelColumn: z.string(),
  /** Hashed word and bigram buckets. */
  dimension: wholeNumber(16, 1 << 24).default(DEFAULT_DIMENSION),
  /** Scale each hashed feature by its inverse document frequency (computed by the server over the training rows and sent to every client). */
  tfidf: z.boolean().default(false),
  /** Default: linreg for regression, logreg for classification. */
  model: modelSchema.optional(),
  split: z.enum(SPLITS, { error: (iss) => `"${String(iss.input)}" must be iid, noniid, dirichlet or domain` }).default('iid'),
  labelsPerClient: wholeNumber(1, 10_000).default(2),
  alpha: boundedNumber(0, 1e6, true).default(0.5),
  /** How many shards the training rows are split into: one per client. */
  clients: wholeNumber(1, 10_000),
  rounds: wholeNumber(1, 100_000),
  /** Share of the active clients sampled per round (C). */
  fraction: boundedNumber(0, 1, true).default(1),
  /** A round starts only with this many active clients, and samples at least this many; from 1 to `clients`, default min(clients, 2). */
  minClients: z.number({ error: (iss) => `must be a whole number, ${got(iss)}` }).optional(),
  roundTimeoutMs: wholeNumber(100, 86_400_000).default(60_000),
  /** Share of a round's sampled clients that may drop out or be rejected before the round is retried. */
  maxFailureFraction: boundedNumber(0, 1).default(0.3),
  /** Attempts of one round after the first before the job fails. */
  maxRetries: wholeNumber(0, 100).default(3),
  local: localSchema.prefault({}),
  strategy: z
    .string()
    .refine((s) => STRATEGY_NAMES.includes(s), { error: (iss) => `"${String(iss.input)}" is not one of ${STRATEGY_NAMES.join(', ')}` })
    .default('fedavg'),
  /** Updates that move the model further (L2) are rejected. */
  maxUpdateNorm: boundedNumber(0, Number.MAX_VALUE, true).default(1000),
  /** Active clients one wallet may have in the job, from 1 to `clients`; more than 1 only if the dataset's owner allows it. */
  maxClientsPerWallet: z.number({ error: (iss) => `must be a whole number, ${got(iss)}` }).default(1),
  dp: dpSchema.nullish().transform((v) => v ?? null),
  seed: wholeNumber(0, 2 ** 31).default(1),
});

type JobFields = z.output<typeof jobFields>;

/** The spec: every field resolved, the model and `minClients` defaults filled from the other fields. */
export const trainingJobSchema = jobFields.transform((f, ctx) => {
  const fail = (path: Array<string | number>, message: string) => {
    ctx.issues.push({ code: 'custom', path, message, input: f });
    return z.NEVER;
  };
  const model: ModelSpec = f.model ?? (f.task === 'regression' ? { kind: 'linreg' } : { kind: 'logreg' });
  if (f.task === 'classification' && model.kind === 'linreg') return fail(['model'], 'a classification job trains logreg or mlp');
  if (f.task === 'regression' && model.kind !== 'linreg') return fail(['model'], 'a regression job trains linreg (linear regression)');
  if (f.task === 'regression' && (f.split === 'noniid' || f.split === 'dirichlet'))
    return fail(['split'], `${f.split} splits by class label; a regression job splits iid or by domain`);
  if (f.textColumn === null && f.numericColumns.length === 0) return fail(['numericColumns'], 'give a text column, numeric columns, or both');
  const minClients = f.minClients ?? Math.min(f.clients, 2);
  if (!wholeNumber(1, f.clients).safeParse(minClients).success) return fail(['minClients'], `must be a whole number from 1 to ${f.clients}, got ${minClients}`);
  const conflict = f.dp ? roundConflict({ strategy: f.strategy, dp: true, secureAggregation: false }) : null;
  if (conflict) return fail([conflict.option], conflict.reason);
  if (!wholeNumber(1, f.clients).safeParse(f.maxClientsPerWallet).success)
    return fail(['maxClientsPerWallet'], `must be a whole number from 1 to ${f.clients}, got ${f.maxClientsPerWallet}`);
  const spec = { ...f, model, minClients };
  const overBudget = spec.dp && epsilonBudgetProblem(spec, spec.dp);
  if (overBudget) return fail(['dp', 'epsilonBudget'], overBudget);
  return spec;
});

/** What a caller gives: the required fields, and any of the others. */
export type TrainingJobInput = z.input<typeof trainingJobSchema>;
export type TrainingJobSpec = z.output<typeof trainingJobSchema>;
export type DpSpec = z.output<typeof dpSchema>;
export type SplitKind = (typeof SPLITS)[number];

/** The field name a message starts with: the path, with local training's fields and the MLP's `hidden` spelled flat, as the API spells them. */
function fieldName(path: readonly PropertyKey[]): string {
  const flat = (path[0] === 'local' && path.length > 1) || (path[0] === 'model' && path[1] === 'hidden');
  return (flat ? path.slice(1) : path).map(String).join('.');
}

/** The spec for `input`, defaults filled; throws a JobSpecError on the first field that breaks a rule. */
export function resolveJobSpec(input: TrainingJobInput): TrainingJobSpec {
  const parsed = trainingJobSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as (typeof parsed.error.issues)[number];
  throw new JobSpecError(`${fieldName(issue.path)}: ${issue.message}`, issue.path);
}

/** Clients a round samples when `active` clients are active: a fraction C of them, at least `minClients`. */
export function sampleSize(spec: Pick<TrainingJobSpec, 'fraction' | 'minClients'>, active: number): number {
  return Math.min(active, Math.max(spec.minClients, Math.ceil(spec.fraction * active)));
}

/**
 * A budget that one round already exceeds would stop the job before its first round: refused,
 * with that round's epsilon (RDP accountant, at the sampling rate of a round with every shard's
 * client active).
 */
function epsilonBudgetProblem(spec: Pick<JobFields, 'fraction' | 'clients'> & { minClients: number }, dp: DpSpec): string | null {
  if (dp.epsilonBudget === null) return null;
  const sampled = sampleSize(spec, spec.clients);
  const accountant = new RdpAccountant();
  accountant.step({ noiseMultiplier: dp.noiseMultiplier, sampleRate: sampled / spec.clients });
  const epsilon = accountant.getEpsilon(dp.delta);
  if (epsilon <= dp.epsilonBudget) return null;
  return `one round spends epsilon ${epsilon.toPrecision(4)} (noise multiplier ${dp.noiseMultiplier}, ${sampled} of ${spec.clients} clients sampled, delta ${dp.delta}), more than the budget ${dp.epsilonBudget}; raise the budget or the noise multiplier, or sample fewer clients`;
}

/** A spec read back from a saved job: fields added since it was saved take their defaults. */
export function savedJobSpec(saved: TrainingJobSpec): TrainingJobSpec {
  return { ...saved, maxClientsPerWallet: saved.maxClientsPerWallet ?? 1 };
}
