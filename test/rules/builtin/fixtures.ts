import type { Stamp, UpgradeNodeStory, UpgradeStory } from '../../../src/correlate/types.js';
import type { K8sObject } from '../../../src/k8s/types.js';
import type { Finding } from '../../../src/rules/types.js';

/** Epoch ms of an ISO time, for readable fixtures. */
export const at = (iso: string): number => Date.parse(iso);

/** The bundle's creation time in the fixtures (the year anchor of journald/klog lines). */
export const BUNDLE_CREATED = '2025-06-14T13:05:00Z';

let line = 1;

/** A K8sObject as the loader yields it: `raw` is the List item, file/line its provenance. */
export function k8s(
  kind: string,
  apiVersion: string,
  namespace: string | null,
  name: string,
  body: Record<string, any> = {},
  file = `yamls/${namespace ? `namespaced/${namespace}` : 'cluster'}/${apiVersion}/${kind.toLowerCase()}s.yaml`,
): K8sObject {
  const metadata = { name, ...(namespace ? { namespace } : {}), ...(body.metadata ?? {}) };
  return { apiVersion, kind, namespace, name, raw: { apiVersion, kind, ...body, metadata }, file, line: (line += 20) };
}

export const node = (name: string, body: Record<string, any> = {}): K8sObject =>
  k8s('Node', 'v1', null, name, {
    status: { conditions: [{ type: 'Ready', status: 'True' }], ...(body.status ?? {}) },
    ...body,
  });

export const pod = (namespace: string, name: string, body: Record<string, any> = {}): K8sObject =>
  k8s('Pod', 'v1', namespace, name, body, `yamls/namespaced/${namespace}/v1/pods.yaml`);

/** A core v1 Event. */
export const event = (
  namespace: string,
  name: string,
  e: { reason: string; message: string; involved: Record<string, string>; first: string; last?: string; count?: number; host?: string },
): K8sObject =>
  k8s(
    'Event',
    'v1',
    namespace,
    name,
    {
      reason: e.reason,
      message: e.message,
      type: 'Normal',
      involvedObject: e.involved,
      firstTimestamp: e.first,
      lastTimestamp: e.last ?? e.first,
      count: e.count ?? 1,
      source: e.host ? { component: 'kubelet', host: e.host } : { component: 'longhorn-volume-controller' },
    },
    `yamls/namespaced/${namespace}/v1/events.yaml`,
  );

export const stamp = (iso: string, text = `stamp ${iso}`, file = 'yamls/namespaced/harvester-system/batch/v1/jobs.yaml'): Stamp => ({
  time: at(iso),
  source: { file, line: 7, time: at(iso), text },
});

const emptyNode = (name: string): UpgradeNodeStory => ({
  name,
  state: null,
  imagesPreloadedAt: null,
  preDrainStartedAt: null,
  preDrainFinishedAt: null,
  rke2UpgradedAt: null,
  postDrainStartedAt: null,
  postDrainFinishedAt: null,
  rebootedAt: null,
  succeededAt: null,
});

/** An upgrade story as upgrade-story.ts builds it, with only the given parts set. */
export function story(
  parts: Partial<Omit<UpgradeStory, 'nodes'>> & { nodes?: (Partial<UpgradeNodeStory> & { name: string })[] } = {},
): UpgradeStory {
  return {
    name: 'hvst-upgrade-x2hz8',
    fromVersion: 'v1.4.2',
    toVersion: 'v1.5.0',
    state: 'Succeeded',
    startedAt: stamp('2025-06-14T08:02:11Z', 'Upgrade harvester-system/hvst-upgrade-x2hz8 creationTimestamp', 'yamls/namespaced/harvester-system/harvesterhci.io/v1beta1/upgrades.yaml'),
    finishedAt: stamp('2025-06-14T12:10:40Z', 'Upgrade harvester-system/hvst-upgrade-x2hz8 Completed', 'yamls/namespaced/harvester-system/harvesterhci.io/v1beta1/upgrades.yaml'),
    durationSeconds: null,
    phases: [],
    startedBy: { versionObject: 'v1.5.0', upgradeCheckerDisabled: true },
    ...parts,
    nodes: (parts.nodes ?? []).map((n) => ({ ...emptyNode(n.name), ...n })),
  };
}

/** A pod-log line: the kubelet log API's RFC3339Nano prefix (9 fraction digits) before the container's own line. */
export const cri = (nanoIso: string, text: string): string => `${nanoIso} ${text}`;

/** A KubeVirt JSON log line (keys sorted, µs timestamp), as virt-launcher/virt-handler/virt-controller write them. */
export const kubevirt = (component: string, iso: string, msg: string, extra: Record<string, string> = {}): string => {
  const fields: Record<string, string> = { component, level: 'info', msg, pos: 'server.go:1', timestamp: iso.replace('Z', '000Z'), ...extra };
  return JSON.stringify(Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1))));
};

/** The findings' comparable essentials, for exact expectations. */
export const brief = (findings: Finding[]) =>
  findings.map((f) => ({ rule: f.ruleId, severity: f.severity, node: f.node, subject: f.subject }));

/** `file:line` of each evidence entry. */
export const cited = (f: Finding): string[] => f.evidence.map((e) => `${e.file}:${e.line}`);

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
