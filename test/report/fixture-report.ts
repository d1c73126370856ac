import type { EvidenceRef, Finding } from '../../src/rules/types.js';
import type { KeyEvent, Stamp, UpgradeNodeStory } from '../../src/correlate/types.js';
import type { PostmortemReport } from '../../src/report/model.js';

/**
 * Hand-built reports in the shapes the pipeline produces: the field report's v1.4.2 → v1.5.0 upgrade of three
 * nodes, where harvester-node-1 got RKE2 without a pre-drain (its VMs were killed), Prometheus was OOM-killed and
 * a Longhorn instance-manager PDB held up the drain of harvester-node-2; and a readiness check of a cluster on v1.4.2.
 */

const t = (hms: string): number => Date.parse(`2025-06-12T${hms}Z`);

const NODE_ZIP = (node: string, file: string): string => `nodes/${node}.zip!/${node}/logs/${file}`;
const UPGRADE_YAML = 'yamls/namespaced/harvester-system/harvesterhci.io/v1beta1/upgrades.yaml';
const JOBS_YAML = 'yamls/namespaced/harvester-system/batch/v1/jobs.yaml';
const VIRT_HANDLER_1 = 'logs/harvester-system/virt-handler-8xw2q/virt-handler.log';
const HARVESTER_LOG = 'logs/harvester-system/harvester-6d5c7b9f8-qz4tn/apiserver.log';

const ev = (file: string, line: number | null, time: number | null, text: string): EvidenceRef => ({
  file,
  line,
  time,
  text,
});

const stamp = (hms: string, file: string, line: number, text: string): Stamp => ({
  time: t(hms),
  source: ev(file, line, t(hms), text),
});

const jobStamp = (hms: string, job: string, field: 'startTime' | 'completionTime', line: number): Stamp =>
  stamp(hms, JOBS_YAML, line, `${field}: "2025-06-12T${hms}Z"  # ${job}`);

const nodeState = (hms: string, node: string, state: string, line: number): Stamp =>
  stamp(hms, HARVESTER_LOG, line, `2025-06-12T${hms}.104221873Z time="2025-06-12T${hms}Z" level=info msg="update node ${node} state to ${state}"`);

const rke2Install = (node: string, hms: string, line: number): KeyEvent => ({
  time: t(hms),
  node,
  kind: 'rke2-install',
  summary: `rancher-system-agent extracts system-agent-installer-rke2:v1.32.3-rke2r1 on ${node}`,
  evidence: ev(
    NODE_ZIP(node, 'rancher-system-agent.log'),
    line,
    t(hms),
    `Jun 12 ${hms}.208311 ${node} rancher-system-agent[3187]: time="2025-06-12T${hms}Z" level=info msg="[Applyinator] Extracting image rancher/system-agent-installer-rke2:v1.32.3-rke2r1 to directory /var/lib/rancher/agent/work/20250612-${hms.replaceAll(':', '')}/8c4f3d0e2b_0"`,
  ),
});

const rke2Stop = (node: string, hms: string, line: number): KeyEvent => ({
  time: t(hms),
  node,
  kind: 'rke2-stop',
  summary: `rke2-server stopping on ${node}`,
  evidence: ev(
    NODE_ZIP(node, 'rke2-server.log'),
    line,
    t(hms),
    `Jun 12 ${hms}.019224 ${node} systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...`,
  ),
});

const reboot = (node: string, hms: string, line: number): KeyEvent => ({
  time: t(hms),
  node,
  kind: 'reboot',
  summary: `${node} rebooted`,
  evidence: ev(NODE_ZIP(node, 'rke2-server.log'), line, t(hms), '-- Boot 5e1f0c3a7b2d4e8f9a6b1c0d2e3f4a5b --'),
});

const nodeStory = (
  name: string,
  times: Partial<Record<Exclude<keyof UpgradeNodeStory, 'name' | 'state'>, string>>,
  state: string,
): UpgradeNodeStory => {
  const at = (key: keyof typeof times, make: (hms: string) => Stamp): Stamp | null =>
    times[key] === undefined ? null : make(times[key]);
  return {
    name,
    state,
    imagesPreloadedAt: at('imagesPreloadedAt', (h) => nodeState(h, name, 'Images preloaded', 120)),
    preDrainStartedAt: at('preDrainStartedAt', (h) => jobStamp(h, `hvst-upgrade-x2hz8-pre-drain-${name}`, 'startTime', 40)),
    preDrainFinishedAt: at('preDrainFinishedAt', (h) =>
      jobStamp(h, `hvst-upgrade-x2hz8-pre-drain-${name}`, 'completionTime', 38),
    ),
    rke2UpgradedAt: at('rke2UpgradedAt', (h) => ({ time: t(h), source: rke2Stop(name, h, 20931).evidence })),
    postDrainStartedAt: at('postDrainStartedAt', (h) =>
      jobStamp(h, `hvst-upgrade-x2hz8-post-drain-${name}`, 'startTime', 140),
    ),
    postDrainFinishedAt: at('postDrainFinishedAt', (h) =>
      jobStamp(h, `hvst-upgrade-x2hz8-post-drain-${name}`, 'completionTime', 138),
    ),
    rebootedAt: at('rebootedAt', (h) => ({ time: t(h), source: reboot(name, h, 21877).evidence })),
    succeededAt: at('succeededAt', (h) => nodeState(h, name, 'Succeeded', 640)),
  };
};

const finding = (f: Omit<Finding, 'count' | 'evidenceTotal' | 'fields'> & Partial<Finding>): Finding => ({
  count: 1,
  evidenceTotal: f.evidence.length,
  fields: {},
  ...f,
});

const vmKilled = (vm: string, hms: string, line: number, pid: number): Finding =>
  finding({
    id: `vm-abrupt-shutdown:harvester-node-1:${vm}`,
    ruleId: 'vm-abrupt-shutdown',
    severity: 'high',
    title: 'VM stopped without a graceful shutdown',
    message: `VM ${vm} on harvester-node-1 was stopped abruptly (domain Shutoff, reason Destroyed) instead of being shut down.`,
    node: 'harvester-node-1',
    subject: vm,
    firstSeen: t(hms),
    lastSeen: t(hms),
    remediation: `Start ${vm} again by hand and check its guest file systems; find why its node did not drain it first.`,
    evidence: [
      ev(
        VIRT_HANDLER_1,
        line,
        t(hms),
        `2025-06-12T${hms}.410511234Z {"component":"virt-handler","kind":"VirtualMachineInstance","level":"info","msg":"Domain status: Shutoff, reason: Destroyed","name":"${vm.split('/')[1]}","namespace":"${vm.split('/')[0]}","pos":"vm.go:1713","timestamp":"2025-06-12T${hms}.410233Z","uid":"6f1c2a9e-0b7d-4c1e-9a55-3e2d7c8b${String(pid).padStart(4, '0')}"}`,
      ),
      ev(
        `logs/${vm.split('/')[0]}/virt-launcher-${vm.split('/')[1]}-x7k2p/compute.log`,
        line + 3,
        t(hms),
        `2025-06-12T${hms}.398102774Z {"component":"virt-launcher","level":"info","msg":"qemu-system-x86_64: terminating on signal 15 from pid ${pid} (<unknown process>)","pos":"qemu.go:341","subcomponent":"qemu","timestamp":"2025-06-12T${hms}.397900Z"}`,
      ),
    ],
    fields: { vm, reason: 'Destroyed' },
  });

const RKE2_FINDING = finding({
  id: 'rke2-upgrade-without-pre-drain:harvester-node-1',
  ruleId: 'rke2-upgrade-without-pre-drain',
  severity: 'critical',
  title: 'RKE2 upgraded on a node whose pre-drain never ran',
  message:
    'RKE2 was replaced on harvester-node-1 at 14:12:47 while the node was still "Images preloaded": no hvst-upgrade-x2hz8-pre-drain-harvester-node-1 job ran before, so the kubelet restart killed the VMs on it.',
  node: 'harvester-node-1',
  subject: null,
  firstSeen: t('14:12:41'),
  lastSeen: t('14:12:47'),
  count: 2,
  remediation:
    'Before upgrading, check every node with `kubectl get nodes --show-labels` and clear maintenance-mode leftovers; restart the VMs that were killed by hand.',
  evidence: [rke2Install('harvester-node-1', '14:12:41', 4812).evidence, rke2Stop('harvester-node-1', '14:12:47', 20931).evidence],
  evidenceTotal: 7,
  fields: { nodeState: 'Images preloaded', preDrainJob: null, rke2Version: 'v1.32.3+rke2r1', restartedVms: 3 },
});

const MAINTENANCE_FINDING = finding({
  id: 'maintenance-mode-leftover:harvester-node-1',
  ruleId: 'maintenance-mode-leftover',
  severity: 'medium',
  title: 'Node carries maintenance-mode leftovers',
  message:
    'harvester-node-1 still has the harvesterhci.io/maintain-status annotation although it is not in maintenance mode.',
  node: 'harvester-node-1',
  subject: 'harvesterhci.io/maintain-status',
  firstSeen: null,
  lastSeen: null,
  remediation: 'Remove the leftover annotation with `kubectl annotate node harvester-node-1 harvesterhci.io/maintain-status-`.',
  evidence: [ev('yamls/cluster/v1/nodes.yaml', 233, null, '      harvesterhci.io/maintain-status: completed')],
});

const PROMETHEUS_FINDING = finding({
  id: 'prometheus-oom-killed:harvester-node-0:cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0',
  ruleId: 'prometheus-oom-killed',
  severity: 'high',
  title: 'Prometheus OOM-killed during the upgrade',
  message: 'prometheus in cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0 was OOM-killed 3 times.',
  node: 'harvester-node-0',
  subject: 'cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0',
  firstSeen: t('14:47:10'),
  lastSeen: t('15:40:02'),
  count: 3,
  remediation:
    'Raise prometheus.prometheusSpec.resources.requests.memory and limits.memory in the rancher-monitoring ManagedChart values before upgrading.',
  evidence: [
    ev(
      NODE_ZIP('harvester-node-0', 'kernel.log'),
      18204,
      t('14:47:10'),
      'Jun 12 14:47:10.552104 harvester-node-0 kernel: Memory cgroup out of memory: Killed process 41822 (prometheus) total-vm:9876544kB, anon-rss:8123456kB, file-rss:0kB, shmem-rss:0kB',
    ),
  ],
  evidenceTotal: 3,
  fields: { container: 'prometheus', restarts: 3 },
});

const PDB_FINDING = finding({
  id: 'longhorn-pdb-blocks-drain:harvester-node-2:instance-manager-3fa8e1c2d9b04c7a1f6e5d4c3b2a1908',
  ruleId: 'longhorn-pdb-blocks-drain',
  severity: 'high',
  title: 'Longhorn instance-manager PDB blocks the drain',
  message:
    'Removing the PDB of instance-manager-3fa8e1c2d9b04c7a1f6e5d4c3b2a1908 on harvester-node-2 was blocked for 47 minutes: a volume engine still ran there.',
  node: 'harvester-node-2',
  subject: 'instance-manager-3fa8e1c2d9b04c7a1f6e5d4c3b2a1908',
  firstSeen: t('15:31:02'),
  lastSeen: t('16:18:10'),
  count: 94,
  remediation:
    'Delete the stuck instance-manager pod, wait until every volume is healthy again, then let the upgrade continue; watch volume health closely.',
  evidence: [
    ev(
      'logs/longhorn-system/longhorn-manager-m8vfx/longhorn-manager.log',
      55120,
      t('15:31:02'),
      '2025-06-12T15:31:02.118206552Z time="2025-06-12T15:31:02Z" level=info msg="Node instance-manager-3fa8e1c2d9b04c7a1f6e5d4c3b2a1908 is marked unschedulable but removing harvester-node-2 PDB is blocked: some volumes are still attached InstanceEngines count 1 pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f-e-0" func="controller.(*InstanceManagerController).syncInstanceManagerPDB" file="instance_manager_controller.go:823" controller=longhorn-instance-manager node=harvester-node-2',
    ),
    ev(
      'logs/cattle-system/rancher-7c9d8f6b5-lq2wz/rancher.log',
      90211,
      t('15:31:07'),
      '2025-06-12T15:31:07.400112093Z error when evicting pods/"instance-manager-3fa8e1c2d9b04c7a1f6e5d4c3b2a1908" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.',
    ),
  ],
  evidenceTotal: 188,
  fields: { engine: 'pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f-e-0', blockedMinutes: 47 },
});

const DEGRADED_FINDING = finding({
  id: 'volume-degraded:longhorn-system/pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f',
  ruleId: 'volume-degraded',
  severity: 'medium',
  title: 'Longhorn volume degraded',
  message: 'Volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f was degraded while harvester-node-2 was pre-draining.',
  node: null,
  subject: 'longhorn-system/pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f',
  firstSeen: t('15:30:41'),
  lastSeen: t('16:17:55'),
  count: 282,
  remediation: 'Wait until the volume is healthy (or rebuild its replica) before draining the next node.',
  evidence: [
    ev(
      'logs/harvester-system/hvst-upgrade-x2hz8-pre-drain-harvester-node-2-5kq7n/apply.log',
      31,
      t('15:30:41'),
      "2025-06-12T15:30:41.772041913Z + '[' degraded = healthy ']'",
    ),
    ev(
      'logs/harvester-system/hvst-upgrade-x2hz8-pre-drain-harvester-node-2-5kq7n/apply.log',
      33,
      t('15:30:41'),
      '2025-06-12T15:30:41.772301190Z Waiting for volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f to be healthy...',
    ),
  ],
  evidenceTotal: 846,
});

const NON_MIGRATABLE_FINDING = finding({
  id: 'non-migratable-vm:harvester-node-0:default/gpu-vm-01',
  ruleId: 'non-migratable-vm',
  severity: 'medium',
  title: 'VM cannot be live-migrated',
  message: 'default/gpu-vm-01 on harvester-node-0 has a PCI passthrough device; the pre-drain shut it down and nothing restarted it.',
  node: 'harvester-node-0',
  subject: 'default/gpu-vm-01',
  firstSeen: t('14:05:31'),
  lastSeen: t('14:05:31'),
  remediation: 'Shut PCI-passthrough and node-pinned VMs down gracefully before the upgrade and start them again after it.',
  evidence: [
    ev(
      'logs/harvester-system/hvst-upgrade-x2hz8-pre-drain-harvester-node-0-b6d2m/apply.log',
      58,
      t('14:05:31'),
      '2025-06-12T14:05:31.027164880Z time="2025-06-12T14:05:31Z" level=info msg="default/gpu-vm-01 considered non-live migratable due to pcie or usb devices"',
    ),
  ],
  fields: { reason: 'pcie or usb devices' },
});

const VERSION_FINDING = finding({
  id: 'upgrade-version-added-manually:v1.5.0',
  ruleId: 'upgrade-version-added-manually',
  severity: 'informational',
  title: 'Upgrade started from a hand-made Version object',
  message: 'The upgrade checker was disabled and Version v1.5.0 was created by hand.',
  node: null,
  subject: 'harvester-system/v1.5.0',
  firstSeen: t('13:01:40'),
  lastSeen: t('13:01:40'),
  remediation: 'None needed; upgrade only to versions listed as upgradable from the running one.',
  evidence: [ev('yamls/namespaced/harvester-system/harvesterhci.io/v1beta1/versions.yaml', 12, t('13:01:40'), '    creationTimestamp: "2025-06-12T13:01:40Z"')],
});

const VM_DB = vmKilled('default/db-01', '14:12:52', 6603, 1);
const VM_WEB = vmKilled('default/web-02', '14:12:53', 6611, 1);
const VM_RUNNER = vmKilled('ci/runner-03', '14:12:55', 6627, 1);

export const postmortemReport = (): PostmortemReport => ({
  tool: { name: 'harvester-postmortem', version: '0.1.0' },
  generatedAt: Date.parse('2025-06-13T08:00:00Z'),
  mode: 'postmortem',
  bundle: {
    path: 'supportbundle_3f0c9a1e_2025-06-12T18-10-02Z.zip',
    kind: 'support-bundle',
    packing: 'zip',
    name: 'supportbundle_3f0c9a1e_2025-06-12T18-10-02Z',
    clusterId: '3f0c9a1e-7d2b-4c5e-9f81-6a4b2c0d8e17',
    createdAt: Date.parse('2025-06-12T18:10:02Z'),
    kubernetesVersion: 'v1.32.3+rke2r1',
    harvesterVersion: 'v1.5.0',
    issueDescription: 'VMs powered off during the upgrade to v1.5.0',
    nodes: ['harvester-node-0', 'harvester-node-1', 'harvester-node-2'],
    nodeReleases: { 'harvester-node-0': 'v1.5.0', 'harvester-node-1': 'v1.5.0', 'harvester-node-2': 'v1.5.0' },
  },
  upgrade: {
    name: 'hvst-upgrade-x2hz8',
    fromVersion: 'v1.4.2',
    toVersion: 'v1.5.0',
    state: 'Succeeded',
    startedAt: stamp('13:02:11', UPGRADE_YAML, 14, 'creationTimestamp: "2025-06-12T13:02:11Z"'),
    finishedAt: stamp('17:04:40', UPGRADE_YAML, 61, 'lastUpdateTime: "2025-06-12T17:04:40Z"'),
    durationSeconds: 14_549,
    phases: [
      { name: 'LogReady', status: 'True', at: stamp('13:02:15', UPGRADE_YAML, 70, 'type: LogReady') },
      { name: 'ImageReady', status: 'True', at: stamp('13:09:40', UPGRADE_YAML, 66, 'type: ImageReady') },
      { name: 'RepoReady', status: 'True', at: stamp('13:12:02', UPGRADE_YAML, 90, 'type: RepoReady') },
      { name: 'NodesPrepared', status: 'True', at: stamp('13:46:30', UPGRADE_YAML, 78, 'type: NodesPrepared') },
      { name: 'SystemServicesUpgraded', status: 'True', at: stamp('14:03:55', UPGRADE_YAML, 94, 'type: SystemServicesUpgraded') },
      { name: 'NodesUpgraded', status: 'True', at: stamp('16:51:30', UPGRADE_YAML, 82, 'type: NodesUpgraded') },
      { name: 'Completed', status: 'True', at: stamp('17:04:40', UPGRADE_YAML, 62, 'type: Completed') },
    ],
    nodes: [
      // Deliberately not in name order: renderers sort.
      nodeStory(
        'harvester-node-2',
        {
          imagesPreloadedAt: '13:46:12',
          preDrainStartedAt: '15:30:00',
          preDrainFinishedAt: '16:18:44',
          rke2UpgradedAt: '16:26:30',
          postDrainStartedAt: '16:28:02',
          postDrainFinishedAt: '16:36:15',
          rebootedAt: '16:38:01',
          succeededAt: '16:51:29',
        },
        'Succeeded',
      ),
      nodeStory(
        'harvester-node-0',
        {
          imagesPreloadedAt: '13:41:05',
          preDrainStartedAt: '14:05:12',
          preDrainFinishedAt: '14:21:40',
          rke2UpgradedAt: '14:29:03',
          postDrainStartedAt: '14:31:10',
          postDrainFinishedAt: '14:38:55',
          rebootedAt: '14:40:21',
          succeededAt: '14:52:30',
        },
        'Succeeded',
      ),
      nodeStory(
        'harvester-node-1',
        {
          imagesPreloadedAt: '13:43:50',
          rke2UpgradedAt: '14:12:47',
          postDrainStartedAt: '15:02:10',
          postDrainFinishedAt: '15:09:58',
          rebootedAt: '15:11:40',
          succeededAt: '15:24:05',
        },
        'Succeeded',
      ),
    ],
    startedBy: { versionObject: 'harvester-system/v1.5.0', upgradeCheckerDisabled: true },
  },
  findings: [
    VM_WEB,
    PDB_FINDING,
    RKE2_FINDING,
    VERSION_FINDING,
    VM_DB,
    MAINTENANCE_FINDING,
    PROMETHEUS_FINDING,
    NON_MIGRATABLE_FINDING,
    VM_RUNNER,
    DEGRADED_FINDING,
  ],
  incidents: [
    {
      id: 'INC-2',
      title: 'Drain of harvester-node-2 held by a Longhorn instance-manager PDB',
      severity: 'high',
      start: t('15:30:41'),
      end: t('16:18:44'),
      nodes: ['harvester-node-2'],
      findingIds: [PDB_FINDING.id, DEGRADED_FINDING.id],
      chain: [
        {
          findingId: DEGRADED_FINDING.id,
          event: null,
          relation: 'observed',
          explanation: 'The pre-drain job waited for volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f to become healthy.',
        },
        {
          findingId: PDB_FINDING.id,
          event: null,
          relation: 'inferred',
          explanation: 'Its engine kept the instance-manager PDB on harvester-node-2, so the drain could not evict it.',
        },
      ],
      verdict: 'inconclusive',
      verdictReason: "harvester-node-2's instance-manager log starts at 2025-06-12T16:02:11.000Z, after the drain began.",
    },
    {
      id: 'INC-1',
      title: 'VMs on harvester-node-1 killed: RKE2 upgraded without pre-drain',
      severity: 'critical',
      start: t('14:12:41'),
      end: t('14:12:55'),
      nodes: ['harvester-node-1'],
      findingIds: [RKE2_FINDING.id, VM_DB.id, VM_WEB.id, VM_RUNNER.id, MAINTENANCE_FINDING.id],
      chain: [
        {
          findingId: MAINTENANCE_FINDING.id,
          event: null,
          relation: 'inferred',
          explanation: 'Maintenance-mode leftovers on harvester-node-1 misled the upgrade flow, which never pre-drained it.',
        },
        {
          findingId: null,
          event: rke2Install('harvester-node-1', '14:12:41', 4812),
          relation: 'observed',
          explanation: 'rancher-system-agent installed RKE2 v1.32.3+rke2r1 while the node was still "Images preloaded".',
        },
        {
          findingId: null,
          event: rke2Stop('harvester-node-1', '14:12:47', 20931),
          relation: 'observed',
          explanation: 'rke2-server (and with it the kubelet) restarted with no pre-drain job before it.',
        },
        {
          findingId: VM_DB.id,
          event: null,
          relation: 'observed',
          explanation: '3 VMs went from Running to Shutoff (Destroyed) within 8 s of the restart.',
        },
      ],
      verdict: 'confirmed',
      verdictReason: null,
    },
  ],
  timeline: [
    { time: t('14:12:52'), node: 'harvester-node-1', kind: 'finding', summary: 'default/db-01 stopped abruptly', findingId: VM_DB.id, file: VIRT_HANDLER_1, line: 6603 },
    { time: t('13:02:11'), node: null, kind: 'upgrade-phase', summary: 'Upgrade hvst-upgrade-x2hz8 created (v1.4.2 → v1.5.0)', findingId: null, file: UPGRADE_YAML, line: 14 },
    { time: t('14:03:55'), node: null, kind: 'upgrade-phase', summary: 'SystemServicesUpgraded True', findingId: null, file: UPGRADE_YAML, line: 94 },
    { time: t('14:05:12'), node: 'harvester-node-0', kind: 'job-start', summary: 'pre-drain job started', findingId: null, file: JOBS_YAML, line: 40 },
    { time: t('14:12:41'), node: 'harvester-node-1', kind: 'rke2-install', summary: 'system-agent-installer-rke2:v1.32.3-rke2r1 extracted', findingId: null, file: NODE_ZIP('harvester-node-1', 'rancher-system-agent.log'), line: 4812 },
    { time: t('14:12:47'), node: 'harvester-node-1', kind: 'rke2-stop', summary: 'Stopping Rancher Kubernetes Engine v2 (server)...', findingId: null, file: NODE_ZIP('harvester-node-1', 'rke2-server.log'), line: 20931 },
    { time: t('14:12:47'), node: 'harvester-node-1', kind: 'finding', summary: 'RKE2 upgraded without pre-drain', findingId: RKE2_FINDING.id, file: NODE_ZIP('harvester-node-1', 'rke2-server.log'), line: 20931 },
    { time: t('14:12:53'), node: 'harvester-node-1', kind: 'finding', summary: 'default/web-02 stopped abruptly', findingId: VM_WEB.id, file: VIRT_HANDLER_1, line: 6611 },
    { time: t('14:12:55'), node: 'harvester-node-1', kind: 'finding', summary: 'ci/runner-03 stopped abruptly', findingId: VM_RUNNER.id, file: VIRT_HANDLER_1, line: 6627 },
    { time: t('14:40:21'), node: 'harvester-node-0', kind: 'reboot', summary: 'harvester-node-0 rebooted', findingId: null, file: NODE_ZIP('harvester-node-0', 'rke2-server.log'), line: 21877 },
    { time: t('14:47:10'), node: 'harvester-node-0', kind: 'finding', summary: 'prometheus OOM-killed', findingId: PROMETHEUS_FINDING.id, file: NODE_ZIP('harvester-node-0', 'kernel.log'), line: 18204 },
    { time: t('15:31:02'), node: 'harvester-node-2', kind: 'finding', summary: 'instance-manager PDB blocks the drain', findingId: PDB_FINDING.id, file: 'logs/longhorn-system/longhorn-manager-m8vfx/longhorn-manager.log', line: 55120 },
    { time: t('17:04:40'), node: null, kind: 'upgrade-phase', summary: 'Completed True', findingId: null, file: UPGRADE_YAML, line: 62 },
  ],
  keyEvents: [
    rke2Install('harvester-node-1', '14:12:41', 4812),
    rke2Stop('harvester-node-1', '14:12:47', 20931),
    reboot('harvester-node-0', '14:40:21', 21877),
  ],
  clockSkew: [{ node: 'harvester-node-2', offsetMs: 1840, basis: 'kubelet.log times against the CRI prefixes of its pods' }],
  coverage: {
    files: 412,
    lines: 1_873_204,
    linesParsed: 1_873_204,
    linesWithTime: 1_861_990,
    byFormat: { 'journald/logrus': 402_118, 'cri/logrus': 611_200, klog: 300_412, 'cri/json': 512_774, journald: 35_486, plain: 11_214 },
    unreadable: [
      {
        file: 'nodes/harvester-node-2.zip!/harvester-node-2/scc/scc_supportconfig_harvester-node-2.txz',
        reason: 'xz-compressed tar archives are not read',
      },
    ],
    gaps: ["harvester-node-2's instance-manager log starts at 2025-06-12T16:02:11.000Z, after its drain began"],
    limitsHit: [{ limit: 'maxLineBytes', count: 2, example: 'logs/cattle-system/rancher-7c9d8f6b5-lq2wz/rancher.log:88102' }],
    ruleFailures: [],
  },
});

/** A cluster on v1.4.2 checked before its upgrade: no upgrade, findings that must be fixed first. */
export const readinessReport = (): PostmortemReport => ({
  tool: { name: 'harvester-postmortem', version: '0.1.0' },
  generatedAt: Date.parse('2025-06-01T09:00:00Z'),
  mode: 'readiness',
  bundle: {
    path: 'bundles/supportbundle_3f0c9a1e_2025-06-01T08-41-55Z.zip',
    kind: 'support-bundle',
    packing: 'zip',
    name: 'supportbundle_3f0c9a1e_2025-06-01T08-41-55Z',
    clusterId: '3f0c9a1e-7d2b-4c5e-9f81-6a4b2c0d8e17',
    createdAt: Date.parse('2025-06-01T08:41:55Z'),
    kubernetesVersion: 'v1.31.4+rke2r1',
    harvesterVersion: 'v1.4.2',
    issueDescription: null,
    nodes: ['harvester-node-0', 'harvester-node-1', 'harvester-node-2'],
    nodeReleases: { 'harvester-node-0': 'v1.4.2', 'harvester-node-1': 'v1.4.2', 'harvester-node-2': 'v1.4.2' },
  },
  upgrade: null,
  findings: [
    { ...NON_MIGRATABLE_FINDING, firstSeen: null, lastSeen: null, message: 'default/gpu-vm-01 has a PCI passthrough device and cannot be live-migrated.', evidence: [ev('yamls/namespaced/default/kubevirt.io/v1/virtualmachines.yaml', 88, null, '              hostDevices:')] },
    { ...MAINTENANCE_FINDING, severity: 'high' },
    {
      ...DEGRADED_FINDING,
      firstSeen: Date.parse('2025-06-01T08:12:30Z'),
      lastSeen: Date.parse('2025-06-01T08:12:30Z'),
      count: 1,
      message: 'Volume pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f is degraded (1 of 3 replicas failed).',
      evidence: [ev('yamls/namespaced/longhorn-system/longhorn.io/v1beta2/volumes.yaml', 412, null, '      robustness: degraded')],
      evidenceTotal: 1,
    },
  ],
  incidents: [],
  timeline: [],
  keyEvents: [],
  clockSkew: [],
  coverage: {
    files: 388,
    lines: 1_204_331,
    linesParsed: 1_204_331,
    linesWithTime: 1_199_020,
    byFormat: { 'cri/logrus': 600_000, 'cri/json': 304_331, 'journald/logrus': 300_000 },
    unreadable: [],
    gaps: [],
    limitsHit: [],
    ruleFailures: [],
  },
});
