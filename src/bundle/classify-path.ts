import type { MemberInfo, MemberKind } from './types.js';
import { NESTED_SEPARATOR } from './member-path.js';
import { CONTAINERD_IMAGES, JOURNAL_UNITS, KERNEL_LOG, NODE_LOGS } from './node-log-files.js';

/** kube-system static pods are named `<component>-<node>`. */
const STATIC_POD = /^(etcd|kube-apiserver|kube-controller-manager|kube-scheduler|kube-proxy|cloud-controller-manager)-(.+)$/;
const KUBEVIRT = ['virt-handler', 'virt-controller', 'virt-api', 'virt-operator'];
const UPGRADE_JOB = /^hvst-upgrade-[a-z0-9]+-(apply-manifests|pre-drain|post-drain|single-node-upgrade)-/;
/** Deployment pods `<deployment>-<replicaset hash>-<suffix>`, so `harvester-webhook-…` does not match `harvester`. */
const deploymentPod = (deployment: string, pod: string): boolean =>
  new RegExp(`^${deployment}-[a-z0-9]+-[a-z0-9]+$`).test(pod);

const POD_LOG = /^logs\/([^/]+)\/([^/]+)\/([^/]+)\.log(\.1)?$/;
/** fluentd file output of the upgrade-log archive: `<ns>.<pod>.<container>.<YYYYMMDD>.log[.gz]`; only the pod name has dots. */
const ARCHIVE_LOG = /^([^./]+)\.(.+)\.([^./]+)\.(\d{8})\.log(\.gz)?$/;
const NESTED_ARCHIVE = /\.(zip|txz|tgz|tar|tar\.gz|tar\.xz|tar\.zst)$/i;
const TEXT_LOG = /\.(log|txt|out)(\.\d+)?$/i;

/** Component of a pod's container log, from the names alone; the container name when nothing more specific is known. */
export function podComponent(pod: string, container: string): string {
  if (pod.startsWith('virt-launcher-') && container === 'compute') return 'virt-launcher';
  const kubevirt = KUBEVIRT.find((c) => container === c || pod.startsWith(`${c}-`));
  if (kubevirt) return kubevirt;
  if (container === 'longhorn-manager') return 'longhorn-manager';
  if (pod.startsWith('instance-manager-')) return 'instance-manager';
  if (container === 'prometheus' && pod.startsWith('prometheus-')) return 'prometheus';
  if (container === 'apiserver' && deploymentPod('harvester', pod)) return 'harvester';
  if (pod.startsWith('harvester-webhook-')) return 'harvester-webhook';
  if (container === 'rancher' && deploymentPod('rancher', pod)) return 'rancher';
  const job = UPGRADE_JOB.exec(pod);
  if (job) return job[1];
  if (pod.startsWith('apply-hvst-upgrade-') && container === 'upgrade') return 'upgrade-plan';
  return container;
}

function podLog(info: MemberInfo, namespace: string, pod: string, container: string): MemberInfo {
  const staticPod = namespace === 'kube-system' ? STATIC_POD.exec(pod) : null;
  return {
    ...info,
    kind: 'pod-log',
    namespace,
    pod,
    container,
    component: podComponent(pod, container),
    node: staticPod && staticPod[1] === container ? staticPod[2] : null,
  };
}

/** What a node log file's name says: `<node>/logs/<name>` in node zips, or a loose file of the same name. */
function nodeFile(info: MemberInfo, name: string): MemberInfo | null {
  const kernel = KERNEL_LOG.exec(name);
  if (kernel) return { ...info, kind: 'kernel-log', component: 'kernel', previous: kernel[1] !== undefined };
  if (name === CONTAINERD_IMAGES) return { ...info, kind: 'node-table', component: 'containerd' };
  const stem = name.endsWith('.log') ? name.slice(0, -4) : null;
  if (stem !== null && JOURNAL_UNITS.has(stem)) return { ...info, kind: 'node-journal', component: stem };
  if (stem !== null && NODE_LOGS.has(stem)) return { ...info, kind: 'node-log', component: stem };
  return null;
}

const byExtension = (name: string): MemberKind => (TEXT_LOG.test(name) ? 'log' : 'unknown');

/**
 * Everything a member's display path tells about it (see MemberInfo). Pure: `path` is relative to the bundle
 * root, members of nested zips are `<zip path>!/<inner path>`, and a `.gz` suffix is looked through.
 */
export function classifyPath(path: string): MemberInfo {
  const parts = path.split(NESTED_SEPARATOR);
  const inner = parts[parts.length - 1];
  const enclosingZip = parts.length > 1 ? parts[parts.length - 2] : null;
  const zipNode = enclosingZip ? (/([^/]+)\.zip$/i.exec(enclosingZip)?.[1] ?? null) : null;
  const segments = inner.split('/');
  const fileName = segments[segments.length - 1];
  const name = /\.gz$/i.test(fileName) && !NESTED_ARCHIVE.test(fileName) ? fileName.slice(0, -3) : fileName;
  const info: MemberInfo = {
    path,
    node: null,
    namespace: null,
    pod: null,
    container: null,
    previous: false,
    component: null,
    kind: 'unknown',
    criPrefixed: false,
  };

  if (NESTED_ARCHIVE.test(fileName)) {
    const nodeZip = enclosingZip === null ? /^nodes\/([^/]+)\.zip$/i.exec(inner)?.[1] : undefined;
    const sccNode = segments.length >= 3 && segments[segments.length - 2] === 'scc' ? segments[segments.length - 3] : null;
    return { ...info, kind: 'nested-archive', node: nodeZip ?? zipNode ?? sccNode };
  }

  if (enclosingZip === null) {
    if (inner === 'metadata.yaml') return { ...info, kind: 'metadata' };
    if (inner === 'bundleGenerationError.log') return { ...info, kind: 'generation-errors' };
    if (inner === 'prometheus-alerts.json') return { ...info, kind: 'alerts' };
    if (inner.startsWith('yamls/') && inner.endsWith('.yaml')) {
      const namespace = /^yamls\/namespaced\/([^/]+)\//.exec(inner)?.[1] ?? null;
      return { ...info, kind: 'yaml-list', namespace };
    }
    const pod = POD_LOG.exec(inner);
    if (pod) return { ...podLog(info, pod[1], pod[2], pod[3]), previous: pod[4] !== undefined, criPrefixed: true };
  }

  const archived = ARCHIVE_LOG.exec(fileName);
  if (archived) return podLog(info, archived[1], archived[2], archived[3]);

  // A node's own tree: `<node>/logs/<file>`, `<node>/configs/**` (the node zip's root may be missing).
  const logsAt = segments.length - 2;
  if (segments[logsAt] === 'logs' && (logsAt >= 1 || zipNode !== null)) {
    const node = zipNode ?? segments[logsAt - 1];
    return nodeFile({ ...info, node }, name) ?? { ...info, node, kind: byExtension(name) };
  }
  const configsAt = segments.indexOf('configs');
  if (configsAt >= 0 && configsAt < segments.length - 1 && (configsAt >= 1 || zipNode !== null)) {
    return { ...info, kind: 'node-config', node: zipNode ?? segments[configsAt - 1] };
  }

  return nodeFile({ ...info, node: zipNode }, name) ?? { ...info, node: zipNode, kind: byExtension(name) };
}
