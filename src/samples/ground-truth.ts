/**
 * What a correct analysis of each sample must find (and must not), derived from the same scenario scripts
 * that write the samples. Times are UTC epoch milliseconds, true times (not a skewed node clock).
 * The golden and detector tests assert against this; samples/README.md describes the same facts in prose.
 */
import type { Severity } from '../rules/types.js';
import { RELEASE_FROM, RELEASE_TO } from './cluster.js';
import type { Micros } from './line-formats.js';
import { US_PER_MS } from './line-formats.js';
import type { Played, ScenarioName } from './scenarios.js';
import { play } from './scenarios.js';

export interface ExpectedFinding {
  ruleId: string;
  severity: Severity;
  node: string | null;
  /** `<namespace>/<name>` of a VM or pod, a Longhorn volume name, an upgrade or a member path. */
  subject: string | null;
  /** When it happened (first occurrence); null when the finding is about a state, not a moment. */
  time: number | null;
  /** How far a detector's time may be from `time`. */
  toleranceMs: number;
  note: string;
}

/** A benign look-alike: `ruleId` must not report `subject` (or anything on `node` when no subject). */
export interface MustStaySilent {
  ruleId: string;
  node: string | null;
  subject: string | null;
  why: string;
}

export interface NodeTruth {
  node: string;
  finalState: string;
  /** When RKE2 v1.32.3 was first installed (rke2-server stop before the restart), true time. */
  rke2UpgradedAt: number | null;
  preDrain: { start: number; end: number } | null;
  postDrain: { start: number; end: number } | null;
  rebootedAt: number | null;
  succeededAt: number | null;
}

export interface ScenarioTruth {
  scenario: ScenarioName;
  file: string;
  bundleCreatedAt: number;
  upgrade: {
    name: string;
    fromVersion: string;
    toVersion: string;
    createdAt: number;
    finishedAt: number | null;
    state: string;
    phases: { name: string; at: number }[];
    nodes: NodeTruth[];
  };
  /** Journal/kubelet clocks that run off (node clock − true time). */
  clockSkew: { node: string; offsetMs: number }[];
  expected: ExpectedFinding[];
  silent: MustStaySilent[];
}

const ms = (t: Micros): number => Math.floor(t / US_PER_MS);
const msOrNull = (t: Micros | null | undefined): number | null => (t === null || t === undefined ? null : ms(t));
const MIN_MS = 60_000;

function nodeTruths(p: Played): NodeTruth[] {
  const w = p.w;
  const rec = p.story.rec;
  return [...w.nodes.keys()].sort().map((node) => {
    const job = (type: string) => w.jobs.find((j) => j.name === `${rec.name}-${type}-${node}`);
    const pre = job('pre-drain');
    const post = job('post-drain');
    const boots = w.node(node).boots.filter((b) => b.start > rec.createdAt);
    return {
      node,
      finalState: rec.nodeStatuses[node]?.state ?? 'Images preloaded',
      rke2UpgradedAt: msOrNull(rec.rke2UpgradedAt[node]),
      preDrain: pre ? { start: ms(pre.start), end: ms(pre.end!) } : null,
      postDrain: post ? { start: ms(post.start), end: ms(post.end!) } : null,
      rebootedAt: boots.length ? ms(boots[0].start) : null,
      succeededAt: rec.nodeStatuses[node]?.state === 'Succeeded' ? ms(rec.nodeStatuses[node].at) : null,
    };
  });
}

function expectations(p: Played): { expected: ExpectedFinding[]; silent: MustStaySilent[] } {
  const f = p.facts;
  const expected: ExpectedFinding[] = [];
  const silent: MustStaySilent[] = [];
  const nodes = nodeTruths(p);
  for (const o of f.outOfBand) {
    expected.push({ ruleId: 'rke2-upgrade-without-pre-drain', severity: 'critical', node: o.node, subject: null, time: ms(o.rke2StopAt), toleranceMs: 30_000, note: 'rancher-system-agent force-applied the RKE2 installer and restarted rke2-server while the node was still "Images preloaded", no pre-drain job before it' });
  }
  for (const n of nodes) {
    if (!f.outOfBand.some((o) => o.node === n.node) && n.rke2UpgradedAt !== null) silent.push({ ruleId: 'rke2-upgrade-without-pre-drain', node: n.node, subject: null, why: 'RKE2 was upgraded after this node\'s pre-drain job completed (correct order)' });
  }
  for (const k of f.killed) {
    expected.push({ ruleId: 'vm-abrupt-shutdown', severity: 'high', node: k.node, subject: `default/${k.vm}`, time: ms(k.at), toleranceMs: 15_000, note: 'launcher killed by the restarted kubelet (grace period 2 s), domain crashed, VM restarted by RerunOnFailure' });
  }
  for (const v of f.nonMigratable) {
    expected.push({ ruleId: 'non-migratable-vm', severity: 'medium', node: v.node, subject: `default/${v.vm}`, time: null, toleranceMs: 0, note: v.reason === 'pci' ? 'PCI passthrough (spec.template.spec.domain.devices.hostDevices); halted before the upgrade' : 'pinned by nodeSelector kubernetes.io/hostname; halted before the upgrade' });
    if (!f.startedByHand.includes(v.vm)) silent.push({ ruleId: 'vm-abrupt-shutdown', node: v.node, subject: `default/${v.vm}`, why: 'stopped gracefully by the operator (runStrategy Halted) before the upgrade' });
  }
  if (f.leftover) {
    expected.push({ ruleId: 'maintenance-mode-leftover', severity: 'high', node: f.leftover.node, subject: null, time: null, toleranceMs: 0, note: `node annotation harvesterhci.io/maintain-status: completed and VM default/${f.leftover.vm} annotation harvesterhci.io/maintain-mode-strategy-node-name remain from a maintenance window days before` });
  }
  if (f.prometheusOoms.length) {
    expected.push({ ruleId: 'prometheus-oom-killed', severity: 'high', node: p.w.pods.find((x) => x.name === 'prometheus-rancher-monitoring-prometheus-0' && x.deletedAt === null)!.node, subject: 'cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0', time: ms(f.prometheusOoms[0]), toleranceMs: 60_000, note: `OOMKilled ${f.prometheusOoms.length} times (limit 2500Mi) during the node phase; restartCount ${f.prometheusOoms.length}, exitCode 137` });
  } else {
    silent.push({ ruleId: 'prometheus-oom-killed', node: null, subject: null, why: 'Prometheus never restarted' });
  }
  if (f.testPodOom) {
    expected.push({ ruleId: 'container-oom-killed', severity: 'medium', node: f.testPodOom.node, subject: f.testPodOom.pod, time: ms(f.testPodOom.at), toleranceMs: 60_000, note: 'a stress test pod hit its 1Gi limit hours before the upgrade (kernel memcg OOM + kubelet ContainerDied); the pod is gone from the bundle' });
  }
  const blocked = f.drainBlocked;
  if (blocked) {
    expected.push({ ruleId: 'longhorn-drain-blocked', severity: 'high', node: blocked.node, subject: `longhorn-system/${blocked.im}`, time: ms(blocked.from), toleranceMs: 60_000, note: blocked.to ? `instance-manager PDB refused eviction every 5 s for ${Math.round((blocked.to - blocked.from) / 60e6)} min (engine ${blocked.engine} still attached) until the instance-manager pod was deleted by hand` : `instance-manager PDB still refusing eviction at collection time (engine ${blocked.engine} still attached)` });
  }
  for (const n of nodes) {
    if (n.node !== blocked?.node && n.preDrain) silent.push({ ruleId: 'longhorn-drain-blocked', node: n.node, subject: null, why: 'the instance-manager PDB refused the eviction once or twice and cleared within seconds' });
  }
  if (f.slowVolume) {
    expected.push({ ruleId: 'longhorn-volume-unhealthy', severity: 'medium', node: null, subject: f.slowVolume.volume, time: ms(f.slowVolume.from), toleranceMs: 60_000, note: f.slowVolume.to ? `degraded for ${Math.round((f.slowVolume.to - f.slowVolume.from) / 60e6)} min (volume of VM default/${f.slowVolume.vm})` : `degraded since then and still degraded at collection (volume of VM default/${f.slowVolume.vm})` });
  }
  silent.push({ ruleId: 'longhorn-volume-unhealthy', node: null, subject: null, why: 'every other volume is degraded only while a node is drained and rebooted by the upgrade (minutes, expected) and healthy at collection' });
  if (f.gracefulStop) silent.push({ ruleId: 'vm-abrupt-shutdown', node: null, subject: `default/${f.gracefulStop.vm}`, why: 'graceful shutdown by the operator (Signaled graceful shutdown, Shutoff reason Shutdown)' });
  if (f.maintenance) silent.push({ ruleId: 'maintenance-mode-leftover', node: f.maintenance.node, subject: null, why: 'maintenance mode enabled and disabled again; annotations and taint removed' });
  const rec = p.story.rec;
  if (rec.finishedAt === null) {
    const stuck = Object.entries(rec.nodeStatuses).find(([, s]) => s.state === 'Pre-drained');
    expected.push({ ruleId: 'upgrade-stalled', severity: 'high', node: stuck?.[0] ?? null, subject: `harvester-system/${rec.name}`, time: stuck ? ms(stuck[1].at) : null, toleranceMs: 5 * MIN_MS, note: `upgradeState ${rec.state}; ${stuck?.[0]} "Pre-drained" for ${stuck ? Math.round((p.bundleCreatedAt - stuck[1].at) / 60e6) : 0} min at collection` });
  } else {
    silent.push({ ruleId: 'upgrade-stalled', node: null, subject: null, why: 'the upgrade completed' });
  }
  for (const gap of f.gaps) {
    expected.push({ ruleId: 'collection-gap', severity: 'low', node: 'harvester-02', subject: gap, time: null, toleranceMs: 0, note: 'bundleGenerationError.log: the previous virt-handler container log could not be fetched; the VM kills on harvester-02 are visible only in kubelet.log and events' });
  }
  if (f.gaps.length === 0) silent.push({ ruleId: 'collection-gap', node: null, subject: null, why: 'bundleGenerationError.log holds only the usual discovery errors for create-only resources (bindings, localsubjectaccessreviews)' });
  return { expected, silent };
}

function build(name: ScenarioName, scale: number): ScenarioTruth {
  const p = play(name, scale);
  const rec = p.story.rec;
  const { expected, silent } = expectations(p);
  const upgradelog = name === 'upgrade-v1.4.2-to-v1.5.0-incident-upgradelog';
  return {
    scenario: name,
    file: `samples/${name}.zip`,
    bundleCreatedAt: ms(p.bundleCreatedAt),
    upgrade: {
      name: rec.name,
      fromVersion: RELEASE_FROM.harvester,
      toVersion: RELEASE_TO.harvester,
      createdAt: ms(rec.createdAt),
      finishedAt: msOrNull(rec.finishedAt),
      state: rec.state,
      phases: rec.conditions.filter((c) => c.at !== null && c.status === 'True').map((c) => ({ name: c.type, at: ms(c.at!) })).sort((a, b) => a.at - b.at),
      nodes: nodeTruths(p),
    },
    clockSkew: [...p.w.nodes.values()].filter((n) => n.skew !== 0).map((n) => ({ node: n.def.name, offsetMs: ms(n.skew) })),
    // The archive holds only upgrade-time logs of kube-system, harvester-system, longhorn-system, rancher and
    // fleet pods: no node journals, objects, events, kernel or monitoring logs.
    expected: upgradelog ? expected.filter((e) => UPGRADELOG_VISIBLE.includes(e.ruleId)) : expected,
    silent,
  };
}

/** Findings the UpgradeLog archive alone supports: virt-handler/virt-controller, rancher drain, pre-drain job lines. */
const UPGRADELOG_VISIBLE = ['vm-abrupt-shutdown', 'longhorn-drain-blocked', 'longhorn-volume-unhealthy'];

const cache = new Map<string, ScenarioTruth>();

/** The ground truth of a scenario at a scale (1 = the committed samples). */
export function groundTruth(name: ScenarioName, scale = 1): ScenarioTruth {
  const key = `${name}@${scale}`;
  if (!cache.has(key)) cache.set(key, build(name, scale));
  return cache.get(key)!;
}
