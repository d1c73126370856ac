import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar, { type ExtractEvents } from 'tar-stream';
import { FileRange } from './byte-range.js';
import { classifyPath } from './classify-path.js';
import { findBundleRoot, isGzipFileName, isMacosMetadataPath, isZipFileName, nestedPath, normaliseMemberPath, stripRoot } from './member-path.js';
import { CHUNK_BYTES, describeReadError, memberContent } from './member-stream.js';
import {
  admitSpooled,
  createReadContext,
  partialSpoolProblem,
  removeTemporaryFiles,
  spoolProblem,
  withinNestingLimit,
  type ReadContext,
} from './read-context.js';
import { paddedEnd, resyncFrom, TAR_BLOCK } from './tar-resync.js';
import { spoolToTempFile, type TempFile } from './temp-file.js';
import type { BundleMember, BundleSource, ReadLimits, ReadProblem } from './types.js';
import { listZip } from './zip-listing.js';
import { zipMembers } from './zip-source.js';

type TarEntry = ExtractEvents['entry'][1];

const FILE_TYPES = new Set(['file', 'contiguous-file']);
/** Entry types that are never read: they point elsewhere or are not data. */
const SKIPPED_TYPES = new Set(['symlink', 'link', 'character-device', 'block-device', 'fifo']);

/**
 * The tar byte stream: the file read in 1 MiB blocks, gunzipped with 1 MiB chunks when needed, from the first valid
 * header at or after `from` (0: the start). A read or gunzip error ends the extraction with that error; `close`
 * releases every stage.
 */
function openTarStream(
  path: string,
  gzipped: boolean,
  from = 0,
  onResync: (offset: number | null) => void = () => {},
): { extract: tar.Extract; close: () => void; endsWithEndOfArchive: () => boolean } {
  // A plain tar is entered at `from` directly; a gzipped one has to be inflated from its start.
  const skip = gzipped ? from : 0;
  const input = createReadStream(path, { highWaterMark: CHUNK_BYTES, start: from - skip });
  const gunzip = gzipped ? createGunzip({ chunkSize: CHUNK_BYTES }) : null;
  const resync = from > 0 ? resyncFrom(skip, (offset) => onResync(offset === null ? null : offset + from - skip)) : null;
  const extract = tar.extract();
  const fail = (err: Error): void => {
    extract.destroy(err);
  };
  input.on('error', fail);
  gunzip?.on('error', fail);
  const tail = lastBytes(END_OF_ARCHIVE_BYTES);
  let stream: NodeJS.ReadableStream = gunzip ? input.pipe(gunzip) : input;
  if (resync) stream = stream.pipe(resync);
  stream.pipe(tail.stream).pipe(extract);
  return {
    extract,
    close: () => {
      input.destroy();
      gunzip?.destroy();
      resync?.destroy();
      tail.stream.destroy();
      extract.destroy();
    },
    endsWithEndOfArchive: () => tail.bytes().length === END_OF_ARCHIVE_BYTES && tail.bytes().every((byte) => byte === 0),
  };
}

/** A tar ends with two zero blocks; one cut after a complete entry ends without them and reads as complete. */
const END_OF_ARCHIVE_BYTES = 2 * TAR_BLOCK;

/** A pass-through that remembers the last `count` bytes it passed. */
function lastBytes(count: number): { stream: Transform; bytes: () => Buffer } {
  let kept = Buffer.alloc(0);
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      kept = chunk.length >= count ? Buffer.from(chunk.subarray(chunk.length - count)) : Buffer.concat([kept, chunk]).subarray(-count);
      done(null, chunk);
    },
  });
  return { stream, bytes: () => kept };
}

/**
 * A tar entry as an ordinary Readable whose destruction skips the rest of the entry instead of destroying the
 * whole tar extraction (tar-stream entries abort the archive when destroyed). The entry is pulled chunk by chunk,
 * so an error of the archive (a cut inside the entry) reaches the reader after every byte before it, and only when
 * the entry is read. `finished` settles once the entry was read or skipped to its end, or the archive failed.
 */
function entryStream(entry: TarEntry): { stream: Readable; finished: Promise<void> } {
  const finished = new Promise<void>((resolve) => {
    entry.once('end', resolve);
    entry.once('close', resolve);
  });
  const queue: Buffer[] = [];
  let ended = false;
  let failure: Error | null = null;
  let skipping = false;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  entry.on('data', (chunk) => {
    if (skipping) return;
    queue.push(chunk as Buffer);
    entry.pause();
    notify();
  });
  entry.once('end', () => {
    ended = true;
    notify();
  });
  entry.once('error', (err: Error) => {
    failure = err;
    notify();
  });
  const skip = (): void => {
    skipping = true;
    queue.length = 0;
    entry.resume();
  };
  async function* pull(): AsyncGenerator<Buffer> {
    for (;;) {
      const chunk = queue.shift();
      if (chunk) yield chunk;
      else if (failure) throw failure;
      else if (ended) return;
      else
        await new Promise<void>((resolve) => {
          wake = resolve;
          entry.resume();
        });
    }
  }
  const stream = Readable.from(pull(), { objectMode: false });
  // Destroyed before or while being read, or read to its end: whatever is left of the entry is skipped.
  stream.once('close', skip);
  return { stream, finished };
}

/**
 * The wrapping folder of a tar re-pack, found as findBundleRoot finds it but from the first file alone (a stream has
 * no listing to look at; folder entries and macOS's metadata files aside).
 */
async function tarRoot(path: string, gzipped: boolean): Promise<string> {
  const { extract, close } = openTarStream(path, gzipped);
  try {
    for await (const entry of extract) {
      const name = normaliseMemberPath(entry.header.name);
      entry.resume();
      if (name === '' || entry.header.type === 'directory' || isMacosMetadataPath(name)) continue;
      return findBundleRoot([name]);
    }
  } catch {
    // An unreadable start is reported when the members are read.
  } finally {
    close();
  }
  return '';
}

/** A zip held in `range` (in place or spooled): the zip itself as a member, then its members. */
async function* zipIn(range: FileRange, path: string, mtime: number | null, ctx: ReadContext): AsyncGenerator<BundleMember> {
  yield {
    info: classifyPath(path),
    size: range.size,
    mtime,
    open: async () => memberContent({ file: path, ctx, stored: range.stream(0, range.size), size: range.size, deflatedSize: null }),
  };
  const listing = await listZip(range);
  yield* zipMembers({ path, range, listing, prefix: nestedPath(path, ''), root: '' }, { ...ctx, depth: ctx.depth + 1 });
}

/**
 * A `.zip` inside a tar: read in place, by random access, from a plain tar (`inPlace`), so that a tar cut inside it
 * still gives every member before the cut; spooled to a temporary file from a tar.gz.
 */
async function* tarNestedZip(
  entry: TarEntry,
  path: string,
  mtime: number | null,
  ctx: ReadContext,
  inPlace: FileRange | null,
): AsyncGenerator<BundleMember> {
  const { stream, finished } = entryStream(entry);
  if (inPlace) {
    stream.destroy();
    await finished;
    yield* zipIn(inPlace, path, mtime, ctx);
    return;
  }
  let temp: TempFile;
  let spooled = 0;
  try {
    temp = await spoolToTempFile([stream], (bytes) => {
      admitSpooled(ctx, path, spooled, bytes, null);
      spooled += bytes;
    });
  } catch (err) {
    const problem = spoolProblem(path, err);
    if (problem) ctx.onProblem(problem);
    return;
  } finally {
    await finished;
  }
  ctx.temporaryFiles.add(temp);
  const partial = partialSpoolProblem(path, temp);
  if (partial) ctx.onProblem(partial);
  try {
    yield* zipIn(new FileRange(temp.handle, 0, temp.size), path, mtime, ctx);
  } finally {
    ctx.temporaryFiles.delete(temp);
    await temp.dispose();
  }
}

/** Errors of a damaged header block, after which the archive can be re-entered at the next valid header. */
const isHeaderDamage = (err: unknown): boolean => /invalid (tar )?header|header exceeds max size/i.test((err as Error)?.message ?? '');
/** Each resync of a tar.gz inflates it again from its start: a badly damaged archive is given up after this many. */
const MAX_RESYNCS = 16;

/** Where an entry's data starts in the stream its extraction was fed (tar-stream's header.byteOffset). */
const dataOffsetOf = (entry: TarEntry): number | null => {
  const offset = (entry.header as { byteOffset?: unknown }).byteOffset;
  return typeof offset === 'number' ? offset : null;
};

async function* tarMembers(path: string, gzipped: boolean, root: string, displayPath: string, ctx: ReadContext): AsyncGenerator<BundleMember> {
  // A plain tar is also read by random access: nested zips in place.
  const file = gzipped ? null : await open(path, 'r');
  try {
    yield* tarEntries(path, gzipped, root, displayPath, ctx, file && new FileRange(file, 0, (await file.stat()).size));
  } finally {
    await file?.close();
  }
}

async function* tarEntries(
  path: string,
  gzipped: boolean,
  root: string,
  displayPath: string,
  ctx: ReadContext,
  whole: FileRange | null,
): AsyncGenerator<BundleMember> {
  let entries = 0;
  let from = 0;
  for (let resyncs = 0; ; resyncs++) {
    // Offset of the extraction's first byte in the tar, and where the header after the last entry is expected.
    let base = from;
    let next: number | null = from;
    const damagedAt = from - TAR_BLOCK;
    const { extract, close, endsWithEndOfArchive } = openTarStream(path, gzipped, from, (found) => {
      if (found !== null) base = found;
      const skipped = found === null ? 'no valid header follows, the rest of the archive was not read' : `${found - damagedAt} bytes skipped to the next valid header`;
      ctx.onProblem({ file: displayPath, reason: `damaged tar header at byte ${damagedAt}: ${skipped}` });
    });
    let resume: number | null = null;
    try {
      for await (const entry of extract) {
        entries++;
        const { header } = entry;
        const dataOffset = dataOffsetOf(entry);
        next = dataOffset === null ? null : paddedEnd(base + dataOffset, header.type === 'directory' ? 0 : (header.size ?? 0));
        const memberPath = stripRoot(normaliseMemberPath(header.name), root);
        const type = header.type ?? 'file';
        const mtime = header.mtime ? header.mtime.getTime() : null;
        if (!FILE_TYPES.has(type) || memberPath === '') {
          if (SKIPPED_TYPES.has(type)) ctx.onProblem({ file: memberPath, reason: `${type} skipped: links and devices are never followed` });
          const { stream, finished } = entryStream(entry);
          stream.destroy();
          await finished;
          continue;
        }
        if (!ctx.budget.admitMember()) return;
        if (isZipFileName(memberPath) && withinNestingLimit(ctx, memberPath)) {
          const inPlace = whole && dataOffset !== null ? whole.sub(base + dataOffset, header.size ?? 0) : null;
          yield* tarNestedZip(entry, memberPath, mtime, ctx, inPlace);
        } else {
          const { stream, finished } = entryStream(entry);
          const size = header.size ?? null;
          let content: Readable | null = null;
          yield {
            info: classifyPath(memberPath),
            size: isGzipFileName(memberPath) ? null : size,
            mtime,
            open: async () => {
              if (content) throw new Error(`tar member ${memberPath} can only be opened once`);
              content = memberContent({ file: memberPath, ctx, stored: stream, size, deflatedSize: null });
              return content;
            },
          };
          // Asking for the next member ends this one: whatever was left unread is skipped.
          (content ?? stream).destroy();
          await finished;
        }
        if (ctx.budget.stopped) return;
      }
      if (entries === 0 && resyncs === 0) ctx.onProblem({ file: displayPath, reason: 'empty tar archive: no entries' });
      else if (!endsWithEndOfArchive()) {
        ctx.onProblem({ file: displayPath, reason: 'tar archive ends without its end-of-archive blocks: cut off after its last complete entry' });
      }
    } catch (err) {
      if (isHeaderDamage(err) && next !== null && resyncs < MAX_RESYNCS) resume = next + TAR_BLOCK;
      else ctx.onProblem({ file: displayPath, reason: `tar archive unreadable after ${entries} entries: ${describeReadError(err)}` });
    } finally {
      close();
    }
    if (resume === null) return;
    from = resume;
  }
}

/** A tar or tar.gz input, read as one stream in archive order. */
export async function openTarSource(path: string, displayPath: string, gzipped: boolean, limits: ReadLimits): Promise<BundleSource> {
  const root = await tarRoot(path, gzipped);
  const temporaryFiles = new Set<TempFile>();
  return {
    packing: gzipped ? 'tar.gz' : 'tar',
    displayPath,
    root,
    members: (onProblem: (p: ReadProblem) => void) =>
      tarMembers(path, gzipped, root, displayPath, createReadContext(limits, onProblem, displayPath, temporaryFiles, 1)),
    close: () => removeTemporaryFiles(temporaryFiles),
  };
}
