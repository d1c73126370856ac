import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import fg from 'fast-glob';
import { FileRange } from './byte-range.js';
import { classifyPath } from './classify-path.js';
import { compareMemberPaths, findBundleRoot, isGzipFileName, isZipFileName, nestedPath, stripRoot } from './member-path.js';
import { CHUNK_BYTES, describeReadError, memberContent } from './member-stream.js';
import { createReadContext, removeTemporaryFiles, withinNestingLimit, type ReadContext } from './read-context.js';
import type { TempFile } from './temp-file.js';
import type { BundleMember, BundleSource, ReadLimits, ReadProblem } from './types.js';

interface DirectoryFile {
  /** Path relative to the bundle root. */
  path: string;
  absolute: string;
  size: number;
  mtime: number;
}

/** A zip file found in the tree (node zips of an extracted bundle), read in place by random access. */
async function* directoryZipMembers(file: DirectoryFile, ctx: ReadContext): AsyncGenerator<BundleMember> {
  if (!withinNestingLimit(ctx, file.path)) return;
  let handle;
  try {
    handle = await open(file.absolute, 'r');
  } catch (err) {
    ctx.onProblem({ file: file.path, reason: describeReadError(err) });
    return;
  }
  try {
    const range = new FileRange(handle, 0, file.size);
    const [{ listZip }, { zipMembers }] = await Promise.all([import('./zip-listing.js'), import('./zip-source.js')]);
    const listing = await listZip(range);
    yield* zipMembers({ path: file.path, range, listing, prefix: nestedPath(file.path, ''), root: '' }, { ...ctx, depth: ctx.depth + 1 });
  } finally {
    await handle.close();
  }
}

async function* directoryMembers(
  files: DirectoryFile[],
  links: string[],
  displayPath: string,
  ctx: ReadContext,
): AsyncGenerator<BundleMember> {
  for (const link of links) ctx.onProblem({ file: link, reason: 'symbolic link or special file skipped: links are never followed' });
  if (files.length === 0) ctx.onProblem({ file: displayPath, reason: 'empty directory: no files to read' });
  for (const file of files) {
    if (!ctx.budget.admitMember()) return;
    yield {
      info: classifyPath(file.path),
      size: isGzipFileName(file.path) ? null : file.size,
      mtime: file.mtime,
      open: async () =>
        memberContent({
          file: file.path,
          ctx,
          stored: createReadStream(file.absolute, { highWaterMark: CHUNK_BYTES }),
          size: file.size,
          deflatedSize: null,
        }),
    };
    if (isZipFileName(file.path) && !ctx.budget.stopped) yield* directoryZipMembers(file, ctx);
  }
}

/**
 * An extracted bundle: the directory itself or its parent (then the one folder holding metadata.yaml is the
 * root and nothing outside it is read, so a zip lying next to its extraction is not read twice).
 */
export async function openDirectorySource(dir: string, displayPath: string, limits: ReadLimits): Promise<BundleSource> {
  const entries = await fg('**', { cwd: dir, dot: false, onlyFiles: false, followSymbolicLinks: false, objectMode: true, stats: true });
  const regular = entries.filter((e) => e.stats?.isFile());
  const root = findBundleRoot(regular.map((e) => e.path));
  const inRoot = (path: string): boolean => root === '' || path.startsWith(`${root}/`);
  const files = regular
    .filter((e) => inRoot(e.path))
    .map((e) => ({ path: stripRoot(e.path, root), absolute: join(dir, e.path), size: e.stats?.size ?? 0, mtime: Math.trunc(e.stats?.mtimeMs ?? 0) }))
    .sort((a, b) => compareMemberPaths(a.path, b.path));
  const links = entries
    .filter((e) => !e.stats?.isFile() && !e.stats?.isDirectory() && inRoot(e.path))
    .map((e) => stripRoot(e.path, root))
    .sort();
  const temporaryFiles = new Set<TempFile>();
  return {
    packing: 'directory',
    displayPath,
    root,
    members: (onProblem: (p: ReadProblem) => void) =>
      directoryMembers(files, links, displayPath, createReadContext(limits, onProblem, displayPath, temporaryFiles, 0)),
    close: () => removeTemporaryFiles(temporaryFiles),
  };
}
