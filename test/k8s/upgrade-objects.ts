import type { KeyEvent, KeyEventKind } from '../../src/correlate/types.js';
import { buildFacts } from '../../src/k8s/bundle-facts.js';
import { loadYamlList } from '../../src/k8s/load-yaml-list.js';
import { createObjectIndex } from '../../src/k8s/object-index.js';
import type { BundleFacts, K8sObject, ObjectIndex } from '../../src/k8s/types.js';

/** Hand-written objects in the support-bundle List layout (sorted keys, `"null"` for empties), one file per resource. */

export const UPGRADE = 'hvst-upgrade-x2hz8';
export const UPGRADES_FILE = 'yamls/namespaced/harvester-system/harvesterhci.io/v1beta1/upgrades.yaml';
export const JOBS_FILE = 'yamls/namespaced/harvester-system/batch/v1/jobs.yaml';
export const SUC_JOBS_FILE = 'yamls/namespaced/cattle-system/batch/v1/jobs.yaml';

export function list(items: string[]): string {
  const body = items.map((item) => item.trim().split('\n').map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n')).join('\n');
  return `apiVersion: v1\nitems:\n${body}\nkind: List\nmetadata:\n  continue: "null"\n  resourceVersion: "32750759"\n`;
}

export interface UpgradeSpec {
  state: string;
  created: string;
  conditions: { type: string; status: string; at?: string }[];
  nodeStatuses: Record<string, string>;
}

export function upgradeItem(spec: UpgradeSpec): string {
  const conditions = spec.conditions
    .map((c) => `  - ${c.at ? `lastUpdateTime: "${c.at}"\n    ` : ''}status: "${c.status}"\n    type: ${c.type}`)
    .join('\n');
  const statuses = Object.entries(spec.nodeStatuses)
    .map(([node, state]) => `    ${node}:\n      state: ${state}`)
    .join('\n');
  return `apiVersion: harvesterhci.io/v1beta1
kind: Upgrade
metadata:
  creationTimestamp: "${spec.created}"
  generateName: hvst-upgrade-
  labels:
    harvesterhci.io/latestUpgrade: "true"
    harvesterhci.io/upgradeState: ${spec.state}
  name: ${UPGRADE}
  namespace: harvester-system
  resourceVersion: "32750759"
spec:
  image: "null"
  logEnabled: true
  version: v1.5.0
status:
  conditions:
${conditions}
  imageID: harvester-system/harvester-iso-kdgm4
  nodeStatuses:
${statuses}
  previousVersion: v1.4.2
  repoInfo: |
    release:
      harvester: v1.5.0
      harvesterChart: 1.5.0
      os: Harvester v1.5.0
      kubernetes: v1.32.3+rke2r1
      rancher: v2.11.0
  singleNode: "null"
`;
}

export function nodeJobItem(type: string, node: string, start: string, end: string | null, name = `${UPGRADE}-${type}-${node}`): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  creationTimestamp: "${start}"
  labels:
    harvesterhci.io/node: ${node}
    harvesterhci.io/upgrade: ${UPGRADE}
    harvesterhci.io/upgradeComponent: node
    harvesterhci.io/upgradeJobType: ${type}
  name: ${name}
  namespace: harvester-system
spec:
  backoffLimit: 6
status:
  ${end ? `completionTime: "${end}"\n  ` : ''}startTime: "${start}"
`;
}

export function prepareJobItem(node: string, start: string, end: string): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  creationTimestamp: "${start}"
  labels:
    upgrade.cattle.io/node: ${node}
    upgrade.cattle.io/plan: ${UPGRADE}-prepare
  name: apply-${UPGRADE}-prepare-on-${node}-with-2bbea1599a-f0e86
  namespace: cattle-system
status:
  completionTime: "${end}"
  startTime: "${start}"
`;
}

export const nodeItem = (node: string): string => `apiVersion: v1
kind: Node
metadata:
  creationTimestamp: "2024-11-02T06:36:18Z"
  name: ${node}
status:
  nodeInfo:
    kubeletVersion: v1.32.3+rke2r1
    osImage: Harvester v1.5.0
`;

export const SETTINGS = list([
  `apiVersion: harvesterhci.io/v1beta1
default: "true"
kind: Setting
metadata:
  name: upgrade-checker-enabled
value: "false"`,
  `apiVersion: harvesterhci.io/v1beta1
default: "null"
kind: Setting
metadata:
  name: server-version
value: v1.5.0`,
]);

export const VERSIONS = list([
  `apiVersion: harvesterhci.io/v1beta1
kind: Version
metadata:
  creationTimestamp: "2025-07-02T20:00:00Z"
  name: v1.5.0
  namespace: harvester-system
spec:
  isoURL: https://releases.rancher.com/harvester/v1.5.0/harvester-v1.5.0-amd64.iso
  minUpgradableVersion: v1.4.2`,
]);

export function indexOf(files: Record<string, string>): ObjectIndex {
  const objects: K8sObject[] = [];
  for (const [file, text] of Object.entries(files)) {
    const { objects: loaded, problems } = loadYamlList(text, file);
    if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
    objects.push(...loaded);
  }
  return createObjectIndex(objects);
}

export function factsOf(index: ObjectIndex, nodes: string[]): BundleFacts {
  return buildFacts(null, index, {}, nodes);
}

let line = 0;
/** A key event as the collector makes it, citing a node journal line. */
export function keyEvent(kind: KeyEventKind, node: string, iso: string, summary: string, file = `nodes/${node}.zip!/${node}/logs/rancher-system-agent.log`): KeyEvent {
  const time = Date.parse(iso);
  line += 1;
  return { time, node, kind, summary, evidence: { file, line, time, text: summary } };
}

// real-log-samples.md E51, verbatim (`kubectl get upgrades -n harvester-system -o yaml`, cut before `kind: List`).
export const E51_ITEMS = `apiVersion: v1
items:
- apiVersion: harvesterhci.io/v1beta1
  kind: Upgrade
  metadata:
    creationTimestamp: "2022-10-26T07:05:45Z"
    finalizers:
    - wrangler.cattle.io/harvester-upgrade-controller
    generateName: hvst-upgrade-
    generation: 14
    labels:
      harvesterhci.io/latestUpgrade: "true"
      harvesterhci.io/upgradeState: UpgradingSystemServices
    name: hvst-upgrade-fnlkm
    namespace: harvester-system
    resourceVersion: "32750759"
    uid: b96a9405-07b0-4705-b3fc-004155958201
  spec:
    image: ""
    version: v1.1.0
  status:
    conditions:
    - status: Unknown
      type: Completed
    - lastUpdateTime: "2022-10-26T07:11:43Z"
      status: "True"
      type: ImageReady
    - lastUpdateTime: "2022-10-26T07:15:30Z"
      status: "True"
      type: RepoReady
    - lastUpdateTime: "2022-10-26T07:15:50Z"
      status: "True"
      type: NodesPrepared
    - status: Unknown
      type: SystemServicesUpgraded
`;
