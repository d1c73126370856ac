import { parentPort } from 'node:worker_threads';
import { analyzeInput, type AnalyzeJob } from './analyze-input.js';

/** Runs one bundle analysis per message; the main thread keeps only the small result. */
parentPort?.on('message', (job: AnalyzeJob) => {
  analyzeInput(job).then(
    (result) => parentPort?.postMessage({ ok: true, result }),
    (error: unknown) => parentPort?.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
