#!/usr/bin/env node
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileWithCache } from './code-cache.js';

/**
 * The installed command. The build puts the whole CLI into one CommonJS file, `cli.cjs`, and V8's code cache for it
 * into `cli.cache` (`npm run build` runs the command once to record it); this launcher compiles the bundle with that
 * cache, which saves most of what compiling costs at each start. A cache from another Node version, or for an older
 * bundle, is refused by V8 and the bundle is compiled as usual.
 */
const bundle = fileURLToPath(new URL('./cli.cjs', import.meta.url));
const cacheFile = fileURLToPath(new URL('./cli.cache', import.meta.url));
const cli = compileWithCache(bundle, cacheFile);
// after the run, so the functions a start compiles lazily are in the cache too
if (process.env.HARVESTER_POSTMORTEM_RECORD_CODE_CACHE === '1') process.on('exit', () => cli.recordCache(cacheFile));
const module = { exports: {} };
cli.run(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
