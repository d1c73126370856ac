/**
 * Packing a generated bundle tree: Info-ZIP-like zips (directory entries, nested `.zip` members stored),
 * and the re-packs used for benchmarks (flat zip, tar.gz, plain directory). Contents are streamed;
 * nested zips are written to temporary files first so memory stays flat at any scale.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack as tarPack, type Header as TarHeaders } from 'tar-stream';
import yazl from 'yazl';
import type { Micros } from './line-formats.js';
import { US_PER_MS } from './line-formats.js';
import type { Rng } from './prng.js';

/** Lazily produced file content (text chunks, or a byte stream such as a gzip); called once per write. */
export type Content = () => Iterable<string | Buffer> | Readable;

export type TreeEntry =
  | { kind: 'dir'; path: string }
  | { kind: 'file'; path: string; content: Content }
  /** A nested zip (`nodes/<node>.zip`) holding its own tree under the single root folder `root`. */
  | { kind: 'zip'; path: string; tree: Tree };

/** Entries in archive order; paths are relative to `root`, the single top folder ('' for none). */
export interface Tree {
  root: string;
  mtime: Micros;
  entries: TreeEntry[];
}

export type Packing = 'support-zip' | 'flat-zip' | 'tar.gz' | 'dir';
export const PACKINGS: readonly Packing[] = ['support-zip', 'flat-zip', 'tar.gz', 'dir'];

type Leaf = { kind: 'file'; content: Content } | { kind: 'zip'; tree: Tree };

/**
 * Orders files the way `zip -r` walks a directory: each directory entry before its children, siblings in
 * the file system's (hash-like, unsorted) readdir order — imitated with a seeded shuffle.
 */
export function treeEntries(files: ReadonlyMap<string, Leaf>, rng: Rng): TreeEntry[] {
  interface Dir {
    dirs: Map<string, Dir>;
    files: string[];
  }
  const top: Dir = { dirs: new Map(), files: [] };
  for (const path of [...files.keys()].sort()) {
    const segs = path.split('/');
    let d = top;
    for (const s of segs.slice(0, -1)) {
      if (!d.dirs.has(s)) d.dirs.set(s, { dirs: new Map(), files: [] });
      d = d.dirs.get(s)!;
    }
    d.files.push(path);
  }
  const out: TreeEntry[] = [];
  const walk = (d: Dir, prefix: string): void => {
    const children = [...[...d.dirs.keys()].map((k) => ({ dir: k })), ...d.files.map((f) => ({ file: f }))];
    for (const c of rng.shuffle(children)) {
      if ('dir' in c) {
        out.push({ kind: 'dir', path: `${prefix}${c.dir}/` });
        walk(d.dirs.get(c.dir)!, `${prefix}${c.dir}/`);
      } else {
        const leaf = files.get(c.file)!;
        out.push(leaf.kind === 'file' ? { kind: 'file', path: c.file, content: leaf.content } : { kind: 'zip', path: c.file, tree: leaf.tree });
      }
    }
  };
  walk(top, '');
  return out;
}

function stream(content: Content): Readable {
  const made = content();
  if (made instanceof Readable) return made;
  return Readable.from((function* () {
    for (const chunk of made) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  })(), { objectMode: false });
}

/** DOS time fields are local time in yazl: build the Date whose local fields read as the UTC wall clock. */
function dosDate(t: Micros): Date {
  const d = new Date(Math.floor(t / US_PER_MS));
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

const FILE_MODE = 0o100644;
const DIR_MODE = 0o40755;

async function writeZip(tree: Tree, out: string, expandNested: boolean, tmp: string): Promise<void> {
  const zip = new yazl.ZipFile();
  const mtime = dosDate(tree.mtime);
  const done = pipeline(zip.outputStream, createWriteStream(out));
  let nestedCount = 0;
  const add = async (entries: TreeEntry[], prefix: string, entryMtime: Date): Promise<void> => {
    for (const e of entries) {
      const name = prefix + e.path;
      if (e.kind === 'dir') zip.addEmptyDirectory(name, { mtime: entryMtime, mode: DIR_MODE, forceDosTimestamp: true });
      else if (e.kind === 'file') {
        zip.addReadStreamLazy(name, { mtime: entryMtime, mode: FILE_MODE, forceDosTimestamp: true, compress: true }, (cb) =>
          cb(null, stream(e.content)),
        );
      } else if (expandNested) {
        // As `unzip <node>.zip` in its folder leaves it: the nested zip's root folder next to where it was.
        const dir = name.slice(0, name.lastIndexOf('/') + 1);
        const nestedMtime = dosDate(e.tree.mtime);
        zip.addEmptyDirectory(`${dir}${e.tree.root}/`, { mtime: nestedMtime, mode: DIR_MODE, forceDosTimestamp: true });
        await add(e.tree.entries, `${dir}${e.tree.root}/`, nestedMtime);
      } else {
        // Info-ZIP stores members that are already zips without compressing them.
        const nestedPath = join(tmp, `nested-${nestedCount++}.zip`);
        await writeZip(e.tree, nestedPath, false, tmp);
        zip.addFile(nestedPath, name, { mtime: entryMtime, mode: FILE_MODE, forceDosTimestamp: true, compress: false });
      }
    }
  };
  const top = tree.root ? `${tree.root}/` : '';
  if (top) zip.addEmptyDirectory(top, { mtime, mode: DIR_MODE, forceDosTimestamp: true });
  await add(tree.entries, top, mtime);
  zip.end();
  await done;
}

async function writeDir(tree: Tree, outDir: string, tmp: string): Promise<void> {
  for (const e of tree.entries) {
    const target = join(outDir, tree.root, e.path);
    if (e.kind === 'dir') await mkdir(target, { recursive: true });
    else {
      await mkdir(dirname(target), { recursive: true });
      if (e.kind === 'file') await pipeline(stream(e.content), createWriteStream(target));
      else await writeZip(e.tree, target, false, tmp);
    }
  }
}

async function writeTarGz(tree: Tree, out: string, tmp: string): Promise<void> {
  const staged = join(tmp, 'staged');
  await writeDir(tree, staged, tmp);
  const pack = tarPack();
  const done = pipeline(pack, createGzip({ level: 6 }), createWriteStream(out));
  const mtime = new Date(Math.floor(tree.mtime / US_PER_MS));
  // Directory entries finish on their own; file entries are fed from the staged copy.
  const entry = (header: Partial<TarHeaders> & { name: string }, source?: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
      if (source) createReadStream(source).on('error', reject).pipe(sink);
    });
  const top = tree.root ? `${tree.root}/` : '';
  if (top) await entry({ name: top, type: 'directory', mode: 0o755, mtime });
  for (const e of tree.entries) {
    const name = `${top}${e.path}`;
    if (e.kind === 'dir') await entry({ name, type: 'directory', mode: 0o755, mtime });
    else {
      const source = join(staged, tree.root, e.path);
      const { size } = await stat(source);
      await entry({ name, type: 'file', mode: 0o644, mtime, size }, source);
    }
  }
  pack.finalize();
  await done;
}

/** Writes `tree` at `out` (a file, or a directory for `dir`) in the chosen packing. */
export async function writeTree(tree: Tree, out: string, packing: Packing): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'hp-samples-'));
  try {
    await mkdir(dirname(out), { recursive: true });
    if (packing === 'support-zip') await writeZip(tree, out, false, tmp);
    else if (packing === 'flat-zip') await writeZip(tree, out, true, tmp);
    else if (packing === 'tar.gz') await writeTarGz(tree, out, tmp);
    else await writeDir(tree, out, tmp);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
