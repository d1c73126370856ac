import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import fg from 'fast-glob';

/**
 * Identity of an input for de-duplication: sha256 of a file's bytes, or of a directory's sorted file list with
 * each file's bytes, so a bundle given twice (or as a copy under another name) is analysed once.
 */
export async function contentHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  if ((await stat(path)).isDirectory()) {
    const files = (await fg('**/*', { cwd: path, onlyFiles: true, dot: true, followSymbolicLinks: false })).sort();
    for (const file of files) {
      hash.update(`${file}\0`);
      await feed(hash, `${path}/${file}`);
    }
  } else {
    await feed(hash, path);
  }
  return hash.digest('hex');
}

async function feed(hash: ReturnType<typeof createHash>, file: string): Promise<void> {
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
}
