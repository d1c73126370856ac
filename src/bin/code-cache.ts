import { readFileSync, writeFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';

/** A CommonJS file compiled with V8's code cache for it, when there is one that fits. */
export interface CachedScript {
  /** Runs the file as CommonJS does, with these module values. */
  run(exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string): void;
  /** False when the cache was used; true when it was missing, for another text, or refused by V8 (another Node). */
  readonly cacheRejected: boolean;
  /** Writes the cache of everything compiled so far (after a run: with the functions compiled lazily too). */
  recordCache(cacheFile: string): void;
}

/** The cache file starts with the CRC-32 of the text it was made from: V8 itself only compares the text's length. */
const CHECK_BYTES = 4;

export function compileWithCache(file: string, cacheFile: string): CachedScript {
  // CommonJS's own wrapper, on the first line so that line numbers stay those of the file
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const check = crc32(source);
  let cachedData: Buffer | undefined;
  try {
    const stored = readFileSync(cacheFile);
    if (stored.length > CHECK_BYTES && stored.readUInt32LE(0) === check) cachedData = stored.subarray(CHECK_BYTES);
  } catch {
    // no cache: compiled as usual
  }
  const script = new Script(source, { filename: file, cachedData });
  return {
    run: (...args) => (script.runInThisContext() as (...values: unknown[]) => void)(...args),
    cacheRejected: cachedData === undefined || script.cachedDataRejected === true,
    recordCache: (to) => {
      const header = Buffer.alloc(CHECK_BYTES);
      header.writeUInt32LE(check);
      writeFileSync(to, Buffer.concat([header, script.createCachedData()]));
    },
  };
}
