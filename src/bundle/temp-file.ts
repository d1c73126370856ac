import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** A nested archive's bytes spooled to disk so it can be read by random access without holding it in memory. */
export interface TempFile {
  handle: FileHandle;
  size: number;
  /**
   * Why the source ended before its end (a truncated or corrupt deflate stream), or null when it was read whole.
   * What came before the damage is kept: a zip's local headers can still be scanned in it.
   */
  cut: unknown;
  dispose(): Promise<void>;
}

/**
 * Writes `source` to a new file in a private temporary folder (os.tmpdir(), random name), chunk by chunk. `admit`
 * sees every chunk's size and throws to abort (a limit reached): the folder is removed and the error propagates.
 * An error of the source itself keeps the bytes read before it (see TempFile.cut), unless there are none.
 */
export async function spoolToTempFile(source: Readable, admit: (bytes: number) => void): Promise<TempFile> {
  const dir = await mkdtemp(join(tmpdir(), 'harvester-postmortem-'));
  const remove = (): Promise<void> => rm(dir, { recursive: true, force: true });
  let handle: FileHandle | null = null;
  try {
    handle = await open(join(dir, 'nested.zip'), 'w+');
    const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    let size = 0;
    let cut: unknown = null;
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await iterator.next();
      } catch (err) {
        cut = err;
        break;
      }
      if (next.done) break;
      admit(next.value.length);
      await writeAll(handle, next.value, size);
      size += next.value.length;
    }
    if (cut !== null && size === 0) throw cut;
    const spooled = handle;
    return {
      handle: spooled,
      size,
      cut,
      dispose: async () => {
        await spooled.close();
        await remove();
      },
    };
  } catch (err) {
    source.destroy();
    await handle?.close();
    await remove();
    throw err;
  }
}

async function writeAll(handle: FileHandle, chunk: Buffer, position: number): Promise<void> {
  for (let written = 0; written < chunk.length; ) {
    const { bytesWritten } = await handle.write(chunk, written, chunk.length - written, position + written);
    written += bytesWritten;
  }
}
