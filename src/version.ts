import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOL_NAME = 'harvester-postmortem';

interface Manifest {
  name?: string;
  version: string;
}

/**
 * The installed package: its root (where package.json, rules/ and dist/ are) and manifest, found by walking up from
 * this module, which runs from src/ under test, from dist/ when built and from the single-file CLI in dist/bin/.
 */
function findPackage(from: string): { root: string; manifest: Manifest } {
  for (let dir = from; ; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) {
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
      if (manifest.name === TOOL_NAME) return { root: dir, manifest };
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the ${TOOL_NAME} package above ${from}`);
  }
}

const found = findPackage(dirname(fileURLToPath(import.meta.url)));
export const PACKAGE_ROOT: string = found.root;
export const TOOL_VERSION: string = found.manifest.version;
