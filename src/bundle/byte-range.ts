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
    const wanted = Math.max(0, Math.min(length, this.size - position));
    const buf = Buffer.allocUnsafe(wanted);
    let filled = 0;
    while (filled < wanted) {
      const { bytesRead } = await this.handle.read(buf, filled, wanted - filled, this.base + position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === wanted ? buf : buf.subarray(0, filled);
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

/** Central directory records are small and read one after another: one 64 KiB read serves hundreds of them. */
const DIRECTORY_READ_BYTES = 64 * 1024;

/** yauzl's view of a FileRange: it only lists the central directory through it; member data is read by FileRange. */
export class FileRangeReader extends yauzl.RandomAccessReader {
  private cache: { position: number; data: Buffer } | null = null;

  constructor(private readonly range: FileRange) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return this.range.stream(start, end);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    const cached = this.cache;
    if (cached && position >= cached.position && position + length <= cached.position + cached.data.length) {
      const from = position - cached.position;
      setImmediate(() => callback(null, cached.data.copy(buffer, offset, from, from + length)));
      return;
    }
    this.range.readAt(position, Math.max(length, DIRECTORY_READ_BYTES)).then(
      (data) => {
        this.cache = { position, data };
        callback(null, data.copy(buffer, offset, 0, Math.min(length, data.length)));
      },
      (err: Error) => callback(err),
    );
  }

  override close(callback: (err: Error | null) => void): void {
    this.cache = null;
    setImmediate(() => callback(null));
  }
}
