import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../version.js';
import type { AnalyzeJob } from './analyze-input.js';
import type { BundleResult } from './types.js';

type Reply = { ok: true; result: BundleResult } | { ok: false; error: string };

/** N worker threads, each analysing one bundle at a time; memory stays bounded by N, whatever the bundle count. */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: ((worker: Worker) => void)[] = [];
  private readonly workers: Worker[] = [];

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(join(PACKAGE_ROOT, 'dist/batch/batch-worker.js'));
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  async run(job: AnalyzeJob): Promise<BundleResult> {
    const worker = this.idle.pop() ?? (await new Promise<Worker>((resolve) => this.waiting.push(resolve)));
    try {
      const reply = await new Promise<Reply>((resolve, reject) => {
        const onError = (error: Error): void => reject(error);
        worker.once('error', onError);
        worker.once('message', (message: Reply) => {
          worker.off('error', onError);
          resolve(message);
        });
        worker.postMessage(job);
      });
      if (!reply.ok) throw new Error(reply.error);
      return reply.result;
    } finally {
      const next = this.waiting.shift();
      if (next) next(worker);
      else this.idle.push(worker);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
