import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'code-cache-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CODE_CACHE = pathToFileURL(join(process.cwd(), 'dist/bin/code-cache.js')).href;

/** Compiles `file` with `cache` in a fresh Node (V8 also keeps compiled sources in memory), runs it, maybe records. */
function compileInFreshNode(file: string, cache: string, record = false): { rejected: boolean; result: unknown } {
  const program = `
    import { createRequire } from 'node:module';
    import { compileWithCache } from ${JSON.stringify(CODE_CACHE)};
    const [file, cache, record] = process.argv.slice(1);
    const script = compileWithCache(file, cache);
    const module = { exports: {} };
    script.run(module.exports, createRequire(file), module, file, '.');
    if (record === 'yes') script.recordCache(cache);
    process.stdout.write(JSON.stringify({ rejected: script.cacheRejected, result: module.exports(2, 3) }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', program, file, cache, record ? 'yes' : 'no'], { encoding: 'utf8' });
  return JSON.parse(out) as { rejected: boolean; result: unknown };
}

describe('compileWithCache', () => {
  it('the build records a cache for the CLI bundle that this Node accepts', () => {
    const bundle = join(process.cwd(), 'dist/bin/cli.cjs');
    const program = `
      import { compileWithCache } from ${JSON.stringify(CODE_CACHE)};
      process.stdout.write(String(compileWithCache(${JSON.stringify(bundle)}, ${JSON.stringify(`${bundle.slice(0, -4)}.cache`)}).cacheRejected));`;
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' })).toBe('false');
  });

  it('the CLI bundle is ASCII, so V8 holds its source at one byte per character', () => {
    const text = readFileSync(join(process.cwd(), 'dist/bin/cli.cjs'), 'latin1');
    expect(text.length).toBeGreaterThan(100_000);
    expect(text.search(/[^\x00-\x7f]/)).toBe(-1);
  });

  it('runs a file as CommonJS, records its cache, and compiles as usual when the cache is missing or foreign', () => {
    const file = join(dir, 'add.cjs');
    writeFileSync(file, 'module.exports = (a, b) => a + b;\n');
    const cache = join(dir, 'add.cache');
    expect(compileInFreshNode(file, cache, true)).toEqual({ rejected: true, result: 5 }); // none yet; recorded
    expect(compileInFreshNode(file, cache)).toEqual({ rejected: false, result: 5 });
    writeFileSync(file, 'module.exports = (a, b) => a * b;\n'); // the cache is now for another source
    expect(compileInFreshNode(file, cache)).toEqual({ rejected: true, result: 6 });
    writeFileSync(cache, 'not a code cache');
    expect(compileInFreshNode(file, cache)).toEqual({ rejected: true, result: 6 });
  });
});
