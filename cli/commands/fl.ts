/**
 * @module `lumora fl simulate`: federated training on a catalog dataset in one process — the
 * dataset's rows split among simulated clients, a strategy, optional byzantine clients and
 * client-level DP — printing accuracy, loss, clients and epsilon per round.
 */
import { Command, InvalidArgumentError } from 'commander';
import { Catalog } from '../../catalog/index.js';
import { readFileSync } from 'node:fs';
import { createKeyPairSignerFromBytes, getBase58Decoder, signBytes } from '@solana/kit';
import {
  createStrategy,
  FederatedError,
  readSimulationRows,
  roundConflict,
  runFederatedClient,
  runSimulation,
  STRATEGY_NAMES,
  type RoundConflict,
  type SimulationRow,
} from '../../federated/index.js';
import { DEFAULT_HOME } from '../options.js';
import { UsageError } from '../usage-error.js';

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} "${v}" is not a positive integer.`);
  return n;
};
const nonNegativeInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} "${v}" is not a non-negative integer.`);
  return n;
};
const nonNegative = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} "${v}" is not a non-negative number.`);
  return n;
};

/** The flags behind an option `roundConflict` refuses. */
const CONFLICT_FLAGS: Record<RoundConflict['option'], string> = { dp: '--dp-noise/--dp-clip', secureAggregation: '--secagg' };

interface SimulateFlags {
  home: string;
  dataset: string;
  label: string;
  textColumn: string;
  clients: number;
  rounds: number;
  strategy: string;
  split: string;
  labelsPerClient: number;
  alpha: number;
  fraction: number;
  epochs: number;
  batchSize: number;
  lr: number;
  byzantine: number;
  secagg?: boolean;
  dpNoise?: number;
  dpClip?: number;
  dpDelta: number;
  dpAdaptive?: boolean;
  seed: number;
  model: string;
  hidden: number;
  dimension: number;
  tfidf?: boolean;
  json?: boolean;
}

interface ClientFlags {
  server: string;
  job: string;
  token?: string;
  keypair?: string;
  pollSeconds: number;
  json?: boolean;
}

/** Signs in with a solana-keygen keypair file (64-byte JSON array) over the GraphQL API. */
async function signInWithKeypair(server: string, file: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(raw) || raw.length !== 64 || !raw.every((b) => Number.isInteger(b) && b >= 0 && b <= 255))
      throw new Error('expected a JSON array of 64 bytes (solana-keygen format)');
    bytes = Uint8Array.from(raw as number[]);
  } catch (err) {
    throw new UsageError(`--keypair ${file}: ${(err as Error).message}`);
  }
  const signer = await createKeyPairSignerFromBytes(bytes);
  const gql = async <T>(query: string, variables: Record<string, string>): Promise<T> => {
    const res = await fetch(`${server.replace(/\/$/, '')}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
    if (!body.data) throw new UsageError(`sign-in at ${server}: ${body.errors?.[0]?.message ?? `HTTP ${res.status}`}`);
    return body.data;
  };
  const { requestSignIn } = await gql<{ requestSignIn: { message: string } }>('mutation($a: String!) { requestSignIn(address: $a) { message } }', {
    a: signer.address,
  });
  const signature = getBase58Decoder().decode(await signBytes(signer.keyPair.privateKey, new TextEncoder().encode(requestSignIn.message)));
  const { signIn } = await gql<{ signIn: { token?: string; message?: string } }>(
    'mutation($a: String!, $m: String!, $s: String!) { signIn(address: $a, message: $m, signature: $s) { ... on SignInSuccess { token } ... on Error { message } } }',
    { a: signer.address, m: requestSignIn.message, s: signature },
  );
  if (!signIn.token) throw new UsageError(`sign-in at ${server} as ${signer.address}: ${signIn.message ?? 'refused'}`);
  return signIn.token;
}

async function readRows(home: string, dataset: string, textColumn: string, label: string): Promise<SimulationRow[]> {
  const catalog = await Catalog.open({ home, readOnly: true });
  try {
    return (await readSimulationRows(catalog, dataset, { textColumn, labelColumn: label })).rows;
  } catch (err) {
    if (err instanceof FederatedError) throw new UsageError(err.message);
    throw err;
  } finally {
    catalog.close();
  }
}

export function flCommand(): Command {
  const fl = new Command('fl').description('Federated learning on catalog datasets.');
  fl.addCommand(
    new Command('simulate')
      .description('Train a text classifier with federated learning among simulated clients, in one process.')
      .requiredOption('--dataset <id>', 'dataset id (slug@v1) or slug')
      .requiredOption('--label <column>', 'the label column, e.g. lang')
      .option('--home <dir>', 'data home holding catalog.duckdb (env LUMORA_HOME)', DEFAULT_HOME)
      .option('--text-column <column>', 'the text column', 'text')
      .option('--clients <n>', 'simulated clients', positiveInt('--clients'), 10)
      .option('--rounds <n>', 'rounds', positiveInt('--rounds'), 5)
      .option('--strategy <name>', STRATEGY_NAMES.join('|'), 'fedavg')
      .option('--split <kind>', 'iid (by hash of the row id), noniid (label shards), dirichlet (label skew) or domain (one client per web domain)', 'iid')
      .option('--labels-per-client <k>', 'label shards per client with --split noniid', positiveInt('--labels-per-client'), 2)
      .option('--alpha <a>', 'Dirichlet concentration with --split dirichlet (smaller = more skewed)', nonNegative('--alpha'), 0.5)
      .option('--fraction <c>', 'share of clients sampled per round', nonNegative('--fraction'), 1)
      .option('--epochs <e>', 'local epochs', positiveInt('--epochs'), 1)
      .option('--batch-size <b>', 'local batch size; 0 = whole local dataset', nonNegativeInt('--batch-size'), 10)
      .option('--lr <rate>', 'local learning rate', nonNegative('--lr'), 0.5)
      .option('--byzantine <fraction>', 'share of clients per round sending sign-flipped x10 updates', nonNegative('--byzantine'), 0)
      .option('--secagg', 'secure aggregation: the server sees only the sum of masked updates (fedavg or fedprox)')
      .option('--dp-noise <z>', 'client-level DP: noise multiplier', nonNegative('--dp-noise'))
      .option('--dp-clip <s>', 'client-level DP: L2 clip norm of a client update', nonNegative('--dp-clip'))
      .option('--dp-delta <d>', 'delta for the reported epsilon', nonNegative('--dp-delta'), 1e-5)
      .option('--dp-adaptive', 'adaptive clipping: --dp-clip is the starting norm, which then tracks the median update norm (Andrew et al. 2021)')
      .option('--model <kind>', 'logreg (multinomial logistic regression) or mlp (one hidden layer)', 'logreg')
      .option('--hidden <n>', 'hidden units of the mlp', positiveInt('--hidden'), 32)
      .option('--dimension <n>', 'hashed feature buckets (words and bigrams)', positiveInt('--dimension'), 1 << 18)
      .option('--tfidf', 'TF-IDF weighting of the hashed features')
      .option('--seed <n>', 'random seed', positiveInt('--seed'), 1)
      .option('--json', 'print {"rounds": [{round, accuracy, loss, clients, epsilon}], "final": {accuracy}}')
      .action(async (o: SimulateFlags) => {
        if (!STRATEGY_NAMES.includes(o.strategy)) throw new UsageError(`--strategy "${o.strategy}" is not one of ${STRATEGY_NAMES.join(', ')}`);
        if (!['iid', 'noniid', 'dirichlet', 'domain'].includes(o.split)) throw new UsageError(`--split "${o.split}" must be iid, noniid, dirichlet or domain`);
        if (o.model !== 'logreg' && o.model !== 'mlp') throw new UsageError(`--model "${o.model}" must be logreg or mlp`);
        if ((o.dpNoise === undefined) !== (o.dpClip === undefined)) throw new UsageError('--dp-noise and --dp-clip go together');
        if (o.dpAdaptive && o.dpClip === undefined) throw new UsageError('--dp-adaptive needs --dp-noise and --dp-clip (the starting clip norm)');
        // The same rule as a training job's spec: DP and secure aggregation need a mean-based strategy.
        const conflict = roundConflict({ strategy: o.strategy, dp: o.dpNoise !== undefined, secureAggregation: o.secagg === true });
        if (conflict) throw new UsageError(`${CONFLICT_FLAGS[conflict.option]}: ${conflict.reason}`);
        const rows = await readRows(o.home, o.dataset, o.textColumn, o.label);
        let result;
        try {
          result = runSimulation({
            rows,
            clients: o.clients,
            rounds: o.rounds,
            strategy: createStrategy(o.strategy, { byzantineClients: Math.floor(o.byzantine * Math.max(1, Math.round(o.fraction * o.clients))) }),
            split: o.split as 'iid' | 'noniid' | 'dirichlet' | 'domain',
            labelsPerClient: o.labelsPerClient,
            alpha: o.alpha,
            fraction: o.fraction,
            local: { epochs: o.epochs, batchSize: o.batchSize, learningRate: o.lr },
            byzantine: o.byzantine,
            dimension: o.dimension,
            tfidf: o.tfidf === true,
            model: o.model === 'mlp' ? { kind: 'mlp', hidden: o.hidden } : { kind: 'logreg' },
            ...(o.dpNoise !== undefined && o.dpClip !== undefined
              ? { dp: { noiseMultiplier: o.dpNoise, clipNorm: o.dpClip, delta: o.dpDelta, ...(o.dpAdaptive ? { adaptive: {} } : {}) } }
              : {}),
            ...(o.secagg ? { secureAggregation: {} } : {}),
            seed: o.seed,
          });
        } catch (err) {
          if (err instanceof FederatedError) throw new UsageError(`fl simulate on ${o.dataset}: ${err.message}`);
          throw err;
        }
        if (o.json) {
          process.stdout.write(`${JSON.stringify({ rounds: result.rounds, final: result.final })}\n`);
          return;
        }
        process.stdout.write(
          `${o.dataset}: ${result.trainRows} training rows among ${o.clients} clients (${o.split}), ${result.validationRows} held out; labels ${result.labels.join(', ')}\n`,
        );
        process.stdout.write(`round  accuracy  loss    clients  epsilon${o.dpAdaptive ? '  clip norm' : ''}\n`);
        for (const r of result.rounds) {
          const clip = r.clipNorm === undefined ? '' : `  ${r.clipNorm.toFixed(4).padStart(9)}`;
          process.stdout.write(
            `${String(r.round).padStart(5)}  ${r.accuracy.toFixed(3).padStart(8)}  ${r.loss.toFixed(3).padStart(6)}  ${String(r.clients).padStart(7)}  ${(r.epsilon === null ? '-' : r.epsilon.toFixed(2)).padStart(7)}${clip}\n`,
          );
        }
      }),
  );
  fl.addCommand(
    new Command('client')
      .description('Join a training job on a Lumora server as a client: fetch your shard, train each round you are sampled for, upload the update.')
      .requiredOption('--server <url>', 'the server, e.g. http://127.0.0.1:4000')
      .requiredOption('--job <id>', 'the training job id (from createTrainingJob)')
      .option('--token <token>', 'a session token from Mutation.signIn (env LUMORA_TOKEN)')
      .option('--keypair <file>', 'sign in with this solana-keygen keypair file instead of a token')
      .option('--poll-seconds <s>', 'how long each assignment poll waits', positiveInt('--poll-seconds'), 25)
      .option('--json', 'print {clientId, shard, examples, roundsTrained, status, reason} at the end (progress goes to stderr)')
      .action(async (o: ClientFlags) => {
        const token = o.token ?? process.env.LUMORA_TOKEN ?? (o.keypair ? await signInWithKeypair(o.server, o.keypair) : undefined);
        if (!token) throw new UsageError('give --token TOKEN, set LUMORA_TOKEN, or --keypair FILE to sign in');
        const out = o.json ? process.stderr : process.stdout;
        let result;
        try {
          result = await runFederatedClient({ server: o.server, job: o.job, token, pollSeconds: o.pollSeconds, log: (line) => out.write(`${line}\n`) });
        } catch (err) {
          if (err instanceof FederatedError) throw new UsageError(`fl client for job ${o.job}: ${err.message}`);
          throw err;
        }
        if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        if (result.status === 'failed' || result.reason?.startsWith('this client was flagged')) process.exitCode = 1;
      }),
  );
  return fl;
}
