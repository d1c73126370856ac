import { describe, expect, it } from 'vitest';
import { buildIncidents, type IncidentOptions } from '../../src/correlate/incidents.js';
import type { KeyEvent, Stamp, UpgradeNodeStory, UpgradeStory } from '../../src/correlate/types.js';
import type { EvidenceRef, Finding, Severity } from '../../src/rules/types.js';

// The seeded incident of the field report, on 2025-06-14 (all times UTC).
const T = (hms: string, day = '2025-06-14'): number => Date.parse(`${day}T${hms}Z`);
const NODES = ['harvester-01', 'harvester-02', 'harvester-03'];
const journal = (node: string, file: string): string => `nodes/${node}.zip!/${node}/logs/${file}`;
const JOBS = 'yamls/namespaced/harvester-system/batch/v1/jobs.yaml';
const UPGRADES = 'yamls/namespaced/harvester-system/harvesterhci.io/v1beta1/upgrades.yaml';

const ref = (file: string, line: number, time: number, text: string): EvidenceRef => ({ file, line, time, text });
const stamp = (time: number, file: string, line: number, text: string): Stamp => ({ time, source: ref(file, line, time, text) });

interface FindingSpec {
  ruleId: string;
  severity: Severity;
  node?: string | null;
  subject?: string | null;
  firstSeen: number | null;
  lastSeen?: number | null;
  count?: number;
  evidence?: EvidenceRef[];
  fields?: Finding['fields'];
  title?: string;
  message?: string;
}

function finding(s: FindingSpec): Finding {
  const node = s.node ?? null;
  const subject = s.subject ?? null;
  return {
    id: `${s.ruleId}:${node ?? '-'}:${subject ?? '-'}`,
    ruleId: s.ruleId,
    severity: s.severity,
    title: s.title ?? s.ruleId,
    message: s.message ?? `${s.ruleId} on ${node ?? 'the cluster'}${subject ? ` (${subject})` : ''}`,
    node,
    subject,
    firstSeen: s.firstSeen,
    lastSeen: s.lastSeen ?? s.firstSeen,
    count: s.count ?? 1,
    remediation: '',
    evidence: s.evidence ?? [],
    evidenceTotal: s.evidence?.length ?? 0,
    fields: s.fields ?? {},
  };
}

function event(node: string | null, kind: KeyEvent['kind'], time: number, file: string, line: number, text: string, summary: string): KeyEvent {
  return { time, node, kind, summary, evidence: ref(file, line, time, text) };
}

/** RKE2 installed by rancher-system-agent, rke2-server restarted, kubelet restarted (real line formats, §9). */
function rke2Restart(node: string, install: number, stop: number, kubelet: number): KeyEvent[] {
  const md = (t: number): string => `${new Date(t).toISOString().slice(11, 23)}000`;
  return [
    event(node, 'rke2-install', install, journal(node, 'rancher-system-agent.log'), 4120,
      `Jun 14 ${md(install)} ${node} rancher-system-agent[2210]: time="${new Date(install).toISOString().slice(0, 19)}Z" level=info msg="[Applyinator] Extracting image rancher/system-agent-installer-rke2:v1.32.3-rke2r1 to directory /var/lib/rancher/agent/work/20250614-094107/6c1d"`,
      'rancher-system-agent extracts system-agent-installer-rke2:v1.32.3-rke2r1'),
    event(node, 'rke2-stop', stop, journal(node, 'rke2-server.log'), 88211,
      `Jun 14 ${md(stop)} ${node} systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...`, 'rke2-server stopping'),
    event(node, 'kubelet-start', kubelet, journal(node, 'kubelet.log'), 310442,
      `I0614 ${md(kubelet)}    3411 server.go:484] "Kubelet version" kubeletVersion="v1.32.3+rke2r1"`, 'kubelet v1.32.3+rke2r1 started'),
  ];
}

/** A VM killed by kubelet right after its restart: kubelet's 2 s grace kill and the virt-launcher's reaped qemu. */
function killedVm(node: string, vm: string, at: number): Finding {
  const pod = `virt-launcher-${vm}-x7k2p`;
  return finding({
    ruleId: 'vm-abrupt-shutdown',
    severity: 'high',
    node,
    subject: `default/${vm}`,
    firstSeen: at,
    title: 'VM killed without a graceful shutdown',
    evidence: [
      ref(journal(node, 'kubelet.log'), 310500, at,
        `I0614 09:41:33.120044    3411 kuberuntime_container.go:809] "Killing container with a grace period" pod="default/${pod}" podUID="3c8d0f7e-2f0e-4d36-9d0b-7c1d2e3f4a5b" containerName="compute" containerID="containerd://9f1c" gracePeriod=2`),
      ref(`logs/default/${pod}/compute.log`, 212, at + 1500,
        `2025-06-14T09:41:35.004118000Z {"component":"virt-launcher","level":"info","msg":"Reaped pid 87 with status 9","pos":"virt-launcher-monitor.go:199","timestamp":"2025-06-14T09:41:35.004118Z"}`),
    ],
  });
}

function nodeStory(name: string, over: Partial<UpgradeNodeStory> = {}): UpgradeNodeStory {
  return {
    name, state: 'Succeeded', imagesPreloadedAt: null, preDrainStartedAt: null, preDrainFinishedAt: null, rke2UpgradedAt: null,
    postDrainStartedAt: null, postDrainFinishedAt: null, rebootedAt: null, succeededAt: null, ...over,
  };
}

const job = (name: string, field: string, time: number, line: number): Stamp =>
  stamp(time, JOBS, line, `Job harvester-system/${name} ${field} ${new Date(time).toISOString()}`);

function upgradeStory(): UpgradeStory {
  const cond = (name: string, time: number, line: number) => ({ name, status: 'True', at: stamp(time, UPGRADES, line, `condition ${name} True`) });
  return {
    name: 'hvst-upgrade-x2hz8',
    fromVersion: 'v1.4.2',
    toVersion: 'v1.5.0',
    state: 'Succeeded',
    startedAt: stamp(T('08:02:11'), UPGRADES, 12, 'Upgrade hvst-upgrade-x2hz8 creationTimestamp 2025-06-14T08:02:11Z'),
    finishedAt: stamp(T('12:02:40'), UPGRADES, 40, 'condition Completed True'),
    durationSeconds: 14429,
    phases: [
      cond('LogReady', T('08:03:02'), 20),
      cond('ImageReady', T('08:20:45'), 24),
      cond('RepoReady', T('08:26:13'), 28),
      cond('NodesPrepared', T('09:05:40'), 32),
      cond('SystemServicesUpgraded', T('09:34:50'), 36),
      cond('NodesUpgraded', T('12:01:58'), 38),
    ],
    nodes: [
      nodeStory('harvester-01', { preDrainFinishedAt: job('hvst-upgrade-x2hz8-pre-drain-harvester-01', 'completionTime', T('11:31:02'), 140) }),
      nodeStory('harvester-02', { preDrainFinishedAt: job('hvst-upgrade-x2hz8-pre-drain-harvester-02', 'completionTime', T('11:48:30'), 190) }),
      nodeStory('harvester-03', {
        preDrainStartedAt: job('hvst-upgrade-x2hz8-pre-drain-harvester-03', 'startTime', T('09:50:12'), 230),
        preDrainFinishedAt: job('hvst-upgrade-x2hz8-pre-drain-harvester-03', 'completionTime', T('10:05:40'), 231),
      }),
    ],
    startedBy: { versionObject: 'v1.5.0', upgradeCheckerDisabled: true },
  };
}

const fullCoverage: IncidentOptions = {
  nodesWithJournal: NODES,
  journalStart: Object.fromEntries(NODES.map((n) => [n, T('00:00:01', '2025-06-07')])),
  upgradePresent: true,
};

const vmNames = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);

/** The seed: harvester-01 and -02 upgraded without pre-drain, 20 VMs killed on each, a leftover on harvester-02. */
function seed(): { findings: Finding[]; keyEvents: KeyEvent[] } {
  const findings: Finding[] = [
    finding({ ruleId: 'rke2-upgrade-without-pre-drain', severity: 'critical', node: 'harvester-01', firstSeen: T('09:38:02') }),
    finding({ ruleId: 'rke2-upgrade-without-pre-drain', severity: 'critical', node: 'harvester-02', firstSeen: T('09:41:07') }),
    ...vmNames('web', 20).map((vm, i) => killedVm('harvester-01', vm, T('09:39:08') + i * 1500)),
    ...vmNames('db', 20).map((vm, i) => killedVm('harvester-02', vm, T('09:41:33') + i * 1000)),
    finding({
      ruleId: 'maintenance-mode-leftover', severity: 'high', node: 'harvester-02', subject: 'harvester-02', firstSeen: T('14:02:19', '2025-06-10'),
      evidence: [ref('yamls/cluster/v1/nodes.yaml', 412, T('14:02:19', '2025-06-10'), 'harvesterhci.io/maintain-status: completed')],
    }),
  ];
  const keyEvents = [
    ...rke2Restart('harvester-01', T('09:38:02'), T('09:38:40'), T('09:39:05')),
    ...rke2Restart('harvester-02', T('09:41:07'), T('09:41:19'), T('09:41:30')),
  ];
  return { findings, keyEvents };
}

describe('buildIncidents: RKE2 upgraded without pre-drain', () => {
  it('chains the install, the kubelet restart, the killed VMs and the leftover maintenance state per node', () => {
    const { findings, keyEvents } = seed();
    const incidents = buildIncidents(findings, keyEvents, upgradeStory(), fullCoverage);
    expect(incidents.map((i) => i.title)).toEqual([
      'RKE2 upgraded on harvester-01 at 09:38:02 without pre-drain → kubelet restarted → 20 VMs killed',
      'RKE2 upgraded on harvester-02 at 09:41:07 without pre-drain → kubelet restarted → 20 VMs killed; maintenance-mode leftover on harvester-02 since 2025-06-10 14:02',
    ]);
    const [one, two] = incidents;
    expect(two.severity).toBe('critical');
    expect(two.nodes).toEqual(['harvester-02']);
    expect(two.verdict).toBe('confirmed');
    expect(two.verdictReason).toBeNull();
    expect(two.start).toBe(T('09:41:07'));
    expect(two.end).toBe(T('09:41:52'));
    expect(two.findingIds).toHaveLength(22);
    expect(two.findingIds[0]).toBe('rke2-upgrade-without-pre-drain:harvester-02:-');
    expect(two.chain.map((l) => [l.relation, l.event?.kind ?? l.findingId])).toEqual([
      ['observed', 'rke2-install'],
      ['observed', 'kubelet-start'],
      ['observed', 'vm-abrupt-shutdown:harvester-02:default/db-01'],
      ['inferred', 'maintenance-mode-leftover:harvester-02:harvester-02'],
    ]);
    expect(two.chain[0].explanation).toContain('its pre-drain job completed only at 11:48:30');
    expect(two.chain[2].explanation).toContain('20 VMs killed abruptly on harvester-02 between 09:41:33 and 09:41:52');
    expect(two.chain[3].explanation).toContain('field report');
    expect(one.findingIds).toHaveLength(21);
    expect(one.findingIds).not.toContain('maintenance-mode-leftover:harvester-02:harvester-02');
  });

  it('keeps VM deaths outside the window out of the chain and gives them their own incident', () => {
    const { findings, keyEvents } = seed();
    const late = killedVm('harvester-01', 'ci-runner-01', T('14:20:00'));
    const incidents = buildIncidents([...findings, late], keyEvents, upgradeStory(), fullCoverage);
    const own = incidents.find((i) => i.findingIds.includes(late.id))!;
    expect(own.title).toBe('VM default/ci-runner-01 killed abruptly on harvester-01 at 14:20:00');
    expect(own.findingIds).toEqual([late.id]);
    // No restart or reboot precedes it, and harvester-01's journal covers the time: the death stands, cause unknown.
    expect(own.verdict).toBe('confirmed');
    expect(incidents[0].findingIds).not.toContain(late.id);
  });

  it('marks the VM link inferred when kubelet is not seen killing them, naming the mechanism', () => {
    const { findings, keyEvents } = seed();
    const noKubeletLine = findings.map((f) =>
      f.ruleId === 'vm-abrupt-shutdown' ? { ...f, evidence: f.evidence.filter((e) => !e.file.endsWith('kubelet.log')) } : f,
    );
    const two = buildIncidents(noKubeletLine, keyEvents, upgradeStory(), fullCoverage)[1];
    const vms = two.chain.find((l) => l.findingId?.startsWith('vm-abrupt-shutdown'))!;
    expect(vms.relation).toBe('inferred');
    expect(vms.explanation).toContain('a kubelet restart kills the virt-launcher pods of a node that was not drained');
  });

  it('orders the restart before the kills only on the reference clock (node journal running 4 s ahead)', () => {
    // harvester-02's journal and kubelet.log run 4 s ahead: kubelet restarts at 09:41:30 (09:41:34 node time), the
    // first VM dies at 09:41:31 by its virt-launcher's CRI time.
    const keyEvents = rke2Restart('harvester-02', T('09:41:11'), T('09:41:23'), T('09:41:34'));
    const noKubeletLine = [
      finding({ ruleId: 'rke2-upgrade-without-pre-drain', severity: 'critical', node: 'harvester-02', firstSeen: T('09:41:11') }),
      ...vmNames('db', 3).map((vm, i) => killedVm('harvester-02', vm, T('09:41:31') + i * 1000)),
    ].map((f) => ({ ...f, evidence: f.evidence.filter((e) => !e.file.endsWith('kubelet.log')) }));
    const [unskewed] = buildIncidents(noKubeletLine, keyEvents, upgradeStory(), fullCoverage);
    expect(unskewed.chain[2].explanation).not.toContain('after the restart');
    const skews = [{ node: 'harvester-02', offsetMs: 4000, basis: 'median of 3 pairs' }];
    const [skewed] = buildIncidents(noKubeletLine, keyEvents, upgradeStory(), { ...fullCoverage, skews });
    expect(skewed.title.startsWith('RKE2 upgraded on harvester-02 at 09:41:07 without pre-drain')).toBe(true);
    expect(skewed.chain[1].event!.time).toBe(T('09:41:30'));
    expect(skewed.chain[2].explanation).toContain('from 1 s after the restart');
  });
});

describe('buildIncidents: coverage-aware verdicts', () => {
  it('is inconclusive when the node journal is missing', () => {
    const { findings, keyEvents } = seed();
    const without02 = keyEvents.filter((e) => e.node !== 'harvester-02');
    const coverage = { ...fullCoverage, nodesWithJournal: ['harvester-01', 'harvester-03'] };
    const [one, two] = buildIncidents(findings, without02, upgradeStory(), coverage);
    expect(one.verdict).toBe('confirmed');
    expect(two.verdict).toBe('inconclusive');
    expect(two.verdictReason).toBe('no journal of harvester-02 in the bundle: the RKE2 install and the kubelet restart cannot be checked');
    // The finding's own time still places the effects.
    expect(two.title).toBe('RKE2 upgraded on harvester-02 at 09:41:07 without pre-drain → 20 VMs killed; maintenance-mode leftover on harvester-02 since 2025-06-10 14:02');
  });

  it('is inconclusive when the journal starts after the upgrade began, or there is no Upgrade CR', () => {
    const { findings, keyEvents } = seed();
    const late = { ...fullCoverage, journalStart: { ...fullCoverage.journalStart, 'harvester-01': T('09:00:00') } };
    const one = buildIncidents(findings, keyEvents, upgradeStory(), late)[0];
    expect(one.verdict).toBe('inconclusive');
    expect(one.verdictReason).toBe(
      "harvester-01's journal starts at 2025-06-14T09:00:00.000Z, after the upgrade began (2025-06-14T08:02:11.000Z): the RKE2 install and the kubelet restart may be missing",
    );
    const noCr = buildIncidents(findings, keyEvents, null, { ...fullCoverage, upgradePresent: false })[0];
    expect(noCr.verdict).toBe('inconclusive');
    expect(noCr.verdictReason).toBe('no Upgrade CR in the bundle: whether harvester-01 was pre-drained cannot be checked');
  });
});

describe('buildIncidents: other chains', () => {
  it('raises no incident for a clean upgrade', () => {
    const findings = [
      // A PDB that cleared within seconds and a note on the bundle: nothing to act on.
      finding({ ruleId: 'longhorn-drain-blocked', severity: 'informational', node: 'harvester-03', subject: 'longhorn-system/instance-manager-5b1f', firstSeen: T('10:06:01'), lastSeen: T('10:06:11') }),
      finding({ ruleId: 'collection-gap', severity: 'low', subject: 'bundleGenerationError.log', firstSeen: null }),
    ];
    const keyEvents = NODES.flatMap((n, i) => rke2Restart(n, T('10:00:00') + i * 3_600_000, T('10:00:30') + i * 3_600_000, T('10:01:00') + i * 3_600_000));
    expect(buildIncidents(findings, keyEvents, upgradeStory(), fullCoverage)).toEqual([]);
  });

  it('chains a PDB-blocked drain, the degraded volume that recovered and the stalled node', () => {
    const volume = 'pvc-9ae0e9a5-a630-4f0c-98cc-b14893c74f9e';
    const findings = [
      finding({
        ruleId: 'longhorn-drain-blocked', severity: 'high', node: 'harvester-03', subject: 'longhorn-system/instance-manager-d80e13f520e7b952f4b7593fc1883e2a',
        firstSeen: T('10:06:05'), lastSeen: T('11:21:10'), count: 902,
        evidence: [ref('logs/cattle-system/rancher-7d9c8b6f5-qk2lp/rancher.log', 51220, T('10:06:05'),
          '2025-06-14T10:06:05.118220431Z error when evicting pods/"instance-manager-d80e13f520e7b952f4b7593fc1883e2a" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.')],
      }),
      finding({ ruleId: 'longhorn-volume-unhealthy', severity: 'medium', node: 'harvester-03', subject: volume, firstSeen: T('11:22:40'), lastSeen: T('11:52:03'), fields: { recovered: true } }),
      finding({ ruleId: 'upgrade-stalled', severity: 'high', node: 'harvester-03', subject: 'Pre-drained', firstSeen: T('10:05:40'), lastSeen: T('11:23:00'), title: 'Upgrade held in Pre-drained' }),
      // An unrelated degraded volume days before: its own incident.
      finding({ ruleId: 'longhorn-volume-unhealthy', severity: 'medium', node: 'harvester-01', subject: 'pvc-1111', firstSeen: T('02:00:00', '2025-06-11'), fields: { recovered: true } }),
    ];
    const incidents = buildIncidents(findings, [], upgradeStory(), fullCoverage);
    expect(incidents.map((i) => i.title)).toEqual([
      'longhorn-volume-unhealthy on harvester-01: pvc-1111',
      `Drain of harvester-03 blocked by Longhorn instance-manager PDB 10:06–11:21 → volume ${volume} degraded → recovered; upgrade stalled on harvester-03`,
    ]);
    const blocked = incidents[1];
    expect(blocked.severity).toBe('high');
    expect(blocked.findingIds).toHaveLength(3);
    expect(blocked.chain.map((l) => l.relation)).toEqual(['observed', 'observed', 'inferred']);
    expect(blocked.chain[0].explanation).toContain('(75 min)');
    expect(blocked.chain[1].explanation).toContain('healthy again by 11:52:03');
    expect([blocked.start, blocked.end]).toEqual([T('10:06:05'), T('11:52:03')]);
  });

  it('tells a drain still blocked at collection behind the degraded volume longhorn-manager names (mid-upgrade bundle)', () => {
    const volume = 'pvc-0449427b-4dcf-4eab-a720-14ac96c03943';
    const blocked = finding({
      ruleId: 'longhorn-drain-blocked', severity: 'high', node: 'harvester-02', subject: 'longhorn-system/instance-manager-ff990826335cc907e7ca6a524287075b',
      firstSeen: T('09:57:58'), lastSeen: T('13:13:03'),
      fields: { stillBlockedAtCollection: true, reason: `some volumes are still attached InstanceEngines count 1 ${volume}-e-0` },
    });
    // Seen only in the Volume object at collection: no time, and the rule places it on its engine's node.
    const degraded = finding({ ruleId: 'longhorn-volume-unhealthy', severity: 'medium', node: 'harvester-03', subject: volume, firstSeen: null, fields: { recovered: false } });
    const stalled = finding({ ruleId: 'upgrade-stalled', severity: 'high', node: 'harvester-02', subject: 'hvst-upgrade-q8wfd', firstSeen: T('09:57:46'), title: 'Upgrade failed or stalled' });
    const story = { ...upgradeStory(), finishedAt: null, state: 'UpgradingNodes' };
    const [incident] = buildIncidents([blocked, degraded, stalled], [], story, fullCoverage);
    expect(incident.title).toBe(
      `Drain of harvester-02 blocked by Longhorn instance-manager PDB since 09:57, still blocked at collection, held by degraded volume ${volume}; upgrade stalled on harvester-02`,
    );
    expect(incident.nodes).toEqual(['harvester-02', 'harvester-03']);
    expect(incident.chain[0].explanation).toContain(`(at least 3 h 15 min) (some volumes are still attached InstanceEngines count 1 ${volume}-e-0)`);
    expect(incident.chain[1]).toMatchObject({ relation: 'observed', findingId: degraded.id });
    expect(incident.chain[1].explanation).toContain('unhealthy (since an unknown time), still unhealthy at collection');
    expect([incident.start, incident.end]).toEqual([T('09:57:58'), T('13:13:03')]);

    // Unnamed, on the node and degraded before the block: tied by time only, so inferred.
    const earlier = finding({ ruleId: 'longhorn-volume-unhealthy', severity: 'medium', node: 'harvester-02', subject: 'pvc-1111', firstSeen: T('09:50:10'), fields: { recovered: false } });
    const [other] = buildIncidents([{ ...blocked, fields: { stillBlockedAtCollection: true } }, earlier], [], story, fullCoverage);
    expect(other.chain[1].relation).toBe('inferred');
    expect(other.chain[1].explanation).toContain('already unhealthy at 09:50:10, before the drain of harvester-02 was blocked');
  });

  it('gives Prometheus OOMs their upgrade phase and a lone OOM before the upgrade its own incident', () => {
    const findings = [
      finding({
        ruleId: 'prometheus-oom-killed', severity: 'high', node: 'harvester-03', subject: 'cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0',
        firstSeen: T('10:15:12'), lastSeen: T('11:40:27'), count: 6, fields: { oomKills: 6 },
      }),
      finding({ ruleId: 'container-oom-killed', severity: 'medium', node: 'harvester-01', subject: 'default/stress-test-7d9f8', firstSeen: T('03:12:44'), fields: { inUpgradeWindow: false } }),
      // A kernel memcg kill with no pod to name: the rule names the process and its node.
      finding({ ruleId: 'container-oom-killed', severity: 'medium', node: 'harvester-02', subject: 'process stress-ng-vm on harvester-02', firstSeen: T('03:40:00') }),
    ];
    const incidents = buildIncidents(findings, [], upgradeStory(), fullCoverage);
    expect(incidents.map((i) => i.title)).toEqual([
      'Container default/stress-test-7d9f8 OOMKilled once on harvester-01 before the upgrade (not tied to it)',
      'Process stress-ng-vm on harvester-02 OOMKilled once before the upgrade (not tied to it)',
      'Prometheus OOMKilled 6 times on harvester-03 during the node phase',
    ]);
    expect(incidents[0].chain[1]).toMatchObject({ relation: 'observed', event: { kind: 'upgrade-phase', time: T('08:02:11') } });
    expect(incidents[0].chain[1].explanation).toContain('not tied to the upgrade');
    expect(incidents[2].chain[1]).toMatchObject({ relation: 'inferred', event: { summary: 'SystemServicesUpgraded True' } });
    expect(incidents[2].findingIds).toEqual(['prometheus-oom-killed:harvester-03:cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0']);
  });

  it('groups the non-migratable VMs into one incident, counting those not restarted', () => {
    const vm = (name: string, node: string, running: boolean): Finding =>
      finding({ ruleId: 'non-migratable-vm', severity: 'medium', node, subject: `default/${name}`, firstSeen: T('07:51:03'), fields: { runningAtCollection: running } });
    const findings = [vm('gpu-01', 'harvester-01', false), vm('pinned-db-01', 'harvester-02', true), vm('gpu-02', 'harvester-03', false)];
    const [after] = buildIncidents(findings, [], upgradeStory(), fullCoverage);
    expect(after.title).toBe('3 VMs could not live-migrate and had to be shut off by hand; 2 not restarted');
    expect(after.nodes).toEqual(NODES);
    expect(after.chain.at(-1)!.explanation).toContain('does not start VMs stopped for it again');
    const [before] = buildIncidents(findings, [], null, { ...fullCoverage, upgradePresent: false });
    expect(before.title).toBe('3 VMs cannot live-migrate: shut them off before upgrading');
    expect(before.id).toBe(after.id);
  });

  it('turns leftover findings of medium severity or above into single incidents, never informational or low ones', () => {
    const findings = [
      finding({ ruleId: 'node-not-ready', severity: 'medium', node: 'harvester-02', subject: 'harvester-02', firstSeen: T('12:30:00'), title: 'Node not Ready' }),
      finding({ ruleId: 'collection-gap', severity: 'low', node: 'harvester-03', firstSeen: T('12:30:00') }),
      finding({ ruleId: 'prometheus-oom-killed', severity: 'informational', firstSeen: T('10:00:00') }),
      finding({ ruleId: 'rke2-upgrade-without-pre-drain', severity: 'informational', node: 'harvester-03', firstSeen: T('11:25:00') }),
    ];
    const incidents = buildIncidents(findings, [], upgradeStory(), fullCoverage);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ title: 'Node not Ready on harvester-02: harvester-02', severity: 'medium', verdict: 'confirmed' });
    expect(incidents[0].id).toMatch(/^node-not-ready-[0-9a-f]{12}$/);
  });
});

describe('buildIncidents: determinism', () => {
  const shuffle = <T>(items: readonly T[], seed: number): T[] => {
    const out = [...items];
    let s = seed;
    for (let i = out.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };

  it('gives the same incidents, ids and order for shuffled input', () => {
    const { findings, keyEvents } = seed();
    const extra = [
      finding({ ruleId: 'prometheus-oom-killed', severity: 'high', node: 'harvester-03', firstSeen: T('10:15:12'), count: 6 }),
      killedVm('harvester-01', 'ci-runner-01', T('14:20:00')),
      finding({ ruleId: 'node-not-ready', severity: 'medium', node: 'harvester-02', firstSeen: null }),
    ];
    const all = [...findings, ...extra];
    const expected = buildIncidents(all, keyEvents, upgradeStory(), fullCoverage);
    expect(expected.map((i) => i.start)).toEqual([T('09:38:02'), T('09:41:07'), T('10:15:12'), T('14:20:00'), null]);
    for (const s of [1, 2, 3]) {
      expect(buildIncidents(shuffle(all, s), shuffle(keyEvents, s + 7), upgradeStory(), fullCoverage)).toEqual(expected);
    }
  });
});

describe('buildIncidents: VM deaths no upgrade chain explains', () => {
  it('ties a burst of kills to the node moment just before it, as an inferred link', () => {
    const reboot = event('harvester-03', 'reboot', T('11:57:40'), journal('harvester-03', 'kernel.log'), 1,
      'Jun 14 11:57:40.000000 harvester-03 kernel: Linux version 5.14.21-150500.55.97-default (geeko@buildhost) (gcc (SUSE Linux) 7.5.0) #1 SMP PREEMPT_DYNAMIC',
      'node booted (kernel 5.14.21-150500.55.97-default)');
    const vms = vmNames('ci-runner', 3).map((vm, i) => killedVm('harvester-03', vm, T('11:58:10') + i * 1000));
    const [deaths] = buildIncidents(vms, [reboot], upgradeStory(), fullCoverage);
    expect(deaths.title).toBe('3 VMs killed abruptly on harvester-03 11:58:10–11:58:12 after a reboot');
    expect(deaths.chain[0]).toMatchObject({ relation: 'inferred', event: { kind: 'reboot' } });
    expect(deaths.chain[0].explanation).toContain('30 s before the first kill: a node reboot kills every VM still running on it');
    expect(deaths.verdict).toBe('confirmed');
  });

  it('is inconclusive about the cause when the node has no journal', () => {
    const vms = vmNames('ci-runner', 2).map((vm, i) => killedVm('harvester-03', vm, T('11:58:10') + i * 1000));
    const [deaths] = buildIncidents(vms, [], upgradeStory(), { ...fullCoverage, nodesWithJournal: ['harvester-01', 'harvester-02'] });
    expect(deaths.title).toBe('2 VMs killed abruptly on harvester-03 11:58:10–11:58:11');
    expect(deaths.verdict).toBe('inconclusive');
    expect(deaths.verdictReason).toBe('no journal of harvester-03 in the bundle: what killed the VMs (kubelet or RKE2 restart, reboot) cannot be checked');
  });
});
