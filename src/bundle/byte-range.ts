import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { CHUNK_BYTES } from './member-stream.js';

/**
 * A byte range of an open file: a whole zip, or a stored nested zip inside its outer zip, read by random access
 * without copying. The handle belongs to whoever opened it.
 */
export class FileRange {
  constructor(
    readonly handle: FileHandle,
    readonly base: number,
    readonly size: number,
  ) {}

  /** Up to `length` bytes at `position` (fewer at the end of the range). */
  async readAt(position: number, length: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(Math.max(0, Math.min(length, this.size - position)));
    const filled = await this.readInto(buf, position);
    return filled === buf.length ? buf : buf.subarray(0, filled);
  }

  /** Fills `buf` from `position` on, as far as the range goes; returns the number of bytes read. */
  async readInto(buf: Buffer, position: number): Promise<number> {
    const wanted = Math.max(0, Math.min(buf.length, this.size - position));
    let filled = 0;
    while (filled < wanted) {
      const { bytesRead } = await this.handle.read(buf, filled, wanted - filled, this.base + position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled;
  }

  /**
   * Bytes [start, end) of the range as a stream of 1 MiB positional reads. Destroying it leaves the handle open
   * (a FileHandle read stream would close it), so members of one file can be read one after another.
   */
  stream(start: number, end: number): Readable {
    let position = start;
    const stream: Readable = new Readable({
      highWaterMark: CHUNK_BYTES,
      read: () => {
        const length = Math.min(CHUNK_BYTES, end - position);
        if (length <= 0) {
          stream.push(null);
          return;
        }
        this.readAt(position, length).then(
          (buf) => {
            position += buf.length;
            // A range running past the end of the file ends early; the size check reports it.
            stream.push(buf.length > 0 ? buf : null);
          },
          (err: Error) => stream.destroy(err),
        );
      },
    });
    return stream;
  }

  sub(start: number, size: number): FileRange {
    return new FileRange(this.handle, this.base + start, Math.max(0, Math.min(size, this.size - start)));
  }
}

/** What a zip's small members are read through: one read of this size serves every member lying inside it. */
export const WINDOW_BYTES = 1 << 20;

/**
 * Positional reads of a FileRange through one reused window: records that lie next to each other (a zip's small
 * members, its central directory) are served by one read instead of one read (and one wait) each. One read at a time,
 * its bytes used before the next starts: a zip's members are opened, and its directory listed, one after another.
 */
export class WindowedReads {
  private readonly buffer: Buffer;
  private start = 0;
  private filled = 0;

  constructor(
    private readonly range: FileRange,
    windowBytes = WINDOW_BYTES,
  ) {
    this.buffer = Buffer.allocUnsafe(windowBytes);
  }

  /** Up to `length` bytes at `position` (fewer at the end of the range), as a view valid until the next read. */
  async readAt(position: number, length: number): Promise<Buffer> {
    if (length > this.buffer.length) return this.range.readAt(position, length);
    if (position < this.start || position + length > this.start + this.filled) {
      this.start = position;
      this.filled = 0; // a failed read leaves no stale window behind
      this.filled = await this.range.readInto(this.buffer, position);
    }
    const from = position - this.start;
    return this.buffer.subarray(from, Math.min(from + length, this.filled));
  }
}

/** Central directory records are small and read one after another: one 64 KiB read serves hundreds of them. */
const DIRECTORY_READ_BYTES = 64 * 1024;

/** yauzl's view of a FileRange: it only lists the central directory through it; member data is read by FileRange. */
export class FileRangeReader extends yauzl.RandomAccessReader {
  private readonly reads: WindowedReads;

  constructor(private readonly range: FileRange) {
    super();
    this.reads = new WindowedReads(range, DIRECTORY_READ_BYTES);
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return this.range.stream(start, end);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    this.reads.readAt(position, length).then(
      (data) => callback(null, data.copy(buffer, offset)),
      (err: Error) => callback(err),
    );
  }

  override close(callback: (err: Error | null) => void): void {
    setImmediate(() => callback(null));
  }
}
