import { Transform, type TransformCallback } from 'node:stream';

/** tar's block size: headers and data are aligned on it. */
export const TAR_BLOCK = 512;

const CHECKSUM_AT = 148;
const CHECKSUM_LENGTH = 8;
const MAGIC_AT = 257;

/** The header checksum as tar computes it: every byte summed, the checksum field counted as spaces. */
function checksum(block: Buffer): number {
  let sum = CHECKSUM_LENGTH * 0x20;
  for (let i = 0; i < CHECKSUM_AT; i++) sum += block[i];
  for (let i = CHECKSUM_AT + CHECKSUM_LENGTH; i < TAR_BLOCK; i++) sum += block[i];
  return sum;
}

const storedChecksum = (block: Buffer): number =>
  parseInt(block.toString('latin1', CHECKSUM_AT, CHECKSUM_AT + CHECKSUM_LENGTH).replace(/[\0 ]+/g, ' ').trim(), 8);

/** A block the tar reader would take as a header: ustar or GNU magic and a checksum that matches. */
export function isTarHeader(block: Buffer): boolean {
  if (block.length < TAR_BLOCK) return false;
  const magic = block.toString('latin1', MAGIC_AT, MAGIC_AT + 6);
  if (magic !== 'ustar\0' && magic !== 'ustar ') return false;
  return checksum(block) === storedChecksum(block);
}

/** Where the data of an entry ends: its header's data offset plus the data padded to whole blocks. */
export const paddedEnd = (dataOffset: number, size: number): number => dataOffset + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;

/**
 * The tar byte stream from the first valid header at or after `from` (a block boundary): bytes before `from` are
 * dropped, then whole blocks until one is a header, then everything passes. `onFound` learns where the stream
 * resumed (null when no header follows), so a damaged header costs only the entry it described, as with GNU tar's
 * "Skipping to next header".
 */
export function resyncFrom(from: number, onFound: (offset: number | null) => void): Transform {
  let position = 0;
  let pending: Buffer = Buffer.alloc(0);
  let found = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      if (found) {
        done(null, chunk);
        return;
      }
      const start = Math.max(0, from - position);
      position += chunk.length;
      if (start >= chunk.length) {
        done();
        return;
      }
      pending = pending.length === 0 ? chunk.subarray(start) : Buffer.concat([pending, chunk.subarray(start)]);
      let at = 0;
      while (at + TAR_BLOCK <= pending.length && !isTarHeader(pending.subarray(at, at + TAR_BLOCK))) at += TAR_BLOCK;
      if (at + TAR_BLOCK <= pending.length) {
        found = true;
        onFound(position - pending.length + at);
        const rest = pending.subarray(at);
        pending = Buffer.alloc(0);
        done(null, rest);
        return;
      }
      pending = Buffer.from(pending.subarray(at));
      done();
    },
    flush(done: TransformCallback) {
      if (!found) onFound(null);
      done();
    },
  });
}
