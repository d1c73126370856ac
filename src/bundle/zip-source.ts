import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { constants, inflateRawSync } from 'node:zlib';
import { FileRange, WindowedReads } from './byte-range.js';
import { classifyPath } from './classify-path.js';
import { compareMemberPaths, findBundleRoot, isGzipFileName, isZipFileName, nestedPath, stripRoot } from './member-path.js';
import { createMemberInflate, describeReadError, emptyStream, memberBytes, memberContent } from './member-stream.js';
import {
  admitSpooled,
  createReadContext,
  partialSpoolProblem,
  removeTemporaryFiles,
  spoolProblem,
  withinCompressionRatio,
  withinNestingLimit,
  type ReadContext,
} from './read-context.js';
import { spoolToTempFile, type TempFile } from './temp-file.js';
import type { BundleMember, BundleSource, ReadLimits, ReadProblem } from './types.js';
import { listZip, localDataStart, type ZipListing, type ZipRecord } from './zip-listing.js';

const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;

/** A zip being read: the input itself or one nested in it. */
interface OpenZip {
  /** Display path of the zip itself: problems about the whole zip cite it. */
  path: string;
  range: FileRange;
  listing: ZipListing;
  /** Prefix of member paths: '' for the input zip, `<zip path>!/` inside a nested one. */
  prefix: string;
  /** Bundle root stripped from member names (input zip only). */
  root: string;
}

/** Why a record cannot be read (and so is reported instead of yielded), or null. */
function unreadableReason(record: ZipRecord): string | null {
  if (record.encrypted) return 'encrypted member, not read';
  if (record.method !== METHOD_STORED && record.method !== METHOD_DEFLATED) {
    return `unsupported compression method ${record.method}, not read`;
  }
  return null;
}

const dataStartOf = async (zip: OpenZip, record: ZipRecord, reads: Pick<FileRange, 'readAt'> = zip.range): Promise<number> =>
  record.dataStart ?? localDataStart(reads, record.localHeaderOffset ?? 0);

/** The raw (still deflated, when method 8) bytes of a record, located through its local header. */
async function storedBytes(zip: OpenZip, record: ZipRecord): Promise<Readable> {
  const dataStart = await dataStartOf(zip, record);
  const dataEnd = Math.min(dataStart + record.compressedSize, zip.range.size);
  return zip.range.stream(dataStart, dataEnd);
}

/** Members this small, stored and inflated, are read whole through the read window and inflated in one call. */
const SMALL_STORED_BYTES = 256 * 1024; // well inside WINDOW_BYTES
const SMALL_CONTENT_BYTES = 4 << 20;

/**
 * A small member's content, in one piece: no stream, no round trips to zlib's threads (most members of a bundle are a
 * few kilobytes, and waiting for those trips was a tenth of the time on a zip). Null for any other member and for
 * anything unusual (cut short, corrupt, not the declared size): the streaming path reads those and reports it.
 */
async function smallMemberContent(zip: OpenZip, record: ZipRecord, reads: WindowedReads): Promise<Buffer | null> {
  const size = record.uncompressedSize;
  if (record.truncated || size === null || size > SMALL_CONTENT_BYTES || record.compressedSize > SMALL_STORED_BYTES) return null;
  const stored = await reads.readAt(await dataStartOf(zip, record, reads), record.compressedSize);
  if (stored.length < record.compressedSize) return null;
  // a copy: the window is read over for the next member
  if (record.method === METHOD_STORED) return stored.length === size ? Buffer.from(stored) : null;
  try {
    // one output chunk of the declared size: no pieces to join
    const content = inflateRawSync(stored, { chunkSize: Math.max(constants.Z_MIN_CHUNK, size), maxOutputLength: Math.max(1, size) });
    return content.length === size ? content : null;
  } catch {
    return null;
  }
}

function zipMember(zip: OpenZip, record: ZipRecord, path: string, ctx: ReadContext, reads: WindowedReads): BundleMember {
  const gzip = isGzipFileName(path);
  return {
    info: classifyPath(path),
    size: gzip ? null : record.uncompressedSize,
    mtime: record.mtime,
    open: async () => {
      try {
        const small = await smallMemberContent(zip, record, reads);
        if (small && !gzip) return memberBytes(path, ctx, small, record.crc32);
        if (small) {
          const stored = Readable.from([small], { objectMode: false });
          return memberContent({ file: path, ctx, stored, size: record.uncompressedSize, deflatedSize: null, crc: record.crc32 });
        }
        const stored = await storedBytes(zip, record);
        const deflatedSize = record.method === METHOD_DEFLATED ? record.compressedSize : null;
        // a member the archive ends in cannot match its CRC-32 (and its compressed size is only what is left)
        const crc = record.truncated ? null : record.crc32;
        return memberContent({ file: path, ctx, stored, size: record.uncompressedSize, deflatedSize, crc });
      } catch (err) {
        ctx.onProblem({ file: path, reason: describeReadError(err) });
        return emptyStream();
      }
    },
  };
}

/**
 * The members of a nested zip, read in place: a stored one by random access into its container's byte range, a
 * deflated one inflated to a temporary file first (never held in memory), removed once its members are read.
 */
async function* nestedZipMembers(zip: OpenZip, record: ZipRecord, path: string, ctx: ReadContext): AsyncGenerator<BundleMember> {
  if (!withinNestingLimit(ctx, path)) return;
  const inner = { ...ctx, depth: ctx.depth + 1 };
  let range: FileRange;
  let dispose: (() => Promise<void>) | null = null;
  try {
    const dataStart = await dataStartOf(zip, record);
    if (record.method === METHOD_STORED) {
      range = zip.range.sub(dataStart, record.compressedSize);
    } else {
      const stages = [zip.range.stream(dataStart, dataStart + record.compressedSize), createMemberInflate()] as const;
      const maxBytes = Math.max(record.compressedSize, 1) * ctx.budget.limits.maxCompressionRatio;
      let spooled = 0;
      const temp = await spoolToTempFile(stages, (bytes) => {
        admitSpooled(ctx, path, spooled, bytes, maxBytes);
        spooled += bytes;
      });
      ctx.temporaryFiles.add(temp);
      const partial = partialSpoolProblem(path, temp);
      if (partial) ctx.onProblem(partial);
      dispose = async () => {
        ctx.temporaryFiles.delete(temp);
        await temp.dispose();
      };
      range = new FileRange(temp.handle, 0, temp.size);
    }
  } catch (err) {
    const problem = spoolProblem(path, err);
    if (problem) ctx.onProblem(problem);
    return;
  }
  try {
    const listing = await listZip(range);
    yield* zipMembers({ path, range, listing, prefix: nestedPath(path, ''), root: '' }, inner);
  } finally {
    await dispose?.();
  }
}

/** Every member of a zip in a total order (metadata.yaml, yamls/, then by path), nested zips expanded in place. */
export async function* zipMembers(zip: OpenZip, ctx: ReadContext): AsyncGenerator<BundleMember> {
  const { listing } = zip;
  const nested = zip.prefix !== '';
  if (listing.unreadable !== null) {
    ctx.onProblem({ file: zip.path, reason: `${nested ? 'corrupt nested zip' : 'unreadable zip'}: ${listing.unreadable}` });
    return;
  }
  if (listing.recoveredFrom !== null) {
    ctx.onProblem({
      file: zip.path,
      reason: `no readable central directory (${listing.recoveredFrom}); ${listing.records.length} members recovered by scanning local headers`,
    });
  }
  const reads = new WindowedReads(zip.range);
  const files = listing.records
    .filter((r) => !r.isDirectory && r.name !== '')
    .map((record, index) => ({ record, index, path: zip.prefix + stripRoot(record.name, zip.root) }))
    .sort((a, b) => compareMemberPaths(a.path, b.path) || a.index - b.index);

  for (const { record, path } of files) {
    if (!ctx.budget.admitMember()) return;
    const unreadable = unreadableReason(record);
    if (unreadable !== null) {
      ctx.onProblem({ file: path, reason: unreadable });
      continue;
    }
    if (record.truncated) {
      ctx.onProblem({ file: path, reason: 'member cut off by the end of the archive: only its beginning can be read' });
    }
    if (
      record.method === METHOD_DEFLATED &&
      record.uncompressedSize !== null &&
      !withinCompressionRatio(ctx, path, record.compressedSize, record.uncompressedSize)
    ) {
      continue;
    }
    yield zipMember(zip, record, path, ctx, reads);
    if (isZipFileName(path) && !ctx.budget.stopped) yield* nestedZipMembers(zip, record, path, ctx);
  }
}

/** A zip input: its central directory is listed at once (to find the bundle root), members are read on demand. */
export async function openZipSource(path: string, displayPath: string, limits: ReadLimits): Promise<BundleSource> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const range = new FileRange(handle, 0, size);
    const listing = await listZip(range);
    const root = findBundleRoot(listing.records.filter((r) => !r.isDirectory).map((r) => r.name));
    const temporaryFiles = new Set<TempFile>();
    return {
      packing: 'zip',
      displayPath,
      root,
      members: (onProblem: (p: ReadProblem) => void) => {
        const ctx = createReadContext(limits, onProblem, displayPath, temporaryFiles, 1);
        return zipMembers({ path: displayPath, range, listing, prefix: '', root }, ctx);
      },
      close: async () => {
        await removeTemporaryFiles(temporaryFiles);
        await handle.close();
      },
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
