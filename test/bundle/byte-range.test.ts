import type { FileHandle } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FileRange, WINDOW_BYTES, WindowedReads } from '../../src/bundle/byte-range.js';

/** A FileHandle over bytes in memory that counts its reads. */
function memoryHandle(bytes: Buffer): { handle: FileHandle; reads: () => number } {
  let reads = 0;
  const handle = {
    read: async (buffer: Buffer, offset: number, length: number, position: number) => {
      reads++;
      const bytesRead = bytes.copy(buffer, offset, position, Math.min(position + length, bytes.length));
      return { bytesRead, buffer };
    },
  } as unknown as FileHandle;
  return { handle, reads: () => reads };
}

const pattern = (size: number): Buffer => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + 7) % 251));

describe('WindowedReads', () => {
  it('serves reads inside the window without touching the file, and moves the window for one outside it', async () => {
    const bytes = pattern(3 * WINDOW_BYTES);
    const { handle, reads } = memoryHandle(bytes);
    const windowed = new WindowedReads(new FileRange(handle, 0, bytes.length));
    expect(await windowed.readAt(100, 30)).toEqual(bytes.subarray(100, 130));
    expect(await windowed.readAt(5000, 20_000)).toEqual(bytes.subarray(5000, 25_000));
    expect(await windowed.readAt(100 + WINDOW_BYTES - 10, 10)).toEqual(bytes.subarray(100 + WINDOW_BYTES - 10, 100 + WINDOW_BYTES));
    expect(reads()).toBe(1);
    // straddling the window's end, or before its start: a new window from there
    expect(await windowed.readAt(WINDOW_BYTES, 200)).toEqual(bytes.subarray(WINDOW_BYTES, WINDOW_BYTES + 200));
    expect(await windowed.readAt(50, 10)).toEqual(bytes.subarray(50, 60));
    expect(reads()).toBe(3);
  });

  it('reads longer than the window go to the file each time, leaving the window as it was', async () => {
    const bytes = pattern(20_000);
    const { handle, reads } = memoryHandle(bytes);
    const windowed = new WindowedReads(new FileRange(handle, 0, bytes.length), 4096);
    expect(await windowed.readAt(0, 100)).toEqual(bytes.subarray(0, 100));
    expect(await windowed.readAt(10, 10_000)).toEqual(bytes.subarray(10, 10_010));
    expect(await windowed.readAt(4000, 96)).toEqual(bytes.subarray(4000, 4096));
    expect(reads()).toBe(2);
  });

  it('returns fewer bytes at the end of the range, within a sub-range too', async () => {
    const bytes = pattern(10_000);
    const { handle } = memoryHandle(bytes);
    const windowed = new WindowedReads(new FileRange(handle, 1000, 5000));
    expect(await windowed.readAt(4990, 100)).toEqual(bytes.subarray(5990, 6000));
    expect(await windowed.readAt(6000, 10)).toHaveLength(0);
  });
});
