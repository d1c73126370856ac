import { builtinRules } from '../rules/builtin/index.js';

/**
 * Words the story is told with, never pseudonymised even when a bundle names something after them: Harvester's own
 * namespaces, component names, key-event kinds, rule ids and Kubernetes API versions.
 */
const SYSTEM_NAMESPACES = new Set(['harvester-system', 'harvester-public', 'longhorn-system', 'kube-system', 'kube-public', 'kube-node-lease', 'default', 'local']);

export const isSystemNamespace = (namespace: string): boolean =>
  SYSTEM_NAMESPACES.has(namespace) || namespace.startsWith('cattle-') || namespace.startsWith('fleet-');

const STORY_WORDS = [
  // components (MemberInfo.component)
  'kubelet', 'containerd', 'rke2', 'rke2-server', 'rke2-agent', 'rancherd', 'rancher-system-agent', 'kernel', 'iscsid', 'wicked',
  'console', 'virt-launcher', 'virt-handler', 'virt-controller', 'virt-api', 'virt-operator', 'longhorn-manager',
  'instance-manager', 'prometheus', 'harvester', 'harvester-webhook', 'rancher', 'apply-manifests', 'pre-drain', 'post-drain',
  'single-node-upgrade', 'upgrade-plan', 'etcd', 'kube-apiserver', 'longhorn', 'kubevirt', 'compute', 'fleet',
  // key-event kinds
  'rke2-install', 'rke2-stop', 'rke2-start', 'kubelet-start', 'reboot', 'job-start', 'job-complete', 'job-failed',
  'upgrade-phase', 'node-state', 'vm-stop', 'drain', 'other',
  // words every report needs
  'node', 'nodes', 'vm', 'vms', 'pod', 'pods', 'volume', 'volumes', 'upgrade', 'cluster', 'bundle', 'logs', 'yamls',
  'namespaced', 'configs', 'events', 'localhost',
];

const KEPT = new Set<string>([...STORY_WORDS, ...builtinRules.map((rule) => rule.id)]);

/** A word the report's story is told with: a component, key-event kind, rule id or common report word. */
export const isStoryWord = (value: string, ruleIds: ReadonlySet<string>): boolean => KEPT.has(value) || ruleIds.has(value);

/** Kubernetes API versions (`v1`, `v1beta1`, `v2alpha3`) and release versions (`v1.5.0`, `1.32.3+rke2r1`). */
const VERSION = /^v?\d+(?:(?:alpha|beta)\d+)?$|^v?\d+(?:\.\d+)+(?:[-+][\w.+-]*)?$/;

/**
 * Whether a value must stay as it is: a story word, a rule id of this report, a system namespace, a version, or
 * something too short or without a letter to be a name (replacing `01` would rewrite every time).
 */
export function isKeptWord(value: string, ruleIds: ReadonlySet<string>): boolean {
  return (
    value.length < 2 ||
    !/[a-z]/i.test(value) ||
    isStoryWord(value, ruleIds) ||
    isSystemNamespace(value) ||
    VERSION.test(value)
  );
}

/** Public and project domains: API groups, label prefixes, registries and documentation hosts stay readable. */
const PUBLIC_DOMAINS = [
  'kubernetes.io', 'k8s.io', 'x-k8s.io', 'harvesterhci.io', 'kubevirt.io', 'longhorn.io', 'cattle.io', 'rancher.io',
  'rancher.com', 'suse.com', 'opensuse.org', 'suse.de', 'github.com', 'githubusercontent.com', 'docker.io', 'docker.com',
  'gcr.io', 'quay.io', 'ghcr.io', 'nvidia.com', 'intel.com', 'amd.com', 'prometheus.io', 'coreos.com', 'monitoring.coreos.com',
  'grafana.com', 'metal3.io', 'cncf.io', 'golang.org', 'helm.sh', 'example.com', 'example.org', 'example.net', 'sigs.k8s.io',
  'cni.cncf.io', 'openshift.io', 'cluster.local',
];

export const isPublicDomain = (host: string): boolean => {
  const lower = host.toLowerCase();
  return PUBLIC_DOMAINS.some((domain) => lower === domain || lower.endsWith(`.${domain}`));
};

/**
 * Top-level domains a private host name ends with. File extensions and code words (`.log`, `.go`, `.sh`, `.pl`,
 * `logger.info`, `user.home`) are not among them, so those stay.
 */
export const HOST_TLDS = [
  'com', 'net', 'org', 'io', 'local', 'lan', 'internal', 'corp', 'intra', 'intranet', 'localdomain', 'cloud', 'edu',
  'gov', 'de', 'fr', 'uk', 'nl', 'eu', 'ch', 'se', 'dk', 'fi', 'cz', 'ie', 'jp', 'cn', 'tw', 'kr', 'au', 'nz', 'ca',
  'br', 'mx', 'ru', 'za', 'sg', 'hk',
];
