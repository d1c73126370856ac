import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fg from 'fast-glob';
import { compareText } from '../util/compare.js';

/** File names a folder of bundles is searched for. */
const INPUT_PATTERNS = ['**/*.zip', '**/*.tar', '**/*.tar.gz', '**/*.tgz'];

/** A directory that is itself an extracted bundle (its metadata.yaml at the top or one folder down). */
const isExtractedBundle = (dir: string): boolean =>
  existsSync(join(dir, 'metadata.yaml')) ||
  fg.sync('*/metadata.yaml', { cwd: dir, onlyFiles: true, deep: 2 }).length > 0;

/**
 * Expands the batch's arguments: files as given, a directory as one extracted bundle or as a folder of archives,
 * anything else as a glob. Sorted, each path once; arguments that match nothing are returned as `missing`.
 */
export function collectInputs(args: readonly string[]): { inputs: string[]; missing: string[] } {
  const inputs = new Set<string>();
  const missing: string[] = [];
  for (const arg of args) {
    if (existsSync(arg)) {
      if (!statSync(arg).isDirectory() || isExtractedBundle(arg)) inputs.add(arg);
      else for (const file of fg.sync(INPUT_PATTERNS, { cwd: arg, onlyFiles: true })) inputs.add(join(arg, file));
      continue;
    }
    const matches = fg.sync(arg, { onlyFiles: false, unique: true });
    if (matches.length === 0) missing.push(arg);
    for (const match of matches) inputs.add(match);
  }
  return { inputs: [...inputs].sort(compareText), missing };
}
