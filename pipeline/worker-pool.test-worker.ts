/**
 * @module A stand-in worker for worker-pool tests, speaking the pool's protocol: it upper-cases
 * each doc's text, never returns for a doc whose text is `hang`, exits the thread on `crash`, and
 * fails the batch on `throw`. Real stages cannot be made to hang on demand; this can.
 */
import { parentPort } from 'node:worker_threads';
import type { BatchRequest, BatchResponse, WorkerReady } from './stage-worker.js';

parentPort?.on('message', (req: BatchRequest) => {
  if (req.docs.some((d) => d.text === 'hang')) {
    for (;;) {
      // Busy forever, like a regex stuck in catastrophic backtracking: only terminate() stops it.
    }
  }
  if (req.docs.some((d) => d.text === 'crash')) process.exit(3);
  if (req.docs.some((d) => d.text === 'throw')) {
    parentPort?.postMessage({ id: req.id, ok: false, error: 'Error: stage threw' } satisfies BatchResponse);
    return;
  }
  const docs = req.docs.map((d) => ({ ...d, text: d.text.toUpperCase() }));
  const response: BatchResponse = {
    id: req.id,
    ok: true,
    docs,
    stats: { counters: { upper: { total: docs.length, kept: docs.length } }, timeMs: {} },
  };
  parentPort?.postMessage(response);
});
parentPort?.postMessage({ ready: true } satisfies WorkerReady);
