/**
 * Lines of the samples that deliberately carry no time of their own, as real bundles have them.
 * A parser test can assert: every line of every member has a parseable time (after the CRI prefix, for pod
 * logs) unless the member is listed in UNTIMED_MEMBERS or the line matches NOISE_LINE_PATTERNS.
 */

export interface NoisePattern {
  pattern: RegExp;
  reason: string;
}

/** Single lines without a time, wherever they appear. */
export const NOISE_LINE_PATTERNS: readonly NoisePattern[] = [
  { pattern: /^-- Boot [0-9a-f]{32}\d* --$/, reason: 'journalctl boot separator (-b all)' },
  { pattern: /^-- No entries --$/, reason: 'journalctl output of a unit without entries (rke2-agent on servers)' },
  { pattern: /^Flag --[a-z-]+ has been deprecated/, reason: 'kubelet flag-deprecation warnings printed before klog is set up' },
  { pattern: /^\+{1,2} /, reason: 'bash xtrace of the upgrade scripts (upgrade_node.sh runs with -x)' },
  { pattern: /^tgtd: /, reason: 'instance-manager: tgtd lines before its logger starts' },
  { pattern: /^evicting pod [a-z0-9-]+\/[a-z0-9.-]+$/, reason: 'kubectl drain helper output on the rancher pod stdout' },
  { pattern: /^error when evicting pods\/"[^"]+" -n "[^"]+" \(will retry after 5s\): /, reason: 'kubectl drain helper output on the rancher pod stdout' },
  { pattern: /^WARNING: ignoring DaemonSet-managed Pods: /, reason: 'kubectl drain helper output on the rancher pod stdout' },
  { pattern: /^(Checking running engine|Volume pvc-[0-9a-f-]+ is healthy\.|Waiting for volume pvc-[0-9a-f-]+ to be healthy\.\.\.|Waiting for VM live-migration or shutdown\.\.\.|all VMs on node )/, reason: 'upgrade_node.sh echo output' },
  { pattern: /^(node\/[a-z0-9-]+ (modified|untainted)|Wait for upgrade repo ready\.\.\.|Ensuring \/run\/initramfs\/cos-state\/cOS\/passive\.img is sparse\.\.\.)$/, reason: 'upgrade_node.sh / kubectl output' },
  { pattern: /^unpacking docker\.io\/.+\.\.\.done$/, reason: 'ctr image import output in the prepare job' },
  { pattern: /^stress-ng: info: /, reason: 'stress-ng output of the test pod' },
  { pattern: /^(\.:53|CoreDNS-[\d.]+|linux\/amd64, go[\d.]+.*|\[INFO\] plugin\/reload: .*)$/, reason: 'CoreDNS startup banner' },
  { pattern: /^INFO: (Environment|Using resolv\.conf): /, reason: 'cattle-cluster-agent entrypoint script output' },
  { pattern: /^\d+\.\d+\.\d+\.\d+ - - \[/, reason: 'nginx access log of longhorn-ui (its own bracketed time)' },
];

/** Members whose lines have no time of their own at all (their time is the CRI prefix, or nothing). */
export const UNTIMED_MEMBERS: readonly NoisePattern[] = [
  { pattern: /(^|\/)logs\/harvester-system\.hvst-upgrade-[a-z0-9]+-apply-manifests-[a-z0-9]+\.apply\.\d{8}\.log\.gz$/, reason: 'upgrade_manifests.sh prints plain text; in the UpgradeLog archive there is no CRI prefix' },
  { pattern: /(^|\/)logs\/harvester-system\.hvst-upgrade-[a-z0-9]+-(pre|post)-drain-[a-z0-9-]+\.apply\.\d{8}\.log\.gz$/, reason: 'upgrade_node.sh xtrace and echo output, no CRI prefix in the archive' },
  { pattern: /(^|\/)logs\/cattle-system\.apply-hvst-upgrade-[a-z0-9]+-prepare-on-.+\.upgrade\.\d{8}\.log\.gz$/, reason: 'prepare SUC job: xtrace and ctr output, no CRI prefix in the archive' },
  { pattern: /(^|\/)logs\/kube-system\.rke2-coredns-rke2-coredns-[a-z0-9-]+\.coredns\.\d{8}\.log\.gz$/, reason: 'CoreDNS logs without timestamps' },
  { pattern: /\/logs\/containerd-images\.log$/, reason: '`ctr images ls` table' },
  { pattern: /\/configs\//, reason: 'node configuration files' },
  { pattern: /\/scc\/scc_supportconfig_[^/]+\.txz$/, reason: 'supportconfig archive (xz-compressed tar)' },
  { pattern: /(^|\/)(metadata\.yaml|bundleGenerationError\.log|prometheus-alerts\.json)$/, reason: 'bundle metadata' },
  { pattern: /(^|\/)yamls\//, reason: 'Kubernetes objects' },
];

/** True when a line without a parseable time is expected in `member` (path inside the archive). */
export function isDeliberateNoise(member: string, line: string): boolean {
  return UNTIMED_MEMBERS.some((m) => m.pattern.test(member)) || NOISE_LINE_PATTERNS.some((n) => n.pattern.test(line));
}
