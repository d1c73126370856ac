import { closeSync, createReadStream, mkdtempSync, openSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** One record: a numeric key (stable for equal keys by arrival order) and its text. */
interface Entry {
  key: number;
  seq: number;
  text: string;
}

const compareEntries = (a: Entry, b: Entry): number => a.key - b.key || a.seq - b.seq;

/**
 * An external merge sort for text records: records stay in memory up to `runSize`, then each sorted run goes to a
 * temporary file and the runs are merged at the end, so sorting every line of a multi-GB bundle needs bounded memory.
 * Nothing but the tool's own records reaches the file system, and the files are removed afterwards.
 */
export class SortedSpool {
  private buffer: Entry[] = [];
  private runs: string[] = [];
  private seq = 0;
  private dir: string | null = null;

  constructor(private readonly runSize = 100_000) {}

  add(key: number, text: string): void {
    this.buffer.push({ key, seq: this.seq++, text });
    if (this.buffer.length >= this.runSize) this.spill();
  }

  /** Yields every record's text in key order, then removes the temporary files. */
  async *drain(): AsyncGenerator<string> {
    try {
      if (this.runs.length === 0) {
        for (const entry of this.buffer.sort(compareEntries)) yield entry.text;
        return;
      }
      this.spill();
      yield* mergeRuns(this.runs);
    } finally {
      this.buffer = [];
      if (this.dir) await rm(this.dir, { recursive: true, force: true });
    }
  }

  /** Writes the buffer as one sorted run. Synchronous so that producers need no back-pressure. */
  private spill(): void {
    if (this.buffer.length === 0) return;
    this.dir ??= mkdtempSync(join(tmpdir(), 'harvester-postmortem-sort-'));
    const path = join(this.dir, `run-${this.runs.length}`);
    const fd = openSync(path, 'w');
    try {
      let batch = '';
      for (const entry of this.buffer.sort(compareEntries)) {
        // the text is one JSON line, so it holds no newline
        batch += `${entry.key}\t${entry.seq}\t${entry.text}\n`;
        if (batch.length > 1 << 20) {
          writeSync(fd, batch);
          batch = '';
        }
      }
      writeSync(fd, batch);
    } finally {
      closeSync(fd);
    }
    this.runs.push(path);
    this.buffer = [];
  }
}

async function* mergeRuns(paths: readonly string[]): AsyncGenerator<string> {
  const readers = paths.map((path) => createInterface({ input: createReadStream(path), crlfDelay: Infinity })[Symbol.asyncIterator]());
  const heads: (Entry | null)[] = await Promise.all(readers.map(next));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i];
      if (head && (best < 0 || compareEntries(head, heads[best]!) < 0)) best = i;
    }
    if (best < 0) return;
    yield heads[best]!.text;
    heads[best] = await next(readers[best]);
  }
}

async function next(reader: AsyncIterator<string>): Promise<Entry | null> {
  const { value, done } = await reader.next();
  if (done) return null;
  const first = value.indexOf('\t');
  const second = value.indexOf('\t', first + 1);
  return { key: Number(value.slice(0, first)), seq: Number(value.slice(first + 1, second)), text: value.slice(second + 1) };
}
