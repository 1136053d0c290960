/**
 * @module The server's training jobs: created from a spec against the catalog, kept in memory,
 * and saved under `<home>/federated/<job>/` — `job.json` (spec, status, data summary, clients,
 * rounds) after every change and `weights.lmw` (the global model, in the wire format) after every
 * aggregated round — so a restarted server resumes each unfinished job from its last completed
 * round. Only an unfinished job holds its dataset-sized data (row ids, validation features), read
 * again from the catalog at start; a finished one keeps its summary, rounds and model. Creation is
 * bounded by quotas counted over the jobs kept (so they hold across a restart): jobs per wallet,
 * unfinished and in all, and the bytes of models and of data; deleting a job frees its share. A
 * job's saved record is bounded too: a job whose clients and rounds outgrow it is stopped.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../../catalog/index.js';
import { FederatedError, JobQuotaError, JobSpecError } from '../errors.js';
import { checkJobDataset, loadJobData, type JobData } from './job-data.js';
import { resolveJobSpec, savedJobSpec, type TrainingJobInput } from './job-spec.js';
import { jobModel, TrainingJob, type JobSnapshot } from './training-job.js';
import { decodeWeights, encodeWeights } from './weights-format.js';

/** What one wallet and the whole server may hold in training jobs (the server's settings of the same names). */
export interface JobQuotas {
  /** Unfinished (waiting or running) jobs one wallet created. */
  maxTrainingJobsPerWallet: number;
  /** Jobs one wallet created that the server keeps, finished ones included (each is saved under the home and reloaded at start). */
  maxKeptTrainingJobsPerWallet: number;
  /** Estimated bytes of dataset-sized data (row ids, validation features, IDF) the unfinished jobs of one wallet hold. */
  maxTrainingDataBytesPerWallet: number;
  /** The same over every unfinished job of the server. */
  maxTrainingDataBytes: number;
  /** Model bytes (4 per weight) of the jobs one wallet created that the server keeps, finished ones too. */
  maxTrainingModelBytesPerWallet: number;
  /** Model bytes of every job the server keeps: each is held in memory, saved under the home and reloaded at start. */
  maxTrainingModelBytes: number;
}

/** A byte quota: the job's field to change is its size (dimension, hidden), so it is an invalid argument. */
function tooManyBytes(message: string): JobSpecError {
  return new JobSpecError(message, ['dimension']);
}

/**
 * The most bytes of `job.json` the server keeps for one job. Its clients and rounds grow with
 * every registration and attempt (a tiny model trained by a fast client of its own adds a round
 * every few milliseconds), and the file is rewritten after every change and read back at start:
 * without a bound, one job's record and the cost of every save grow without end. 4 MiB holds about
 * 11,000 rounds of a one-client job (380 bytes a round), or 800 of a job sampling 100 clients a round.
 */
export const MAX_JOB_RECORD_BYTES = 4 << 20;

function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

export class TrainingJobs {
  readonly #jobs = new Map<string, TrainingJob>();
  readonly #dir: string;
  readonly #catalog: Catalog;
  readonly #now: () => Date;
  /** Completed rounds last written per job, so weights are written once per round. */
  readonly #savedRounds = new Map<string, number>();
  readonly #onError: (what: string, err: unknown) => void;
  readonly #maxRecordBytes: number;

  private constructor(dir: string, catalog: Catalog, now: () => Date, onError: (what: string, err: unknown) => void, maxRecordBytes: number) {
    this.#dir = dir;
    this.#catalog = catalog;
    this.#now = now;
    this.#onError = onError;
    this.#maxRecordBytes = maxRecordBytes;
  }

  /**
   * Loads the saved jobs under `home` and starts the unfinished ones; only those read their data
   * from the catalog. A job that cannot load is reported through `onError` and skipped.
   * `maxRecordBytes` (default MAX_JOB_RECORD_BYTES) bounds each job's saved record.
   */
  static async open(opts: {
    home: string;
    catalog: Catalog;
    now?: () => Date;
    onError?: (jobDir: string, err: unknown) => void;
    maxRecordBytes?: number;
  }): Promise<TrainingJobs> {
    const jobs = new TrainingJobs(
      join(opts.home, 'federated'),
      opts.catalog,
      opts.now ?? (() => new Date()),
      opts.onError ?? (() => undefined),
      opts.maxRecordBytes ?? MAX_JOB_RECORD_BYTES,
    );
    if (!existsSync(jobs.#dir)) return jobs;
    for (const name of readdirSync(jobs.#dir)) {
      const dir = join(jobs.#dir, name);
      try {
        if (!existsSync(join(dir, 'job.json'))) continue;
        const saved = JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8')) as JobSnapshot;
        const snapshot = { ...saved, spec: savedJobSpec(saved.spec) };
        const finished = snapshot.status === 'completed' || snapshot.status === 'stopped' || snapshot.status === 'failed';
        // A finished job serves its status, rounds and model from its summary; one saved before the summary was kept reads its data once, to save it.
        const data = finished && snapshot.summary ? undefined : await loadJobData(opts.catalog, snapshot.spec);
        const weights = decodeWeights(new Uint8Array(readFileSync(join(dir, 'weights.lmw')))).weights;
        const job = new TrainingJob({
          id: snapshot.id,
          spec: snapshot.spec,
          createdBy: snapshot.createdBy,
          ...(data ? { data } : {}),
          now: jobs.#now,
          restore: { snapshot, weights },
          onSave: (j) => jobs.#saveLogged(j),
        });
        jobs.#jobs.set(job.id, job);
        jobs.#savedRounds.set(job.id, job.completedRounds);
        if (!snapshot.summary) jobs.#saveLogged(job);
        job.start();
      } catch (err) {
        jobs.#onError(dir, err);
      }
    }
    return jobs;
  }

  /**
   * Resolves the spec (defaults, checks), reads the dataset's labels and shards, saves and starts
   * the job — if `createdBy` and the server stay within `quotas`: else JobQuotaError for the
   * counts of jobs and the bytes of data, or INVALID_ARGUMENT on `dimension` for model bytes,
   * each naming the limit and how to free a place.
   */
  async create(input: TrainingJobInput, createdBy: string, quotas: JobQuotas): Promise<TrainingJob> {
    const spec = resolveJobSpec(input);
    this.#checkJobCount(createdBy, quotas);
    spec.dataset = await checkJobDataset(this.#catalog, spec);
    const data = await loadJobData(this.#catalog, spec);
    // Checked again after the reads, in the same tick as the insert below: concurrent creations cannot both pass.
    this.#checkJobCount(createdBy, quotas);
    this.#checkModelBytes(createdBy, 4 * jobModel(spec, data).size, quotas);
    this.#checkDataBytes(createdBy, spec.dataset, data, quotas);
    const id = `fl-${randomBytes(9).toString('base64url')}`;
    const job = new TrainingJob({ id, spec, createdBy, data, now: this.#now, onSave: (j) => this.#saveLogged(j) });
    this.#jobs.set(id, job);
    this.#save(job);
    job.start();
    return job;
  }

  /** Stops a job (its clients are told), forgets it and removes its saved state; false when there is no such job. */
  delete(id: string): boolean {
    const job = this.#jobs.get(id);
    if (!job) return false;
    // Files first: if they cannot go, the job stays as it was rather than coming back at the next start.
    rmSync(join(this.#dir, id), { recursive: true, force: true });
    this.#jobs.delete(id);
    this.#savedRounds.delete(id);
    job.stop('the job was deleted');
    job.close();
    return true;
  }

  get(id: string): TrainingJob | undefined {
    return this.#jobs.get(id);
  }

  /** Newest first. */
  list(): TrainingJob[] {
    return [...this.#jobs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  close(): void {
    for (const job of this.#jobs.values()) job.close();
  }

  #checkJobCount(wallet: string, quotas: JobQuotas): void {
    const own = [...this.#jobs.values()].filter((j) => j.createdBy === wallet);
    const unfinished = own.filter((j) => !j.finished).length;
    if (unfinished >= quotas.maxTrainingJobsPerWallet) {
      throw new JobQuotaError(
        `wallet ${wallet} has ${unfinished} unfinished training jobs, the most one wallet may have (maxTrainingJobsPerWallet = ${quotas.maxTrainingJobsPerWallet}); let one finish or delete it (deleteTrainingJob)`,
        'maxTrainingJobsPerWallet',
        quotas.maxTrainingJobsPerWallet,
      );
    }
    if (own.length >= quotas.maxKeptTrainingJobsPerWallet) {
      throw new JobQuotaError(
        `wallet ${wallet} has ${own.length} training jobs on this server, finished ones included, the most one wallet may keep (maxKeptTrainingJobsPerWallet = ${quotas.maxKeptTrainingJobsPerWallet}); download the model of a finished job and delete it (deleteTrainingJob)`,
        'maxKeptTrainingJobsPerWallet',
        quotas.maxKeptTrainingJobsPerWallet,
      );
    }
  }

  /** The dataset-sized data of unfinished jobs: a finished job holds none, so finishing or deleting a job frees its share. */
  #checkDataBytes(wallet: string, dataset: string, data: JobData, quotas: JobQuotas): void {
    const what = `dataset ${dataset}: the job's data (the ids of ${data.trainRows} training rows and the features of ${data.validationRows} validation rows${data.idf ? ', the IDF weights' : ''}) holds about ${data.sizeBytes} bytes of memory while it runs`;
    const { own, total } = this.#bytesWith(wallet, (j) => j.data?.sizeBytes ?? 0, data.sizeBytes);
    if (own > quotas.maxTrainingDataBytesPerWallet) {
      throw new JobQuotaError(
        `${what}, which would bring the unfinished jobs of wallet ${wallet} to ${own} bytes, above maxTrainingDataBytesPerWallet = ${quotas.maxTrainingDataBytesPerWallet}; let one finish or delete it (deleteTrainingJob)`,
        'maxTrainingDataBytesPerWallet',
        quotas.maxTrainingDataBytesPerWallet,
      );
    }
    if (total > quotas.maxTrainingDataBytes) {
      throw new JobQuotaError(
        `${what}, which would bring the server's unfinished training jobs to ${total} bytes, above maxTrainingDataBytes = ${quotas.maxTrainingDataBytes}; wait for a job to finish, or ask the operator to raise the limit`,
        'maxTrainingDataBytes',
        quotas.maxTrainingDataBytes,
      );
    }
  }

  /** What `measure` counts over the jobs `wallet` created and over every job kept, each with `added` for the job being created. */
  #bytesWith(wallet: string, measure: (job: TrainingJob) => number, added: number): { own: number; total: number } {
    let own = added;
    let total = added;
    for (const job of this.#jobs.values()) {
      const bytes = measure(job);
      total += bytes;
      if (job.createdBy === wallet) own += bytes;
    }
    return { own, total };
  }

  #checkModelBytes(wallet: string, modelBytes: number, quotas: JobQuotas): void {
    const { own, total } = this.#bytesWith(wallet, (j) => 4 * j.model.size, modelBytes);
    if (own > quotas.maxTrainingModelBytesPerWallet) {
      throw tooManyBytes(
        `dimension: the model's ${modelBytes} bytes would bring the models of wallet ${wallet} to ${own} bytes, above maxTrainingModelBytesPerWallet = ${quotas.maxTrainingModelBytesPerWallet}; lower dimension or hidden, or delete a job (deleteTrainingJob)`,
      );
    }
    if (total > quotas.maxTrainingModelBytes) {
      throw tooManyBytes(
        `dimension: the model's ${modelBytes} bytes would bring the server's training models to ${total} bytes, above maxTrainingModelBytes = ${quotas.maxTrainingModelBytes}; lower dimension or hidden, or ask the operator to raise the limit`,
      );
    }
  }

  /** Saves from inside a round's timer or a request: a full disk is reported, not thrown into the job. A deleted job is not saved. */
  #saveLogged(job: TrainingJob): void {
    if (this.#jobs.get(job.id) !== job) return;
    try {
      this.#save(job);
    } catch (err) {
      this.#onError(`job ${job.id}`, err);
    }
  }

  #save(job: TrainingJob): void {
    const dir = join(this.#dir, job.id);
    const record = JSON.stringify(job.snapshot());
    if (!job.finished && Buffer.byteLength(record) > this.#maxRecordBytes) {
      // Stopping saves the job again, finished: its record stays within a few hundred bytes of the bound.
      job.stop(
        `its record (clients and rounds) reached ${Buffer.byteLength(record)} bytes, the most the server keeps for one job (${this.#maxRecordBytes}); create a new job to train further`,
      );
      return;
    }
    try {
      mkdirSync(dir, { recursive: true });
      if (this.#savedRounds.get(job.id) !== job.completedRounds || !existsSync(join(dir, 'weights.lmw'))) {
        writeAtomic(join(dir, 'weights.lmw'), encodeWeights({ round: job.completedRounds, weights: job.weights, numExamples: 0 }));
        this.#savedRounds.set(job.id, job.completedRounds);
      }
      writeAtomic(join(dir, 'job.json'), record);
    } catch (err) {
      throw new FederatedError(`job ${job.id}: could not save to ${dir}: ${(err as Error).message}`, { cause: err });
    }
  }
}
