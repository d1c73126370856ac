import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-helpers.js';

/**
 * Golden reports: each shipped sample's Markdown, JSON and terminal report is checked in and compared byte for byte.
 * After a reviewed change of the output, rewrite them with `UPDATE_GOLDEN=1 npx vitest run test/golden`.
 */
const SAMPLES = join(import.meta.dirname, '../../samples');
const GOLDEN = join(import.meta.dirname, 'reports');
const NOW = '2026-01-01T00:00:00Z';
const FORMATS = [
  { format: 'markdown', ext: 'md' },
  { format: 'json', ext: 'json' },
  { format: 'terminal', ext: 'txt' },
] as const;

const samples = readdirSync(SAMPLES).filter((name) => name.endsWith('.zip')).sort();

describe.each(samples)('%s', (sample) => {
  it.each(FORMATS)('$format report matches the checked-in golden file', async ({ format, ext }) => {
    const run = await runCli([join('samples', sample), '--format', format, '--now', NOW]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const golden = join(GOLDEN, `${sample.replace(/\.zip$/, '')}.${ext}`);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(golden, run.stdout);
    }
    expect(existsSync(golden), `${golden} is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden`).toBe(true);
    expect(run.stdout).toBe(readFileSync(golden, 'utf8'));
  });
});
