// Runs a TypeScript worker script from source (tests, `tsx` runs): registers tsx's loader inside
// the worker thread, then imports the script named in workerData. Compiled runs never use this.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsxEntry);
