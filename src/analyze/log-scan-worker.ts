import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import type { MemberInfo } from '../bundle/types.js';
import type { LogEvent } from '../formats/types.js';
import { compileLiteralFinder } from '../rules/literal-finder.js';
import type { PoolToWorker, WorkerSettings, WorkerToPool } from './log-scan-pool.js';
import { scanLog } from './scan-log.js';

/** A log scan thread: members' bytes arrive in messages, their parsed lines and coverage go back. */
const settings = workerData as WorkerSettings;
const finder = settings.literals === null ? null : compileLiteralFinder(settings.literals);
const port = parentPort!;
const send = (message: WorkerToPool): void => port.postMessage(message);

/** The chunks of one member as they arrive; each one handed on is acknowledged, which frees the pool to send more. */
class ChunkQueue {
  private readonly chunks: Uint8Array[] = [];

  constructor(private readonly id: number) {}

  private ended = false;
  private wake: (() => void) | null = null;

  push(chunk: Uint8Array | null): void {
    if (chunk === null) this.ended = true;
    else this.chunks.push(chunk);
    this.wake?.();
    this.wake = null;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        send({ type: 'ack', id: this.id, bytes: chunk.byteLength });
        yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      } else if (this.ended) return;
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

const queues = new Map<number, ChunkQueue>();

async function scanMember(id: number, info: MemberInfo, anchorMs: number | null, queue: ChunkQueue): Promise<void> {
  const events: { event: LogEvent; fileStart: boolean }[] = [];
  try {
    const scan = await scanLog(Readable.from(queue), info, anchorMs, { ...settings, finder }, (event, fileStart) => events.push({ event, fileStart }));
    send({ type: 'done', id, scan, events });
  } catch (error) {
    send({ type: 'failed', id, error: (error as Error).message });
  } finally {
    queues.delete(id);
  }
}

port.on('message', (message: PoolToWorker) => {
  if (message.type === 'start') {
    const queue = new ChunkQueue(message.id);
    queues.set(message.id, queue);
    void scanMember(message.id, message.info, message.anchorMs, queue);
  } else {
    queues.get(message.id)?.push(message.type === 'chunk' ? message.bytes : null);
  }
});
