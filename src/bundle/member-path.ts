import { isNodeLogFileName } from './node-log-files.js';

/** Separator between a nested archive's path and a path inside it: `nodes/n1.zip!/n1/logs/kubelet.log`. */
export const NESTED_SEPARATOR = '!/';

/**
 * Display form of an archive member name: forward slashes, no drive letter or leading slash, `.` and `..`
 * resolved without ever leaving the root. Names are only ever displayed, never used to touch the file system.
 */
export function normaliseMemberPath(name: string): string {
  const parts: string[] = [];
  for (const part of name.replace(/\\/g, '/').replace(/^[A-Za-z]:/, '').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

export const nestedPath = (archivePath: string, innerPath: string): string =>
  `${archivePath}${NESTED_SEPARATOR}${innerPath}`;

const orderRank = (path: string): number => (path === 'metadata.yaml' ? 0 : path.startsWith('yamls/') ? 1 : 2);

/** Total order of bundle members: metadata.yaml, then yamls/, then everything else by path (code units). */
export function compareMemberPaths(a: string, b: string): number {
  const rank = orderRank(a) - orderRank(b);
  if (rank !== 0) return rank;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Top-level names of a bundle's own layout: a single root folder with one of these names is content, not a wrapper. */
const BUNDLE_TOP_LEVEL = new Set(['logs', 'yamls', 'nodes', 'configs', 'scc', 'metadata.yaml']);

const isBundleTopLevelName = (name: string): boolean => BUNDLE_TOP_LEVEL.has(name);

/**
 * What macOS adds to the archives it makes: `__MACOSX/…` (Archive Utility's zips) and `._<name>` AppleDouble files
 * (its tar), one per file, holding extended attributes.
 */
const MACOS_METADATA_PATH = /(?:^|\/)__MACOSX\/|(?:^|\/)\._[^/]*$/;

export const isMacosMetadataPath = (path: string): boolean => MACOS_METADATA_PATH.test(path);

/**
 * A path inside a node zip's tree, `<node>/configs/…`, `<node>/scc/…` or `<node>/logs/<node log>`: its folder names
 * the node (a node zip read on its own, or re-packed), so it is content, not a wrapper.
 */
export function isNodeTreePath(path: string): boolean {
  const parts = path.split('/');
  if (parts.length >= 3 && (parts[1] === 'configs' || parts[1] === 'scc')) return true;
  return parts.length === 3 && parts[1] === 'logs' && isNodeLogFileName(parts[2]);
}

/**
 * The folder that holds the bundle, from the normalised paths of every file in the input ('' when the
 * input is the bundle itself): the one folder holding `metadata.yaml`, else a single wrapping folder
 * (`supportbundle_<uuid>_<time>/`, an upgrade-log archive re-packed inside a folder) that is not a node's tree;
 * macOS's metadata files aside.
 */
export function findBundleRoot(allPaths: readonly string[]): string {
  const paths = allPaths.filter((p) => !isMacosMetadataPath(p));
  if (paths.length === 0 || paths.includes('metadata.yaml')) return '';
  const withMetadata = paths.filter((p) => /^[^/]+\/metadata\.yaml$/.test(p));
  if (withMetadata.length === 1) return withMetadata[0].slice(0, withMetadata[0].indexOf('/'));
  const first = paths[0].split('/', 1)[0];
  const singleFolder = paths.every((p) => p.startsWith(`${first}/`));
  return singleFolder && !isBundleTopLevelName(first) && !paths.some(isNodeTreePath) ? first : '';
}

/** A member path relative to the bundle root (unchanged when it lies outside the root). */
export const stripRoot = (path: string, root: string): string =>
  root !== '' && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;

/** `.gz` members that are gzip streams of a single file (not tarballs), gunzipped transparently. */
export const isGzipFileName = (name: string): boolean => /\.gz$/i.test(name) && !/\.tar\.gz$/i.test(name);

export const isZipFileName = (name: string): boolean => /\.zip$/i.test(name);
