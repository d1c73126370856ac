// The CLI as one CommonJS file with a V8 code cache: importing ~150 ES modules one by one, then compiling one big
// file, was most of a cold start. Run after tsc (npm run build): bundles dist/bin/harvester-postmortem.js into
// dist/bin/cli.cjs, puts the launcher (src/bin/launch-cli.ts) in its place and runs it once to record the cache.
// The worker threads and the libraries' native parts (better-sqlite3) stay separate files.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const bin = 'dist/bin/harvester-postmortem.js';
await build({
  entryPoints: [bin],
  outfile: 'dist/bin/cli.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3'],
  sourcemap: true,
  logLevel: 'warning',
  // version.ts finds the package root from its own location
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// The entry's `#!` line is kept by esbuild; inside the launcher's wrapper it would be a syntax error (the empty line
// keeps the source map's lines). esbuild escapes non-ASCII characters in code but keeps them in comments, and one
// such character makes V8 hold the whole 1.6 MB source as two bytes per character: comments are escaped too.
const cli = 'dist/bin/cli.cjs';
const escapeNonAscii = (text) => text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
writeFileSync(cli, escapeNonAscii(readFileSync(cli, 'utf8').replace(/^#!.*/, '')));
copyFileSync('dist/bin/launch-cli.js', bin); // its source map comment names launch-cli.js.map
chmodSync(bin, 0o755); // runnable by its `#!` line, as the bundle esbuild wrote in its place was
rmSync(`${bin}.map`, { force: true });

// A start on an empty directory compiles what every start needs; its exit status (nothing read) does not matter.
const empty = mkdtempSync(join(tmpdir(), 'harvester-postmortem-build-'));
try {
  execFileSync(process.execPath, [bin, empty, '-o', join(empty, 'report.md')], {
    env: { ...process.env, HARVESTER_POSTMORTEM_RECORD_CODE_CACHE: '1' },
    stdio: 'ignore',
  });
} catch {
  // exit status 2: nothing could be read
} finally {
  rmSync(empty, { recursive: true, force: true });
}
