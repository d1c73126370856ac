import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BlockIndex, BlockScanner } from '../bundle/line-reader.js';
import { PACKAGE_ROOT } from '../version.js';

/** What every block thread is started with. */
export interface BlockThreadSettings {
  literals: readonly string[];
  maxLineBytes: number;
}

export interface BlockRequest {
  id: number;
  block: Uint8Array;
}

/** What a thread reports for one block: where candidate lines start (one hit per line), where lines end. */
export interface BlockReply {
  id: number;
  hits: Int32Array;
  newlines: Int32Array;
  /** The newlines ending a line longer than maxLineBytes (the block's first line counted from the block's start). */
  longLines: Int32Array;
}

/**
 * Threads that do the per-byte work on blocks of log bytes — finding the lines that contain a literal, and the line
 * ends — while the main thread reads the archive and parses only the few lines that matter. Work is handed out by
 * block, so any member of any size spreads over every thread.
 */
export class FinderPool implements BlockScanner {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (reply: BlockReply) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private next = 0;
  /** Set once a thread failed: every later block fails at once instead of waiting for an answer that never comes. */
  private failure: Error | null = null;
  /** Blocks handed to the threads ahead of the one being split: enough to keep them all busy. */
  readonly ahead: number;

  constructor(size: number, settings: BlockThreadSettings) {
    this.ahead = 2 * size;
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(join(PACKAGE_ROOT, 'dist/analyze/finder-worker.js'), { workerData: settings });
      worker.on('message', (reply: BlockReply) => {
        this.pending.get(reply.id)?.resolve(reply);
        this.pending.delete(reply.id);
      });
      const fail = (error: Error): void => {
        this.failure ??= error;
        for (const waiting of this.pending.values()) waiting.reject(error);
        this.pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`a block thread stopped (exit code ${code})`)));
      return worker;
    });
  }

  async scan(block: Uint8Array): Promise<BlockIndex> {
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const reply = new Promise<BlockReply>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    // a copy the thread owns: handing memory over costs nothing, sharing it makes every byte access slower
    const request: BlockRequest = { id, block: new Uint8Array(block) };
    this.workers[this.next++ % this.workers.length].postMessage(request, [request.block.buffer as ArrayBuffer]);
    return blockIndex(await reply);
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the block threads were closed');
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** Index of the first element ≥ value in an ascending array. */
function lowerBound(values: Int32Array, value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A block's index from a thread's reply; `find` is asked with ascending `from`, for ranges that end at a newline. */
function blockIndex({ hits, newlines, longLines }: BlockReply): BlockIndex {
  let i = 0;
  return {
    find(_bytes, from, to) {
      while (i < hits.length && hits[i] < from) i++;
      return i < hits.length && hits[i] < to ? hits[i] : -1;
    },
    linesIn(from, to) {
      return {
        lines: lowerBound(newlines, to) - lowerBound(newlines, from),
        long: lowerBound(longLines, to) - lowerBound(longLines, from),
      };
    },
  };
}
