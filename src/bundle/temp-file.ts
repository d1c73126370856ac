import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable, type Duplex, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { makeTempDir } from '../util/temp-dirs.js';

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
 * Writes what `stages` produce (a source and the transforms it goes through, in one pipeline so that no stage's error
 * goes unheard) to a new file in a private temporary folder (see makeTempDir). `admit` sees every chunk's
 * size and throws to abort (a limit reached): the folder is removed and the error propagates. An error of the stages
 * themselves (a truncated deflate stream) keeps the bytes spooled before it (see TempFile.cut), unless there are none.
 */
export async function spoolToTempFile(stages: readonly [Readable, ...Duplex[]], admit: (bytes: number) => void): Promise<TempFile> {
  const dir = await makeTempDir('nested');
  const remove = (): Promise<void> => rm(dir, { recursive: true, force: true });
  let handle: FileHandle | null = null;
  try {
    const file = await open(join(dir, 'nested.zip'), 'w+');
    handle = file;
    let size = 0;
    // Errors of the sink (a limit, a failed write) abort; an error of the source only ends the spool.
    let sinkError: unknown = null;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        try {
          admit(chunk.length);
        } catch (err) {
          sinkError = err;
          done(err as Error);
          return;
        }
        writeAll(file, chunk, size).then(
          () => {
            size += chunk.length;
            done();
          },
          (err: Error) => {
            sinkError = err;
            done(err);
          },
        );
      },
    });
    let cut: unknown = null;
    try {
      await pipeline([...stages, sink]);
    } catch (err) {
      if (sinkError !== null) throw sinkError;
      cut = err;
    }
    if (cut !== null && size === 0) throw cut;
    return {
      handle: file,
      size,
      cut,
      dispose: async () => {
        await file.close();
        await remove();
      },
    };
  } catch (err) {
    for (const stage of stages) stage.destroy();
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
