import { stat } from 'node:fs/promises';
import { TOOL_VERSION } from '../version.js';
import { analyzeInput, type AnalyzeJob } from './analyze-input.js';
import { contentHash } from './content-hash.js';
import type { HistoryDb } from './history-db.js';
import { Progress } from './progress.js';
import { WorkerPool } from './worker-pool.js';
import type { BatchItem } from './types.js';

export interface BatchOptions {
  jobs: number;
  /** Everything of an AnalyzeJob but the input and its hash. */
  job: Omit<AnalyzeJob, 'input' | 'hash'>;
  db: HistoryDb | null;
  progress: ((text: string) => void) | null;
  clock: () => number;
}

const sizeOf = async (path: string): Promise<number> => {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : 0;
  } catch {
    return 0;
  }
};

/**
 * Analyses many inputs: duplicates (same content hash) once — the first in input order is analysed —, bundles already
 * in the history database not again, the rest `jobs` at a time (in worker threads when jobs > 1). A broken bundle is a
 * failed item, never an abort. Items come back in input order.
 */
export async function runBatch(inputs: readonly string[], options: BatchOptions): Promise<BatchItem[]> {
  const sizes = await Promise.all(inputs.map(sizeOf));
  const hashes: (string | Error)[] = [];
  for (const input of inputs) hashes.push(await contentHash(input).catch((error: Error) => error));
  const firstByHash = new Map<string, string>();
  const items: (BatchItem | null)[] = inputs.map((input, i) => {
    const hash = hashes[i];
    if (hash instanceof Error) return { status: 'failed', input, hash: null, error: hash.message };
    const sameAs = firstByHash.get(hash);
    if (sameAs !== undefined) return { status: 'duplicate', input, hash, sameAs };
    firstByHash.set(hash, input);
    const cached = options.db?.find(hash, TOOL_VERSION);
    return cached ? { status: 'cached', result: { ...cached, input } } : null;
  });
  const todo = items.flatMap((item, i) => (item === null ? [i] : []));
  const progress = new Progress(todo.length, todo.reduce((sum, i) => sum + sizes[i], 0), options.progress, options.clock);
  const pool = options.jobs > 1 && todo.length > 1 ? new WorkerPool(Math.min(options.jobs, todo.length)) : null;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < todo.length) {
      const index = todo[next++];
      const job: AnalyzeJob = { ...options.job, input: inputs[index], hash: hashes[index] as string };
      items[index] = await analyseOne(job, options.db, pool);
      progress.advance(sizes[index]);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, pool ? options.jobs : 1) }, lane));
  } finally {
    await pool?.close();
  }
  return items as BatchItem[];
}

async function analyseOne(job: AnalyzeJob, db: HistoryDb | null, pool: WorkerPool | null): Promise<BatchItem> {
  try {
    const result = pool ? await pool.run(job) : await analyzeInput(job);
    db?.save(result, TOOL_VERSION);
    return { status: 'analysed', result };
  } catch (error) {
    return { status: 'failed', input: job.input, hash: job.hash, error: (error as Error).message };
  }
}
