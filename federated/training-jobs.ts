/**
 * @module The server's training jobs: created from a spec against the catalog, kept in memory,
 * and saved under `<home>/federated/<job>/` — `job.json` (spec, status, clients, rounds) after every
 * change and `weights.lmw` (the global model, in the wire format) after every aggregated round —
 * so a restarted server resumes each unfinished job from its last completed round.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../catalog/index.js';
import { FederatedError } from './errors.js';
import { checkJobDataset, loadJobData } from './job-data.js';
import { resolveJobSpec, savedJobSpec, type TrainingJobInput } from './job-spec.js';
import { TrainingJob, type JobSnapshot } from './training-job.js';
import { decodeWeights, encodeWeights } from './weights-format.js';

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

  /** Resolves the spec (defaults, checks), reads the dataset's labels and shards, saves and starts the job. */
  async create(input: TrainingJobInput, createdBy: string): Promise<TrainingJob> {
    const spec = resolveJobSpec(input);
    spec.dataset = await checkJobDataset(this.#catalog, spec);
    const data = await loadJobData(this.#catalog, spec);
    const id = `fl-${randomBytes(9).toString('base64url')}`;
    const job = new TrainingJob({ id, spec, createdBy, data, now: this.#now, onSave: (j) => this.#saveLogged(j) });
    this.#jobs.set(id, job);
    this.#save(job);
    job.start();
    return job;
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

  /** Saves from inside a round's timer or a request: a full disk is reported, not thrown into the job. */
  #saveLogged(job: TrainingJob): void {
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
