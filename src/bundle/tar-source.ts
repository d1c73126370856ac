import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar, { type ExtractEvents } from 'tar-stream';
import { FileRange } from './byte-range.js';
import { classifyPath } from './classify-path.js';
import { isBundleTopLevelName, isGzipFileName, isZipFileName, nestedPath, normaliseMemberPath, stripRoot } from './member-path.js';
import { CHUNK_BYTES, describeReadError, memberContent } from './member-stream.js';
import { admitSpooled, createReadContext, removeTemporaryFiles, spoolProblem, withinNestingLimit, type ReadContext } from './read-context.js';
import { spoolToTempFile, type TempFile } from './temp-file.js';
import type { BundleMember, BundleSource, ReadLimits, ReadProblem } from './types.js';
import { listZip } from './zip-listing.js';
import { zipMembers } from './zip-source.js';

type TarEntry = ExtractEvents['entry'][1];

const FILE_TYPES = new Set(['file', 'contiguous-file']);
/** Entry types that are never read: they point elsewhere or are not data. */
const SKIPPED_TYPES = new Set(['symlink', 'link', 'character-device', 'block-device', 'fifo']);

/**
 * The tar byte stream: the file read in 1 MiB blocks, gunzipped with 1 MiB chunks when needed. A read or gunzip
 * error ends the extraction with that error; `close` releases every stage.
 */
function openTarStream(path: string, gzipped: boolean): { extract: tar.Extract; close: () => void } {
  const input = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const gunzip = gzipped ? createGunzip({ chunkSize: CHUNK_BYTES }) : null;
  const extract = tar.extract();
  const fail = (err: Error): void => {
    extract.destroy(err);
  };
  input.on('error', fail);
  gunzip?.on('error', fail);
  (gunzip ? input.pipe(gunzip) : input).pipe(extract);
  return {
    extract,
    close: () => {
      input.destroy();
      gunzip?.destroy();
      extract.destroy();
    },
  };
}

/**
 * A tar entry as an ordinary Readable whose destruction skips the rest of the entry instead of destroying the
 * whole tar extraction (tar-stream entries abort the archive when destroyed). `finished` settles once the entry
 * was read or skipped to its end, or the archive failed.
 */
function entryStream(entry: TarEntry): { stream: Readable; finished: Promise<void> } {
  let skipping = false;
  const finished = new Promise<void>((resolve) => {
    entry.once('end', resolve);
    entry.once('close', resolve);
  });
  const stream = new Readable({
    read: () => {
      entry.resume();
    },
    destroy: (err, done) => {
      skipping = true;
      entry.resume();
      done(err);
    },
  });
  entry.on('data', (chunk) => {
    if (!skipping && !stream.push(chunk as Buffer)) entry.pause();
  });
  entry.once('end', () => {
    if (!skipping) stream.push(null);
  });
  entry.once('error', (err: Error) => {
    if (!skipping) stream.destroy(err);
  });
  return { stream, finished };
}

/**
 * The wrapping folder of a tar re-pack, from its first named entry (a stream has no listing to look at): a
 * folder whose name is not part of the bundle's own layout, e.g. `supportbundle_<uuid>_<time>/`.
 */
async function tarRoot(path: string, gzipped: boolean): Promise<string> {
  const { extract, close } = openTarStream(path, gzipped);
  try {
    for await (const entry of extract) {
      const name = normaliseMemberPath(entry.header.name);
      entry.resume();
      if (name === '') continue;
      const first = name.split('/', 1)[0];
      const folder = entry.header.type === 'directory' || name.includes('/');
      return folder && !isBundleTopLevelName(first) ? first : '';
    }
  } catch {
    // An unreadable start is reported when the members are read.
  } finally {
    close();
  }
  return '';
}

/** A `.zip` inside a tar is spooled to a temporary file, then read like any nested zip. */
async function* tarNestedZip(
  entry: TarEntry,
  path: string,
  mtime: number | null,
  ctx: ReadContext,
): AsyncGenerator<BundleMember> {
  const { stream, finished } = entryStream(entry);
  let temp: TempFile;
  let spooled = 0;
  try {
    temp = await spoolToTempFile(stream, (bytes) => {
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
  try {
    const range = new FileRange(temp.handle, 0, temp.size);
    yield {
      info: classifyPath(path),
      size: temp.size,
      mtime,
      open: async () => memberContent({ file: path, ctx, stored: range.stream(0, temp.size), size: temp.size, deflatedSize: null }),
    };
    const listing = await listZip(range);
    yield* zipMembers({ path, range, listing, prefix: nestedPath(path, ''), root: '' }, { ...ctx, depth: ctx.depth + 1 });
  } finally {
    ctx.temporaryFiles.delete(temp);
    await temp.dispose();
  }
}

async function* tarMembers(path: string, gzipped: boolean, root: string, displayPath: string, ctx: ReadContext): AsyncGenerator<BundleMember> {
  const { extract, close } = openTarStream(path, gzipped);
  let entries = 0;
  try {
    for await (const entry of extract) {
      entries++;
      const { header } = entry;
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
        yield* tarNestedZip(entry, memberPath, mtime, ctx);
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
    if (entries === 0) ctx.onProblem({ file: displayPath, reason: 'empty tar archive: no entries' });
  } catch (err) {
    ctx.onProblem({ file: displayPath, reason: `tar archive unreadable after ${entries} entries: ${describeReadError(err)}` });
  } finally {
    close();
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
