import { createReadStream } from 'node:fs';
import { posix, sep } from 'node:path';
import { classifyPath } from './classify-path.js';
import { isNodeTreePath } from './member-path.js';
import { CHUNK_BYTES, memberContent } from './member-stream.js';
import { createReadContext } from './read-context.js';
import type { TempFile } from './temp-file.js';
import type { BundleMember, BundleSource, MemberInfo, Packing, ReadLimits, ReadProblem } from './types.js';

export interface LooseFile {
  absolute: string;
  /** As displayed: relative to the working directory when possible, with forward slashes. */
  displayPath: string;
  size: number;
  mtime: number;
  /** Content starts with the gzip magic: gunzipped whatever its name. */
  gzipped: boolean;
}

/**
 * Member paths of loose files: relative to their common folder, so names stay short and unique; but a node's log in
 * its node's tree (`<node>/logs/kubelet.log`, from an extracted node zip) keeps the folder that names the node.
 */
function memberPaths(files: readonly LooseFile[]): string[] {
  const folders = files.map((f) => folderParts(f.displayPath));
  let common = folders[0]?.length ?? 0;
  for (const folder of folders) {
    let same = 0;
    while (same < common && same < folder.length && folder[same] === folders[0][same]) same++;
    common = same;
  }
  return files.map((f) => {
    const relative = f.displayPath.split('/').slice(common);
    const nodeTree = f.absolute.split(sep).slice(-3);
    return (relative.length < nodeTree.length && isNodeTreePath(nodeTree.join('/')) ? nodeTree : relative).join('/');
  });
}

/** The folders a display path names; none for a file in the working directory (whose dirname is `.`). */
function folderParts(displayPath: string): string[] {
  const folder = posix.dirname(displayPath);
  return folder === '.' ? [] : folder.split('/');
}

/**
 * What a loose file's name says about it, except that it is an archive: openInput found no archive in its content
 * (a damaged head, another format), so it is read as text like any other file and reported if it is not.
 */
function looseInfo(path: string): MemberInfo {
  const info = classifyPath(path);
  return info.kind === 'nested-archive' ? { ...info, kind: 'log' } : info;
}

async function* looseMembers(files: readonly LooseFile[], limits: ReadLimits, onProblem: (p: ReadProblem) => void, displayPath: string): AsyncGenerator<BundleMember> {
  const ctx = createReadContext(limits, onProblem, displayPath, new Set<TempFile>(), 0);
  const paths = memberPaths(files);
  for (const [index, file] of files.entries()) {
    const path = paths[index];
    if (file.size === 0) {
      ctx.onProblem({ file: path, reason: 'empty file (0 bytes)' });
      continue;
    }
    if (!ctx.budget.admitMember()) return;
    yield {
      info: looseInfo(path),
      size: file.gzipped ? null : file.size,
      mtime: file.mtime,
      open: async () =>
        memberContent({
          file: path,
          ctx,
          stored: createReadStream(file.absolute, { highWaterMark: CHUNK_BYTES }),
          size: file.size,
          deflatedSize: null,
          gzipped: file.gzipped,
        }),
    };
  }
}

/** One or several loose log files (plain or gzipped), in the order given. */
export function openFileSource(files: readonly LooseFile[], limits: ReadLimits): BundleSource {
  const packing: Packing = files.length === 1 && files[0].gzipped ? 'gzip-file' : 'file';
  const displayPath = files.map((f) => f.displayPath).join(', ');
  return {
    packing,
    displayPath,
    root: '',
    members: (onProblem: (p: ReadProblem) => void) => looseMembers(files, limits, onProblem, displayPath),
    close: async () => {},
  };
}
