import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../version.js';
import type { BlockScanner, ByteFinder } from '../bundle/line-reader.js';

/** What a finder thread reports for one block: where candidate lines start, at most one hit per line. */
export interface BlockHits {
  id: number;
  hits: Int32Array;
}

export interface BlockRequest {
  id: number;
  block: Uint8Array;
}

/**
 * Threads that look for the rules' literals in blocks of log bytes: the main thread goes on reading the archive,
 * splitting lines and parsing the few candidates, while the byte-by-byte search runs beside it. Work is handed out
 * by block, so any member of any size spreads over every thread.
 */
export class FinderPool implements BlockScanner {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (hits: Int32Array) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private next = 0;
  /** Blocks handed to the threads ahead of the one being split: enough to keep them all busy. */
  readonly ahead: number;

  constructor(size: number, literals: readonly string[]) {
    this.ahead = 2 * size;
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(join(PACKAGE_ROOT, 'dist/analyze/finder-worker.js'), { workerData: literals });
      worker.on('message', ({ id, hits }: BlockHits) => {
        this.pending.get(id)?.resolve(hits);
        this.pending.delete(id);
      });
      worker.on('error', (error) => {
        for (const waiting of this.pending.values()) waiting.reject(error);
        this.pending.clear();
      });
      return worker;
    });
  }

  async scan(block: Uint8Array): Promise<ByteFinder> {
    const id = this.nextId++;
    const hits = new Promise<Int32Array>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    // a copy the thread owns: handing memory over costs nothing, sharing it makes every byte access slower
    const request: BlockRequest = { id, block: new Uint8Array(block) };
    this.workers[this.next++ % this.workers.length].postMessage(request, [request.block.buffer as ArrayBuffer]);
    return precomputedFinder(await hits);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** A finder over one block that answers from the starts of its candidate lines (asked with ascending `from`). */
function precomputedFinder(hits: Int32Array): ByteFinder {
  let i = 0;
  return {
    find(_bytes, from, to) {
      while (i < hits.length && hits[i] < from) i++;
      return i < hits.length && hits[i] < to ? hits[i] : -1;
    },
  };
}
