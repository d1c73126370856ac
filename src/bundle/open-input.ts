import { open, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { UsageError } from './errors.js';
import { openFileSource, type LooseFile } from './file-source.js';
import { DEFAULT_LIMITS, type BundleSource, type Packing, type ReadLimits } from './types.js';

export { detectInputKind } from './detect-input-kind.js';

/** Enough compressed bytes to reach the first tar header's magic, little enough to stay small if it is a bomb. */
const GZIP_SNIFF_BYTES = 8192;
const TAR_MAGIC_OFFSET = 257;

const isZipMagic = (head: Buffer): boolean =>
  head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
const isGzipMagic = (head: Buffer): boolean => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
const isTarHeader = (head: Buffer): boolean => head.toString('latin1', TAR_MAGIC_OFFSET, TAR_MAGIC_OFFSET + 5) === 'ustar';

/** The start of a gzip stream, decoded as far as the given bytes allow (never throws on a cut stream). */
function gunzipHead(compressed: Buffer): Buffer {
  try {
    return gunzipSync(compressed, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return Buffer.alloc(0);
  }
}

/** The end of a zip: its end-of-central-directory record lies in the last 22 + 65535 (comment) bytes. */
const ZIP_TAIL_BYTES = 22 + 0xffff;
const ZIP_END_OF_DIRECTORY = Buffer.from([0x50, 0x4b, 5, 6]);

/** How a file is packed, from its first bytes (never from its name). */
export function detectPacking(head: Buffer): Exclude<Packing, 'directory'> {
  if (isZipMagic(head)) return 'zip';
  if (isGzipMagic(head)) return isTarHeader(gunzipHead(head)) ? 'tar.gz' : 'gzip-file';
  if (isTarHeader(head)) return 'tar';
  return 'file';
}

/** The input as the user named it: relative to the working directory when inside it, forward slashes. */
function displayPathOf(absolute: string): string {
  const rel = relative(process.cwd(), absolute);
  const shown = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
  return shown.split(sep).join('/');
}

const reasonOf = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (err as Error).message;
};

async function statInput(path: string): Promise<{ absolute: string; isDirectory: boolean; size: number; mtime: number }> {
  const absolute = resolve(path);
  try {
    const info = await stat(absolute);
    if (!info.isFile() && !info.isDirectory()) throw new UsageError(`cannot read input ${path}: not a file or a directory`);
    return { absolute, isDirectory: info.isDirectory(), size: info.size, mtime: Math.trunc(info.mtimeMs) };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read input ${path}: ${reasonOf(err)}`);
  }
}

async function readAt(path: string, absolute: string, position: number, length: number): Promise<Buffer> {
  try {
    const handle = await open(absolute, 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buf, 0, buf.length, position);
      return buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new UsageError(`cannot read input ${path}: ${reasonOf(err)}`);
  }
}

const readHead = (path: string, absolute: string): Promise<Buffer> => readAt(path, absolute, 0, GZIP_SNIFF_BYTES);

/**
 * How a file is packed: from its head, else, for a zip whose first bytes are damaged, from the end-of-central-directory
 * record at its end (the directory then still lists every member).
 */
async function packingOf(path: string, input: { absolute: string; size: number }, head: Buffer): Promise<Exclude<Packing, 'directory'>> {
  const packing = detectPacking(head);
  if (packing !== 'file' || input.size < ZIP_END_OF_DIRECTORY.length) return packing;
  const tailStart = Math.max(0, input.size - ZIP_TAIL_BYTES);
  const tail = await readAt(path, input.absolute, tailStart, input.size - tailStart);
  return tail.lastIndexOf(ZIP_END_OF_DIRECTORY) !== -1 ? 'zip' : 'file';
}

const looseFile = (input: { absolute: string; size: number; mtime: number }, head: Buffer): LooseFile => ({
  absolute: input.absolute,
  displayPath: displayPathOf(input.absolute),
  size: input.size,
  mtime: input.mtime,
  gzipped: isGzipMagic(head),
});

/**
 * Opens a support bundle, an upgrade-log archive or logs, however packed: zip (nested node zips included), tar,
 * tar.gz, an extracted directory, or a loose (possibly gzipped) log file. Packing is detected from content.
 * A missing or unreadable path is a UsageError; everything wrong inside the input is a ReadProblem later.
 */
export async function openInput(path: string, limits: Partial<ReadLimits> = {}): Promise<BundleSource> {
  const readLimits: ReadLimits = { ...DEFAULT_LIMITS, ...limits };
  const input = await statInput(path);
  const displayPath = displayPathOf(input.absolute);
  // Each reader (and its archive library) is loaded only for an input that needs it: start-up stays short.
  if (input.isDirectory) {
    const { openDirectorySource } = await import('./directory-source.js');
    try {
      return await openDirectorySource(input.absolute, displayPath, readLimits);
    } catch (err) {
      throw new UsageError(`cannot read input ${path}: ${reasonOf(err)}`);
    }
  }
  const head = await readHead(path, input.absolute);
  const packing = await packingOf(path, input, head);
  if (packing === 'zip') return (await import('./zip-source.js')).openZipSource(input.absolute, displayPath, readLimits);
  if (packing === 'tar' || packing === 'tar.gz') {
    return (await import('./tar-source.js')).openTarSource(input.absolute, displayPath, packing === 'tar.gz', readLimits);
  }
  return openFileSource([looseFile(input, head)], readLimits);
}

/** Several loose log files read as one input (each plain or gzipped). */
export async function openLogFiles(paths: readonly string[], limits: Partial<ReadLimits> = {}): Promise<BundleSource> {
  if (paths.length === 0) throw new UsageError('no input given');
  const files: LooseFile[] = [];
  for (const path of paths) {
    const input = await statInput(path);
    if (input.isDirectory) throw new UsageError(`${path} is a directory: give a directory as the only input`);
    const head = await readHead(path, input.absolute);
    const packing = detectPacking(head);
    if (packing !== 'file' && packing !== 'gzip-file') {
      throw new UsageError(`${path} is a ${packing} archive: give an archive as the only input`);
    }
    files.push(looseFile(input, head));
  }
  return openFileSource(files, { ...DEFAULT_LIMITS, ...limits });
}
