import type { InputKind } from './types.js';
import { NESTED_SEPARATOR } from './member-path.js';

const ARCHIVE_LOG_NAME = /(^|\/)[^./]+\.[^/]+\.[^./]+\.\d{8}\.log(\.gz)?$/;
const NODE_ZIP = /^nodes\/[^/]+\.zip$/i;

const isHarvesterMarker = (p: string): boolean =>
  p.startsWith('yamls/cluster/harvesterhci.io/') || (p.includes(NESTED_SEPARATOR) && p.endsWith('/configs/etc/harvester-release.yaml'));

/**
 * What the input holds, from its member paths (relative to the bundle root, nested zips as `x.zip!/...`).
 * support-bundle-kit's layout is known by metadata.yaml, yamls/ or nodes/<node>.zip, so a bundle cut off before its
 * metadata.yaml is still one. Harvester's markers decide between the two collectors; without them a bundle is taken
 * as Harvester's unless it carries Longhorn's node `hostinfos/` (a Harvester bundle whose yamls/ and node zips
 * failed to collect has neither).
 */
export function detectInputKind(paths: readonly string[]): InputKind {
  if (paths.some(isHarvesterMarker)) return 'support-bundle';
  const supportBundleKit = paths.some((p) => p === 'metadata.yaml' || p.startsWith('yamls/') || NODE_ZIP.test(p));
  if (supportBundleKit) return paths.some((p) => /(^|\/)hostinfos\//.test(p)) ? 'longhorn-bundle' : 'support-bundle';
  if (paths.some((p) => ARCHIVE_LOG_NAME.test(p))) return 'upgrade-log-archive';
  return 'log-files';
}
