#!/usr/bin/env node
import { main } from '../cli/main.js';
import { removeTempDirsOnExit } from '../util/temp-dirs.js';

removeTempDirsOnExit();

// A reader that stops early (`| head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

// no top-level await: the build turns this entry into a CommonJS bundle (see launch-cli.ts)
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
