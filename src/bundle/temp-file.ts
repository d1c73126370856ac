import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A nested archive's bytes spooled to disk so it can be read by random access without holding it in memory. */
export interface TempFile {
  handle: FileHandle;
  size: number;
  dispose(): Promise<void>;
}

/**
 * Writes `source` to a new file in a private temporary folder (os.tmpdir(), random name). `admit` sees every chunk's
 * size and throws to abort (a limit reached); any error removes the folder and propagates.
 */
export async function spoolToTempFile(source: Readable, admit: (bytes: number) => void): Promise<TempFile> {
  const dir = await mkdtemp(join(tmpdir(), 'harvester-postmortem-'));
  const path = join(dir, 'nested.zip');
  const remove = (): Promise<void> => rm(dir, { recursive: true, force: true });
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        admit(chunk.length);
        size += chunk.length;
        done(null, chunk);
      } catch (err) {
        done(err as Error);
      }
    },
  });
  try {
    await pipeline(source, counter, createWriteStream(path));
    const handle = await open(path, 'r');
    return {
      handle,
      size,
      dispose: async () => {
        await handle.close();
        await remove();
      },
    };
  } catch (err) {
    source.destroy();
    await remove();
    throw err;
  }
}
