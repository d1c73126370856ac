import type { InputKind } from './types.js';
import { NESTED_SEPARATOR } from './member-path.js';

const ARCHIVE_LOG_NAME = /(^|\/)[^./]+\.[^/]+\.[^./]+\.\d{8}\.log(\.gz)?$/;

/**
 * What the input holds, from its member paths (relative to the bundle root, nested zips as `x.zip!/...`).
 * A bundle with metadata.yaml but neither marker (yamls/ and node zips failed to collect) is still taken as a
 * Harvester support bundle: Longhorn's own bundles always carry `hostinfos/`.
 */
export function detectInputKind(paths: readonly string[]): InputKind {
  const hasMetadata = paths.includes('metadata.yaml');
  if (hasMetadata) {
    const harvester = paths.some(
      (p) =>
        p.startsWith('yamls/cluster/harvesterhci.io/') ||
        (p.includes(NESTED_SEPARATOR) && p.endsWith('/configs/etc/harvester-release.yaml')),
    );
    if (harvester) return 'support-bundle';
    const longhorn = paths.some((p) => /(^|\/)hostinfos\//.test(p));
    return longhorn ? 'longhorn-bundle' : 'support-bundle';
  }
  if (paths.some((p) => ARCHIVE_LOG_NAME.test(p))) return 'upgrade-log-archive';
  return 'log-files';
}
