/**
 * @module The server's training jobs: created from a spec against the catalog, kept in memory,
 * and saved under `<home>/federated/<job>/` — `job.json` (spec, status, clients, rounds) after every
 * change and `weights.lmw` (the global model, in the wire format) after every aggregated round —
 * so a restarted server resumes each unfinished job from its last completed round. Creation is
 * bounded by quotas counted over the jobs kept (so they hold across a restart); deleting a job
 * frees its share.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../catalog/index.js';
import { FederatedError } from './errors.js';
import { checkJobDataset, loadJobData } from './job-data.js';
import { resolveJobSpec, savedJobSpec, type TrainingJobInput } from './job-spec.js';
import { jobModel, TrainingJob, type JobSnapshot } from './training-job.js';
import { decodeWeights, encodeWeights } from './weights-format.js';

/** What one wallet and the whole server may hold in training jobs (the server's settings of the same names). */
export interface JobQuotas {
  /** Unfinished (waiting or running) jobs one wallet created. */
  maxTrainingJobsPerWallet: number;
  /** Model bytes (4 per weight) of the jobs one wallet created that the server keeps, finished ones too. */
  maxTrainingModelBytesPerWallet: number;
  /** Model bytes of every job the server keeps: each is held in memory, saved under the home and reloaded at start. */
  maxTrainingModelBytes: number;
}

/** A byte quota: the job's field to change is its size (dimension, hidden), so it is an invalid argument. */
function tooManyBytes(message: string): FederatedError {
  return new FederatedError(message, { code: 'INVALID_ARGUMENT' });
}

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

  private constructor(dir: string, catalog: Catalog, now: () => Date, onError: (what: string, err: unknown) => void) {
    this.#dir = dir;
    this.#catalog = catalog;
    this.#now = now;
    this.#onError = onError;
  }

  /** Loads the saved jobs under `home` and starts the unfinished ones. A job that cannot load is reported through `onError` and skipped. */
  static async open(opts: { home: string; catalog: Catalog; now?: () => Date; onError?: (jobDir: string, err: unknown) => void }): Promise<TrainingJobs> {
    const jobs = new TrainingJobs(join(opts.home, 'federated'), opts.catalog, opts.now ?? (() => new Date()), opts.onError ?? (() => undefined));
    if (!existsSync(jobs.#dir)) return jobs;
    for (const name of readdirSync(jobs.#dir)) {
      const dir = join(jobs.#dir, name);
      try {
        if (!existsSync(join(dir, 'job.json'))) continue;
        const saved = JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8')) as JobSnapshot;
        const snapshot = { ...saved, spec: savedJobSpec(saved.spec) };
        const data = await loadJobData(opts.catalog, snapshot.spec);
        const weights = decodeWeights(new Uint8Array(readFileSync(join(dir, 'weights.lmw')))).weights;
        const job = new TrainingJob({ id: snapshot.id, spec: snapshot.spec, createdBy: snapshot.createdBy, data, now: jobs.#now, restore: { snapshot, weights }, onSave: (j) => jobs.#saveLogged(j) });
        jobs.#jobs.set(job.id, job);
        jobs.#savedRounds.set(job.id, job.completedRounds);
        job.start();
      } catch (err) {
        jobs.#onError(dir, err);
      }
    }
    return jobs;
  }

  /**
   * Resolves the spec (defaults, checks), reads the dataset's labels and shards, saves and starts
   * the job — if `createdBy` and the server stay within `quotas`: else TOO_MANY_JOBS, or
   * INVALID_ARGUMENT on `dimension` for model bytes, each naming the limit.
   */
  async create(input: TrainingJobInput, createdBy: string, quotas: JobQuotas): Promise<TrainingJob> {
    const spec = resolveJobSpec(input);
    this.#checkJobCount(createdBy, quotas);
    spec.dataset = await checkJobDataset(this.#catalog, spec);
    const data = await loadJobData(this.#catalog, spec);
    // Checked again after the reads, in the same tick as the insert below: concurrent creations cannot both pass.
    this.#checkJobCount(createdBy, quotas);
    this.#checkModelBytes(createdBy, 4 * jobModel(spec, data).size, quotas);
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
    const unfinished = [...this.#jobs.values()].filter((j) => j.createdBy === wallet && !j.finished).length;
    if (unfinished >= quotas.maxTrainingJobsPerWallet) {
      throw new FederatedError(`wallet ${wallet} has ${unfinished} unfinished training jobs, the most one wallet may have (maxTrainingJobsPerWallet = ${quotas.maxTrainingJobsPerWallet}); let one finish or delete it (deleteTrainingJob)`, { code: 'TOO_MANY_JOBS' });
    }
  }

  #checkModelBytes(wallet: string, modelBytes: number, quotas: JobQuotas): void {
    const bytes = (j: TrainingJob) => 4 * j.model.size;
    const all = [...this.#jobs.values()];
    const own = all.filter((j) => j.createdBy === wallet).reduce((sum, j) => sum + bytes(j), 0) + modelBytes;
    if (own > quotas.maxTrainingModelBytesPerWallet) {
      throw tooManyBytes(`dimension: the model's ${modelBytes} bytes would bring the models of wallet ${wallet} to ${own} bytes, above maxTrainingModelBytesPerWallet = ${quotas.maxTrainingModelBytesPerWallet}; lower dimension or hidden, or delete a job (deleteTrainingJob)`);
    }
    const total = all.reduce((sum, j) => sum + bytes(j), 0) + modelBytes;
    if (total > quotas.maxTrainingModelBytes) {
      throw tooManyBytes(`dimension: the model's ${modelBytes} bytes would bring the server's training models to ${total} bytes, above maxTrainingModelBytes = ${quotas.maxTrainingModelBytes}; lower dimension or hidden, or ask the operator to raise the limit`);
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
    try {
      mkdirSync(dir, { recursive: true });
      if (this.#savedRounds.get(job.id) !== job.completedRounds || !existsSync(join(dir, 'weights.lmw'))) {
        writeAtomic(join(dir, 'weights.lmw'), encodeWeights({ round: job.completedRounds, weights: job.weights, numExamples: 0 }));
        this.#savedRounds.set(job.id, job.completedRounds);
      }
      writeAtomic(join(dir, 'job.json'), JSON.stringify(job.snapshot()));
    } catch (err) {
      throw new FederatedError(`job ${job.id}: could not save to ${dir}: ${(err as Error).message}`, { cause: err });
    }
  }
}
