import { parentPort, workerData } from 'node:worker_threads';
import { contentEnd } from '../bundle/line-reader.js';
import { compileLiteralFinder } from '../rules/literal-finder.js';
import type { BlockReply, BlockRequest, BlockThreadSettings } from './finder-pool.js';

/** A block thread: for each block, the first literal hit of every line that has one, and every line end. */
const settings = workerData as BlockThreadSettings;
const finder = compileLiteralFinder(settings.literals);
const LF = 10;

parentPort!.on('message', (request: BlockRequest) => {
  const block = Buffer.from(request.block.buffer, request.block.byteOffset, request.block.byteLength);
  const newlines: number[] = [];
  const longLines: number[] = [];
  for (let start = 0, nl = block.indexOf(LF); nl !== -1; start = nl + 1, nl = block.indexOf(LF, start)) {
    newlines.push(nl);
    if (contentEnd(block, start, nl) - start > settings.maxLineBytes) longLines.push(nl);
  }
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
  const reply: BlockReply = { id: request.id, hits: Int32Array.from(hits), newlines: Int32Array.from(newlines), longLines: Int32Array.from(longLines) };
  parentPort!.postMessage(reply, [reply.hits.buffer, reply.newlines.buffer, reply.longLines.buffer] as ArrayBuffer[]);
});
