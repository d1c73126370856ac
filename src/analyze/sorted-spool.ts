import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDirSync } from '../util/temp-dirs.js';

/** A record in a run file: its key (float64), tag and aux (uint32 each), its UTF-8 length (uint32), its bytes. */
const HEADER_BYTES = 20;
const WRITE_BUFFER_BYTES = 1 << 20;
const READ_BUFFER_BYTES = 128 * 1024;
const DEFAULT_RUN_BYTES = 32 * 1024 * 1024;

/**
 * How drained records are written out: as they are with a newline (the default), or put back together from what was
 * spooled — a record can leave out what many records share and name it by its tag (events leave out their member's
 * fields), so fewer bytes go through the run files.
 */
export interface RecordRender {
  /** Most bytes a record of this tag is written as beyond its own bytes (its newline included). */
  extraBytes(tag: number): number;
  /** Writes the record spooled as bytes[start, end) into `out` from `at`, with its newline; returns where it ends. */
  render(tag: number, aux: number, bytes: Buffer, start: number, end: number, out: Buffer, at: number): number;
}

const AS_SPOOLED: RecordRender = {
  extraBytes: () => 1,
  render(_tag, _aux, bytes, start, end, out, at) {
    const next = at + bytes.copy(out, at, start, end);
    out[next] = 10;
    return next + 1;
  },
};

/**
 * An external merge sort for text records by a numeric key (equal keys keep their arrival order). Each record is
 * encoded into one reused run buffer as it arrives, with only its key, offset and two numbers of the caller's (tag,
 * aux) indexed, so no record stays alive as a string; a full buffer is sorted by the index and written as a run file;
 * the runs are merged at the end straight from bytes to bytes. Sorting every line of a multi-GB bundle so needs
 * bounded memory, little garbage collection and no decoding. Nothing but the tool's own records reaches the file
 * system, and the files are removed afterwards.
 */
export class SortedSpool {
  private buf: Buffer;
  private used = 0;
  private keys: Float64Array;
  private tags: Uint32Array;
  private auxes: Uint32Array;
  private starts: Int32Array;
  private count = 0;
  private runs: string[] = [];
  private dir: string | null = null;

  constructor(runBytes = DEFAULT_RUN_BYTES) {
    this.buf = Buffer.allocUnsafe(runBytes);
    // records are rarely shorter than 64 bytes; a buffer of shorter ones is spilled when the index is full
    const capacity = Math.max(16, Math.ceil(runBytes / 64));
    this.keys = new Float64Array(capacity);
    this.tags = new Uint32Array(capacity);
    this.auxes = new Uint32Array(capacity);
    this.starts = new Int32Array(capacity + 1);
  }

  /**
   * Room for a record of at most `most` bytes: the caller encodes it into `buffer` from the offset returned, then
   * `commit`s it. Nothing is kept until then.
   */
  reserve(most: number): number {
    if (this.used + most > this.buf.length || this.count === this.keys.length) {
      this.spill();
      if (most > this.buf.length) this.buf = Buffer.allocUnsafe(most);
    }
    return this.used;
  }

  /** The buffer `reserve` made room in (it may change at each reserve). */
  get buffer(): Buffer {
    return this.buf;
  }

  /** Keeps the record written from the reserved offset up to `end`; `tag` and `aux` (uint32) come back with it. */
  commit(key: number, end: number, tag = 0, aux = 0): void {
    this.keys[this.count] = key;
    this.tags[this.count] = tag;
    this.auxes[this.count] = aux;
    this.starts[this.count] = this.used;
    this.used = end;
    this.count++;
  }

  /** Hands every record, in key order, rendered (by default: its bytes and a newline), to `write`; removes the files. */
  async drainTo(write: (bytes: Buffer) => Promise<void>, render: RecordRender = AS_SPOOLED): Promise<void> {
    try {
      if (this.runs.length === 0) {
        const out = new ByteBatch(write, render);
        for (const i of this.order()) await out.record(this.tags[i], this.auxes[i], this.buf, this.starts[i], this.starts[i + 1]);
        await out.flush();
        return;
      }
      this.spill();
      await mergeRuns(this.runs, write, render);
    } finally {
      this.count = 0;
      this.used = 0;
      if (this.dir) await rm(this.dir, { recursive: true, force: true });
    }
  }

  /** Indices of the buffered records in key order; logs arrive mostly in order, so mostly no sort is needed. */
  private order(): number[] {
    const { keys, count } = this;
    this.starts[count] = this.used;
    const order = Array.from({ length: count }, (_, i) => i);
    let sorted = true;
    for (let i = 1; i < count && sorted; i++) sorted = keys[i - 1] <= keys[i];
    // Array sort is stable (and fast on concatenated sorted stretches, one per file)
    return sorted ? order : order.sort((a, b) => keys[a] - keys[b]);
  }

  /** Writes the buffer as one sorted run. Synchronous so that producers need no back-pressure. */
  private spill(): void {
    if (this.count === 0) return;
    this.dir ??= makeTempDirSync('sort');
    const path = join(this.dir, `run-${this.runs.length}`);
    const fd = openSync(path, 'w');
    try {
      let out = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
      let used = 0;
      for (const i of this.order()) {
        const start = this.starts[i];
        const length = this.starts[i + 1] - start;
        if (used + HEADER_BYTES + length > out.length) {
          writeSync(fd, out, 0, used);
          used = 0;
          if (HEADER_BYTES + length > out.length) out = Buffer.allocUnsafe(HEADER_BYTES + length);
        }
        out.writeDoubleLE(this.keys[i], used);
        out.writeUInt32LE(this.tags[i], used + 8);
        out.writeUInt32LE(this.auxes[i], used + 12);
        out.writeUInt32LE(length, used + 16);
        used += HEADER_BYTES + this.buf.copy(out, used + HEADER_BYTES, start, start + length);
      }
      writeSync(fd, out, 0, used);
    } finally {
      closeSync(fd);
    }
    this.runs.push(path);
    this.count = 0;
    this.used = 0;
  }
}

/** Rendered records gathered into 1 MiB writes. */
class ByteBatch {
  private buf = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  private used = 0;

  constructor(
    private readonly write: (bytes: Buffer) => Promise<void>,
    private readonly render: RecordRender,
  ) {}

  async record(tag: number, aux: number, source: Buffer, start: number, end: number): Promise<void> {
    const most = end - start + this.render.extraBytes(tag);
    if (this.used + most > this.buf.length) await this.flush(most);
    this.used = this.render.render(tag, aux, source, start, end, this.buf, this.used);
  }

  /** Hands over what was gathered; the next batch gets a fresh buffer of at least `room` bytes. */
  async flush(room = 0): Promise<void> {
    if (this.used > 0) await this.write(this.buf.subarray(0, this.used));
    this.buf = Buffer.allocUnsafe(Math.max(WRITE_BUFFER_BYTES, room));
    this.used = 0;
  }
}

/** One run file being read: the record at `pos` is the run's next. */
class RunReader {
  private buf = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  private pos = 0;
  private end = 0;
  private eof = false;
  key = 0;

  constructor(private readonly fd: number) {}

  /** Moves to the next record; false at the end of the run. */
  advance(): boolean {
    if (!this.ensure(HEADER_BYTES)) return false;
    const length = this.buf.readUInt32LE(this.pos + 16);
    if (!this.ensure(HEADER_BYTES + length)) return false;
    this.key = this.buf.readDoubleLE(this.pos);
    return true;
  }

  /** Renders the current record out and steps past it. */
  async emit(out: ByteBatch): Promise<void> {
    const tag = this.buf.readUInt32LE(this.pos + 8);
    const aux = this.buf.readUInt32LE(this.pos + 12);
    const length = this.buf.readUInt32LE(this.pos + 16);
    const start = this.pos + HEADER_BYTES;
    this.pos = start + length;
    await out.record(tag, aux, this.buf, start, start + length);
  }

  close(): void {
    closeSync(this.fd);
  }

  /** At least `bytes` unread bytes in the buffer, or false when the run ends before. */
  private ensure(bytes: number): boolean {
    while (this.end - this.pos < bytes) {
      if (this.eof) return false;
      if (bytes > this.buf.length) {
        const bigger = Buffer.allocUnsafe(bytes);
        this.buf.copy(bigger, 0, this.pos, this.end);
        this.buf = bigger;
      } else this.buf.copy(this.buf, 0, this.pos, this.end);
      this.end -= this.pos;
      this.pos = 0;
      const read = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
      if (read === 0) this.eof = true;
      this.end += read;
    }
    return true;
  }
}

/** A k-way merge through a binary heap ordered by (key, run): equal keys leave in arrival order. */
async function mergeRuns(paths: readonly string[], write: (bytes: Buffer) => Promise<void>, render: RecordRender): Promise<void> {
  const readers = paths.map((path) => new RunReader(openSync(path, 'r')));
  const out = new ByteBatch(write, render);
  try {
    const before = (a: number, b: number): boolean => readers[a].key < readers[b].key || (readers[a].key === readers[b].key && a < b);
    const heap: number[] = [];
    const siftDown = (from: number): void => {
      for (let i = from; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let best = i;
        if (left < heap.length && before(heap[left], heap[best])) best = left;
        if (right < heap.length && before(heap[right], heap[best])) best = right;
        if (best === i) return;
        [heap[i], heap[best]] = [heap[best], heap[i]];
        i = best;
      }
    };
    readers.forEach((reader, i) => {
      if (reader.advance()) heap.push(i);
    });
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);
    while (heap.length > 0) {
      const top = readers[heap[0]];
      await top.emit(out);
      if (!top.advance()) {
        const last = heap.pop()!;
        if (heap.length === 0) break;
        heap[0] = last;
      }
      siftDown(0);
    }
    await out.flush();
  } finally {
    for (const reader of readers) reader.close();
  }
}
