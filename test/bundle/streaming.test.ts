import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readLines } from '../../src/bundle/line-reader.js';
import { openInput } from '../../src/bundle/open-input.js';
import { tempFolder } from './helpers.js';

const LINE = Buffer.from('I0703 00:59:47.802112    2031 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to StartContainer"\n');
const CHUNK_LINES = 8192;
const CHUNKS = 58; // 58 × 8192 lines × 113 bytes ≈ 53.7 MB
const TOTAL_BYTES = LINE.length * CHUNK_LINES * CHUNKS;

let folder: Awaited<ReturnType<typeof tempFolder>>;
let zipPath: string;

beforeAll(async () => {
  folder = await tempFolder();
  zipPath = `${folder.dir}/big.zip`;
  const block = Buffer.concat(Array.from({ length: CHUNK_LINES }, () => LINE));
  const zip = new yazl.ZipFile();
  zip.addReadStream(Readable.from((function* () { for (let i = 0; i < CHUNKS; i++) yield block; })()), 'nodes/n1/logs/kubelet.log');
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipPath));
});
afterAll(async () => {
  await folder.remove();
});

it('streams a ~50 MB member in bounded chunks, never as one buffer', async () => {
  const source = await openInput(zipPath);
  const problems: unknown[] = [];
  let chunks = 0;
  let largest = 0;
  let total = 0;
  for await (const member of source.members((p) => problems.push(p))) {
    for await (const chunk of await member.open()) {
      chunks++;
      largest = Math.max(largest, (chunk as Buffer).length);
      total += (chunk as Buffer).length;
    }
  }
  await source.close();
  expect(problems).toEqual([]);
  expect(total).toBe(TOTAL_BYTES);
  expect(largest).toBeLessThanOrEqual(1 << 20);
  expect(chunks).toBeGreaterThanOrEqual(Math.ceil(TOTAL_BYTES / (1 << 20)));
});

it('line-reads the same member chunk by chunk', async () => {
  const source = await openInput(zipPath);
  let batches = 0;
  for await (const member of source.members(() => {})) {
    const reader = readLines(await member.open(), { maxLineBytes: 1 << 20 });
    for await (const batch of reader) {
      batches++;
      expect(batch.lines.length).toBeLessThan(CHUNK_LINES * 2);
    }
    expect(reader.stats).toMatchObject({ lines: CHUNK_LINES * CHUNKS, cutLines: 0, bytes: TOTAL_BYTES, binary: false });
  }
  await source.close();
  expect(batches).toBeGreaterThan(40);
});
