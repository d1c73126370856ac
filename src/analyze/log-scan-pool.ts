import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { MemberInfo } from '../bundle/types.js';
import type { LogEvent } from '../formats/types.js';
import type { LogScan } from './scan-log.js';

/** What every scan thread is started with. */
export interface WorkerSettings {
  zone: string;
  maxLineBytes: number;
  /** Literals of the lines to parse (null: every line). */
  literals: readonly string[] | null;
}

export type PoolToWorker =
  | { type: 'start'; id: number; info: MemberInfo; anchorMs: number | null }
  | { type: 'chunk'; id: number; bytes: Uint8Array }
  | { type: 'end'; id: number };

export type WorkerToPool =
  | { type: 'ack'; id: number; bytes: number }
  | { type: 'done'; id: number; scan: LogScan; events: PooledEvent[] }
  | { type: 'failed'; id: number; error: string };

export interface PooledEvent {
  event: LogEvent;
  fileStart: boolean;
}

export type PooledScan = { ok: true; scan: LogScan; events: PooledEvent[] } | { ok: false; error: string };

/** Bytes sent to one thread and not yet taken up by its line reader: enough to keep it busy, few enough to stay small. */
const MAX_IN_FLIGHT_BYTES = 4 * 1024 * 1024;

interface Member {
  thread: Thread;
  unacked: number;
  finished: boolean;
  settle: (result: PooledScan) => void;
}

interface Thread {
  worker: Worker;
  inFlight: number;
  alive: boolean;
  waiting: (() => void)[];
}

/**
 * Worker threads that read log members: the main thread goes on decompressing the archive and hands each log
 * member's bytes to the least busy thread, which splits, selects and parses the lines and sends back the parsed
 * lines and the member's coverage. The caller delivers results in member order, so the analysis does not change.
 */
export class LogScanPool {
  private readonly threads: Thread[];
  private readonly members = new Map<number, Member>();
  private nextId = 0;

  constructor(size: number, settings: WorkerSettings) {
    this.threads = Array.from({ length: size }, () => this.startThread(settings));
  }

  /**
   * Reads `stream` into a thread; resolves once every byte was handed over (or the thread no longer wants them),
   * with the promise of the member's scan.
   */
  async scan(stream: Readable, info: MemberInfo, anchorMs: number | null): Promise<{ result: Promise<PooledScan> }> {
    const thread = this.threads.filter((t) => t.alive).sort((a, b) => a.inFlight - b.inFlight)[0];
    if (!thread) {
      stream.destroy();
      return { result: Promise.resolve({ ok: false, error: 'no log scan thread is running' }) };
    }
    const id = this.nextId++;
    const result = new Promise<PooledScan>((settle) => this.members.set(id, { thread, unacked: 0, finished: false, settle }));
    const member = this.members.get(id)!;
    const post = (message: PoolToWorker, transfer: ArrayBuffer[] = []): void => thread.worker.postMessage(message, transfer);
    post({ type: 'start', id, info, anchorMs });
    try {
      for await (const chunk of stream) {
        if (member.finished || !thread.alive) break;
        // A copy of its own: the chunk may share its memory with bytes still in use here.
        const bytes = new Uint8Array(chunk as Buffer);
        member.unacked += bytes.byteLength;
        thread.inFlight += bytes.byteLength;
        post({ type: 'chunk', id, bytes }, [bytes.buffer]);
        while (thread.inFlight > MAX_IN_FLIGHT_BYTES && !member.finished && thread.alive) {
          await new Promise<void>((resolve) => thread.waiting.push(resolve));
        }
      }
    } finally {
      if (!stream.destroyed) stream.destroy();
      if (thread.alive) post({ type: 'end', id });
    }
    return { result };
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private startThread(settings: WorkerSettings): Thread {
    const thread: Thread = { worker: new Worker(new URL('./log-scan-worker.js', import.meta.url), { workerData: settings }), inFlight: 0, alive: true, waiting: [] };
    thread.worker.on('message', (message: WorkerToPool) => {
      const member = this.members.get(message.id);
      if (!member) return;
      if (message.type === 'ack') this.release(member, message.bytes);
      else this.finish(message.id, message.type === 'done' ? { ok: true, scan: message.scan, events: message.events } : { ok: false, error: message.error });
    });
    thread.worker.on('error', (error) => {
      thread.alive = false;
      for (const [id, member] of this.members) if (member.thread === thread) this.finish(id, { ok: false, error: `log scan thread failed: ${error.message}` });
    });
    return thread;
  }

  private release(member: Member, bytes: number): void {
    member.unacked -= bytes;
    member.thread.inFlight -= bytes;
    const waiting = member.thread.waiting.splice(0);
    for (const resolve of waiting) resolve();
  }

  private finish(id: number, result: PooledScan): void {
    const member = this.members.get(id)!;
    this.members.delete(id);
    member.finished = true;
    // bytes the thread will never take up (it stopped reading early, or failed) no longer count
    this.release(member, member.unacked);
    member.settle(result);
  }
}
