// The CLI as one file: importing ~150 ES modules one by one is most of a cold start. Run after tsc (npm run build);
// the worker threads and the libraries' native parts (better-sqlite3) stay separate files.
import { build } from 'esbuild';

const cli = 'dist/bin/harvester-postmortem.js';
await build({
  entryPoints: [cli],
  outfile: cli,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3'],
  sourcemap: true,
  logLevel: 'warning',
  // bundled CommonJS libraries call require() for Node's own modules
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
