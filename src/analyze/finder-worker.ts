import { parentPort, workerData } from 'node:worker_threads';
import { compileLiteralFinder } from '../rules/literal-finder.js';
import type { BlockHits, BlockRequest } from './finder-pool.js';

/** A finder thread: for each block, the first literal hit of every line that has one. */
const finder = compileLiteralFinder(workerData as readonly string[]);
const LF = 10;

parentPort!.on('message', (request: BlockRequest) => {
  const { id } = request;
  const block = Buffer.from(request.block.buffer, request.block.byteOffset, request.block.byteLength);
  const hits: number[] = [];
  for (let from = 0; ; ) {
    const hit = finder.find(block, from, block.length);
    if (hit < 0) break;
    hits.push(hit);
    // the reader takes the whole line: later hits in it do not matter
    const nl = block.indexOf(LF, hit);
    if (nl < 0) break;
    from = nl + 1;
  }
  const reply: BlockHits = { id, hits: Int32Array.from(hits) };
  parentPort!.postMessage(reply, [reply.hits.buffer as ArrayBuffer]);
});
