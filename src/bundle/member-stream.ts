import { PassThrough, pipeline, Readable, Transform, type Duplex } from 'node:stream';
import { constants, crc32, createGunzip, createInflateRaw, type InflateRaw } from 'node:zlib';
import { isGzipFileName } from './member-path.js';
import type { ReadContext } from './read-context.js';

/** zlib output chunk size: 1 MiB triples throughput over the 16 KiB default (performance-notes.md). */
export const CHUNK_BYTES = 1 << 20;

/**
 * A zip member's raw deflate stream. Data cut off at its end is not an error here: every byte inflated before the cut
 * is delivered (an error would discard what is still buffered), and the size the archive declares tells the cut.
 */
export const createMemberInflate = (size: number | null = null): InflateRaw =>
  createInflateRaw({ chunkSize: outputChunkBytes(size), finishFlush: constants.Z_SYNC_FLUSH });

/**
 * zlib allocates a whole output chunk up front: a small member gets a chunk its own size, so reading thousands of them
 * does not churn through a mebibyte each (and the garbage collections such churn triggers).
 */
const outputChunkBytes = (size: number | null): number => (size === null ? CHUNK_BYTES : Math.min(CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, size)));
const MIN_CHUNK_BYTES = 16 * 1024;

const ignore = (): void => {};

/** A reason a human can act on, for errors met while reading a member. */
export function describeReadError(err: unknown): string {
  const error = err as NodeJS.ErrnoException | undefined;
  const message = error?.message ?? String(err);
  if (error?.code === 'Z_BUF_ERROR') return `compressed data ends early (truncated): ${message}`;
  if (error?.code === 'Z_DATA_ERROR') return `corrupt compressed data: ${message}`;
  return message;
}

interface GuardOptions {
  file: string;
  ctx: ReadContext;
  /** Most bytes the member may expand to (compression-ratio bound); null when unbounded. */
  maxBytes: number | null;
  /** Uncompressed size the container declares, compared once the stream is read to its end. */
  declaredSize: number | null;
  /** The bytes come from a deflate stream: fewer than declared means its compressed data ends early. */
  inflated: boolean;
}

/**
 * The member's bytes as the consumer sees them: limits enforced, and every data problem (corrupt or truncated
 * compressed data, a size that differs from the declared one) reported through onProblem instead of an error —
 * the stream then just ends. Destroying it destroys the source.
 */
function guardedStream(source: Readable, { file, ctx, maxBytes, declaredSize, inflated }: GuardOptions): Readable {
  async function* deliver(): AsyncGenerator<Buffer> {
    let delivered = 0;
    try {
      for await (const chunk of source) {
        let buf = chunk as Buffer;
        // Inflated chunks are up to 1 MiB: a ratio bound inside one still delivers the bytes before it.
        const overRatio = maxBytes !== null && delivered + buf.length > maxBytes;
        if (overRatio) buf = buf.subarray(0, maxBytes - delivered);
        if (buf.length > 0) {
          if (!ctx.budget.addBytes(buf.length, file)) return;
          delivered += buf.length;
          yield buf;
        }
        if (overRatio) {
          const ratio = ctx.budget.limits.maxCompressionRatio;
          ctx.onProblem({ file, reason: `maxCompressionRatio limit (${ratio}) exceeded while inflating: read stopped after ${delivered} bytes` });
          return;
        }
      }
      if (declaredSize !== null && delivered !== declaredSize) {
        ctx.onProblem({ file, reason: sizeMismatch(delivered, declaredSize, inflated) });
      }
    } catch (err) {
      ctx.onProblem({ file, reason: zipCheckErrors.has(err as object) ? zipCheckReason(err as Error, delivered, declaredSize) : describeReadError(err) });
    } finally {
      if (!source.destroyed) source.destroy();
    }
  }
  return Readable.from(deliver(), { objectMode: false });
}

function sizeMismatch(delivered: number, declaredSize: number, inflated: boolean): string {
  const early = inflated && delivered < declaredSize ? 'compressed data ends early (truncated): ' : '';
  return `${early}${delivered} bytes read where the archive declares ${declaredSize}`;
}

/** Errors of the zip layer's gunzip (see framedAsGzip), told apart from those of a `.gz` member's own. */
const zipCheckErrors = new WeakSet<object>();

/** zlib's verdict on a framed zip member's CRC-32 or size, in the words the checks of unframed members use. */
function zipCheckReason(err: Error, delivered: number, declaredSize: number | null): string {
  if (err.message === 'incorrect data check') return CRC_MISMATCH;
  // a `.gz` member's declared size is the gzip file's, not what the guard counts
  if (err.message === 'incorrect length check') return declaredSize === null ? 'inflated to another size than the archive declares' : sizeMismatch(delivered, declaredSize, true);
  return describeReadError(err);
}

const CRC_MISMATCH = 'CRC-32 mismatch: the data is corrupt, its lines are read as they are';

/**
 * Passes a member's bytes through and compares their CRC-32 with the container's once they were read to the end:
 * a flipped bit in stored data would otherwise go unnoticed. A member of the wrong size is reported by the guard.
 */
function crcCheck(file: string, ctx: ReadContext, expected: number, size: number | null): Transform {
  let crc = 0;
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      crc = crc32(chunk, crc);
      bytes += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      if ((size === null || bytes === size) && crc !== expected >>> 0) {
        ctx.onProblem({ file, reason: CRC_MISMATCH });
      }
      done();
    },
  });
}

/** A gzip header: deflate, no name, no time, unknown OS. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/**
 * A zip member's raw deflate data framed as a gzip stream whose trailer carries the member's CRC-32 and size, so that
 * zlib checks them on its own thread while it inflates instead of the main thread afterwards. The trailer is added only
 * when all the compressed bytes came (data cut short is then inflated as far as it goes, as a raw stream would be), and
 * as a chunk of its own, so that zlib's verdict on it never holds back bytes inflated in the same call.
 */
function framedAsGzip(deflatedSize: number, crc: number, size: number): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (bytes === 0) this.push(GZIP_HEADER);
      bytes += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      if (bytes === 0 || bytes !== deflatedSize) {
        done();
        return;
      }
      const trailer = Buffer.allocUnsafe(8);
      trailer.writeUInt32LE(crc >>> 0, 0);
      trailer.writeUInt32LE(size % 2 ** 32, 4);
      done(null, trailer);
    },
  });
}

export interface MemberContent {
  /** Display path, used for problems and to recognise `.gz` members. */
  file: string;
  ctx: ReadContext;
  /** The member's bytes as stored in its container. */
  stored: Readable;
  /** Size of the member once the container's own compression is undone; null when unknown. */
  size: number | null;
  /** Stored bytes are raw deflate (zip method 8) of this compressed size. */
  deflatedSize: number | null;
  /** CRC-32 the container records for the member's bytes (zip), checked once they are read whole. */
  crc?: number | null;
  /** The member is a gzip stream of one file; by default when its name ends in `.gz` (not `.tar.gz`). */
  gzipped?: boolean;
}

/**
 * The decompressed content of a member: the container's deflate undone, then a `.gz` member gunzipped
 * transparently (its display path keeps the `.gz` name), all behind the guard.
 */
export function memberContent({ file, ctx, stored, size, deflatedSize, crc = null, gzipped = isGzipFileName(file) }: MemberContent): Readable {
  const ratio = ctx.budget.limits.maxCompressionRatio;
  // One pipeline for every stage: an error of any stage reaches the guard, none is left without a listener.
  const stages: Duplex[] = [];
  let maxBytes: number | null = null;
  let declaredSize = size;
  const checkedByZlib = deflatedSize !== null && crc !== null && size !== null;
  if (checkedByZlib) {
    const gunzip = createGunzip({ chunkSize: outputChunkBytes(size), finishFlush: constants.Z_SYNC_FLUSH });
    gunzip.once('error', (err) => zipCheckErrors.add(err));
    stages.push(framedAsGzip(deflatedSize, crc, size), gunzip);
  } else if (deflatedSize !== null) stages.push(createMemberInflate(size));
  if (deflatedSize !== null) maxBytes = Math.max(deflatedSize, 1) * ratio;
  if (crc !== null && !checkedByZlib) stages.push(crcCheck(file, ctx, crc, size));
  if (gzipped) {
    stages.push(createGunzip({ chunkSize: CHUNK_BYTES }));
    maxBytes = size === null ? null : Math.max(size, 1) * ratio;
    declaredSize = null;
  }
  const stream = stages.length === 0 ? stored : (pipeline([stored, ...stages], ignore) as unknown as Readable);
  return guardedStream(stream, { file, ctx, maxBytes, declaredSize, inflated: deflatedSize !== null });
}

/**
 * A member whose bytes are already in memory (a small zip member, read and inflated whole): memberContent's checks
 * without its stream stages, whose setting up and tearing down cost more than reading a small member does.
 */
export function memberBytes(file: string, ctx: ReadContext, bytes: Buffer, crc: number | null): Readable {
  if (bytes.length > 0 && !ctx.budget.addBytes(bytes.length, file)) return emptyStream();
  if (crc !== null && crc32(bytes) !== crc >>> 0) ctx.onProblem({ file, reason: CRC_MISMATCH });
  return Readable.from([bytes], { objectMode: false });
}

/** A member with nothing to read: one that could not be opened, or one over the read budget. */
export const emptyStream = (): Readable => new PassThrough().end();
