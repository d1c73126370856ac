import type { Readable } from 'node:stream';

/** How the input is packed on disk. Detected from content (magic bytes), never from the name. */
export type Packing = 'zip' | 'tar' | 'tar.gz' | 'directory' | 'file' | 'gzip-file';

/** What the input holds, decided from its members (metadata.yaml, yamls/, logs/ layout). */
export type InputKind =
  | 'support-bundle' // Harvester support bundle (support-bundle-kit, harvester collector)
  | 'longhorn-bundle' // Longhorn's own support bundle (same top level, other node layout)
  | 'upgrade-log-archive' // <upgrade>-upgradelog-archive-<time>.zip: logs/<ns>.<pod>.<container>.<YYYYMMDD>.log.gz
  | 'log-files'; // loose logs or an unrecognised tree of them

export type MemberKind =
  | 'pod-log' // logs/<ns>/<pod>/<container>.log[.1] or an upgrade-log-archive file
  | 'node-journal' // <node>/logs/{rke2-server,rke2-agent,rancherd,rancher-system-agent,wicked,iscsid}.log (journalctl short-precise)
  | 'kernel-log' // <node>/logs/kernel.log[.N] (journalctl -k)
  | 'node-log' // <node>/logs/{kubelet,containerd,console}.log (own timestamp formats)
  | 'node-table' // <node>/logs/containerd-images.log (a table, no times)
  | 'yaml-list' // yamls/**/<resource>.yaml (one List document)
  | 'metadata' // metadata.yaml
  | 'generation-errors' // bundleGenerationError.log
  | 'alerts' // prometheus-alerts.json
  | 'node-config' // <node>/configs/**
  | 'nested-archive' // nodes/<node>.zip itself, scc_supportconfig_*.txz
  | 'log' // a loose or unrecognised text log
  | 'unknown';

/** Everything the path of a member tells about it. Pure data, see classify-path.ts. */
export interface MemberInfo {
  /** Display path relative to the bundle root; members of nested zips as `nodes/<node>.zip!/<inner path>`. */
  path: string;
  node: string | null;
  namespace: string | null;
  pod: string | null;
  container: string | null;
  /** `<container>.log.1` (previous container instance) or `kernel.log.N` (previous boot). */
  previous: boolean;
  /** kubelet, containerd, rke2-server, rke2-agent, rancherd, rancher-system-agent, kernel, iscsid, wicked, console,
   * virt-launcher, virt-handler, virt-controller, virt-api, virt-operator, longhorn-manager, instance-manager,
   * prometheus, harvester, harvester-webhook, rancher, apply-manifests, pre-drain, post-drain, single-node-upgrade,
   * upgrade-plan (SUC jobs), etcd, kube-apiserver, ... or the container name when nothing more specific is known. */
  component: string | null;
  kind: MemberKind;
  /** Every line starts with the kubelet log-API RFC3339Nano prefix (support-bundle pod logs). */
  criPrefixed: boolean;
}

export interface BundleMember {
  info: MemberInfo;
  /** Uncompressed size when the container records it. */
  size: number | null;
  /** Modification time recorded by the container (epoch ms), used as a last-resort year anchor. */
  mtime: number | null;
  /** Opens the member's decompressed bytes. Consume or destroy it before asking for the next member. */
  open(): Promise<Readable>;
}

/** A data problem: never thrown, always shown in the report's Coverage section. */
export interface ReadProblem {
  file: string;
  reason: string;
}

export interface BundleSource {
  packing: Packing;
  /** The input as the user named it, relative to the working directory when possible. */
  displayPath: string;
  /** The single root folder that was stripped from member paths ('' when none). */
  root: string;
  /**
   * Members in a useful order: metadata.yaml first, then yamls/, then the rest, whenever the packing allows
   * random access (zip, directory); archive order for tar streams. Nested node zips are expanded in place.
   */
  members(onProblem: (p: ReadProblem) => void): AsyncIterable<BundleMember>;
  close(): Promise<void>;
}

/** Bounds on what an archive can make the tool do. Hitting one is a Coverage entry, never a crash. */
export interface ReadLimits {
  /** Longest line kept whole; longer lines are cut and counted. */
  maxLineBytes: number;
  /** Total uncompressed bytes read from the input. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio accepted for one member (zip/gzip bombs). */
  maxCompressionRatio: number;
  /** Deepest archive nesting followed (bundle zip → node zip = 2). */
  maxNestingDepth: number;
  /** Most members read. */
  maxMembers: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxLineBytes: 1024 * 1024,
  maxTotalBytes: 64 * 1024 ** 3,
  maxCompressionRatio: 1000,
  maxNestingDepth: 3,
  maxMembers: 200_000,
};
