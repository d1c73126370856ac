import { describe, expect, it } from 'vitest';
import { createEventSpooler } from '../../src/analyze/event-record.js';
import { SortedSpool } from '../../src/analyze/sorted-spool.js';
import { classifyPath } from '../../src/bundle/classify-path.js';
import type { LogEvent } from '../../src/formats/types.js';
import { seededRandom } from '../seeded-random.js';

/** The record's definition: JSON.stringify of the object, keys in this order. */
const reference = (e: LogEvent, m: ReturnType<typeof classifyPath>): string =>
  JSON.stringify({
    time: e.time === null ? null : new Date(e.time).toISOString(),
    timeSource: e.timeSource,
    file: e.file,
    line: e.line,
    node: m.node,
    namespace: m.namespace,
    pod: m.pod,
    container: m.container,
    component: m.component,
    format: e.format,
    level: e.level,
    message: e.message,
  });

const members = [
  classifyPath('logs/harvester-system/virt-launcher-vm-01-x7k2p/compute.log'),
  classifyPath('nodes/harvester-01.zip!/harvester-01/logs/kubelet.log'),
  classifyPath('bundleGenerationError.log'),
  classifyPath('weird "name"\\with\u2028separators.log'),
];
const times = [null, 0, 59_999, 60_000, 1_749_893_730_123, 1_749_893_730_123.9, -1, -62_198_755_200_000, 253_402_300_799_999, 253_402_300_800_000, 8.64e15];
const messages = [
  'plain',
  'quote " and \\ backslash',
  'a path C:\\Windows, no quote',
  'tab\there',
  'ctrl \u0001\u001f',
  'unicode é 日本 😀',
  'lone \ud800 surrogate',
  '',
  'printable ~ and DEL \u007f',
  `${'long '.repeat(2000)}"`,
];
const lines = [0, 1, 9, 10, 99, 100, 4_294_967_295, 4_294_967_296, 2 ** 53 - 1];

/** Random events of random members; the first ones walk through every edge time and line. */
function* randomEvents(seed: number, count: number): Generator<{ event: LogEvent; member: ReturnType<typeof classifyPath> }> {
  const next = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    const member = members[Math.floor(next() * members.length)];
    const event: LogEvent = {
      time: i < times.length ? times[i] : Math.floor(next() * 4e12),
      timeSource: next() < 0.5 ? 'explicit' : 'inherited',
      level: next() < 0.3 ? null : next() < 0.5 ? 'error' : 'info',
      message: messages[Math.floor(next() * messages.length)],
      format: next() < 0.4 ? 'cri/logrus' : next() < 0.7 ? 'journald' : 'klog',
      fields: {},
      file: next() < 0.9 ? member.path : 'elsewhere.log',
      line: i < lines.length ? lines[i] : Math.floor(next() * 1e6),
      raw: '',
    };
    yield { event, member };
  }
}

describe('createEventSpooler', () => {
  for (const runBytes of [1 << 24, 8192]) {
    it(`spools records without their member's fields and writes them back whole, in time order (runs of ${runBytes} bytes)`, async () => {
      const spool = new SortedSpool(runBytes);
      const events = createEventSpooler();
      const expected: { key: number; line: string }[] = [];
      for (const { event, member } of randomEvents(runBytes, 3000)) {
        const key = event.time ?? Number.MAX_SAFE_INTEGER;
        events.add(spool, key, event, member);
        expected.push({ key, line: reference(event, member) });
      }
      const chunks: Buffer[] = [];
      await spool.drainTo(async (bytes) => void chunks.push(Buffer.from(bytes)), events.render);
      const written = Buffer.concat(chunks).toString('utf8').split('\n').slice(0, -1);
      expect(written).toEqual([...expected].sort((a, b) => a.key - b.key).map((e) => e.line));
    });
  }
});
