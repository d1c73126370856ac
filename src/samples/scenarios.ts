/**
 * The sample scenarios as timed stories on the sample cluster. Every time here is ground truth the
 * README and ground-truth.ts quote; change them together.
 */
import type { ReleaseInfo, VmDef } from './cluster.js';
import { buildVms, fleetScale, NODES, RELEASE_FROM, RELEASE_TO } from './cluster.js';
import { rke2ChartWorkloads, upgradeLogCollects } from './catalog.js';
import { haltVms, leftoverMaintenance, maintenance, prometheusOomLoop, startVmsByHand, stressTestOom } from './happenings.js';
import { kernelBoot } from './kernel-lines.js';
import type { Micros } from './line-formats.js';
import type { Bootstrap } from './story-common.js';
import { bootstrapCluster, clock, MIN, S } from './story-common.js';
import type { ManifestMarks } from './story-upgrade.js';
import { UpgradeStory } from './story-upgrade.js';
import { vmGracefulStop } from './vm-lines.js';
import type { VmState } from './world.js';
import { World } from './world.js';
import { Rng } from './prng.js';

export const SCENARIOS = [
  'upgrade-v1.4.2-to-v1.5.0-incident',
  'upgrade-v1.4.2-to-v1.5.0-clean',
  'upgrade-stalled-pre-drained',
  'upgrade-v1.4.2-to-v1.5.0-incident-upgradelog',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const DAY = '2025-06-14';
const T = clock(DAY);

/** A played scenario: the world at collection time plus what the bundle says about itself. */
export interface Played {
  name: ScenarioName;
  w: World;
  story: UpgradeStory;
  boot: Bootstrap;
  /** metadata.yaml bundlename / bundlecreatedat; pod logs are read right after it, node bundles later. */
  bundleName: string;
  bundleCreatedAt: Micros;
  nodeLogsAt: Micros;
  issueDescription: string;
  /** Lines of bundleGenerationError.log. */
  generationErrors: string[];
  /** Pods whose previous container log could not be fetched (no `<container>.log.1`). */
  missingPrevious: Set<string>;
  /** System volumes (monitoring PVCs) besides the VM volumes. */
  systemVolumes: { name: string; pvc: string; namespace: string; sizeGi: number }[];
  alerts: { name: string; severity: string; state: 'firing' | 'pending'; activeAt: Micros; labels: Record<string, string>; summary: string; value: string }[];
  settings: Record<string, string>;
  scale: number;
  /** Facts the ground truth is built from. */
  facts: ScenarioFacts;
}

export interface ScenarioFacts {
  killed: { vm: string; node: string; at: Micros }[];
  outOfBand: { node: string; rke2StopAt: Micros; kubeletAt: Micros }[];
  nonMigratable: { vm: string; reason: 'pci' | 'nodeSelector'; node: string }[];
  startedByHand: string[];
  leftover: { node: string; vm: string } | null;
  prometheusOoms: Micros[];
  testPodOom: { pod: string; node: string; at: Micros } | null;
  drainBlocked: { node: string; from: Micros; to: Micros | null; im: string; engine: string } | null;
  slowVolume: { volume: string; vm: string; from: Micros; to: Micros | null } | null;
  gracefulStop: { vm: string; at: Micros } | null;
  maintenance: { node: string; at: Micros } | null;
  gaps: string[];
}

const emptyFacts = (): ScenarioFacts => ({
  killed: [], outOfBand: [], nonMigratable: [], startedByHand: [], leftover: null, prometheusOoms: [], testPodOom: null,
  drainBlocked: null, slowVolume: null, gracefulStop: null, maintenance: null, gaps: [],
});

function systemVolumes(seed: string): Played['systemVolumes'] {
  const r = Rng.derive(seed, 'system-volumes');
  return [
    { name: `pvc-${r.uuid()}`, pvc: 'prometheus-rancher-monitoring-prometheus-db-prometheus-rancher-monitoring-prometheus-0', namespace: 'cattle-monitoring-system', sizeGi: 50 },
    { name: `pvc-${r.uuid()}`, pvc: 'alertmanager-rancher-monitoring-alertmanager-db-alertmanager-rancher-monitoring-alertmanager-0', namespace: 'cattle-monitoring-system', sizeGi: 5 },
    { name: `pvc-${r.uuid()}`, pvc: 'rancher-monitoring-grafana', namespace: 'cattle-monitoring-system', sizeGi: 2 },
  ];
}

/** Regular VMs spread 4:4:3 over the nodes; the non-migratable ones on their own node. */
const spread = (def: VmDef, i: number): string => def.special?.node ?? NODES[[0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2][i % 11]].name;

function setup(seed: string, collectedAt: Micros, vms: VmDef[], skewed: boolean, scale: number): { w: World; boot: Bootstrap } {
  const w = new World(seed, NODES, collectedAt, RELEASE_FROM);
  if (skewed) w.node('harvester-02').skew = 4 * S;
  const bootAt = { 'harvester-01': T('06:12:40').valueOf() - 18 * 24 * 3600 * S, 'harvester-02': T('06:31:05') - 18 * 24 * 3600 * S, 'harvester-03': T('06:49:52') - 18 * 24 * 3600 * S };
  const boot = bootstrapCluster(w, RELEASE_FROM, bootAt, vms, { vmNode: spread, vmStartedAt: bootAt['harvester-03'] + 40 * MIN }, kernelBoot, scale);
  w.prefer('prometheus-rancher-monitoring-prometheus', ['harvester-03', 'harvester-01']);
  return { w, boot };
}

/**
 * Phases 0–4, identical in every scenario: created 08:02:11, system services upgraded 09:31:45.
 * `manifestsNode` runs the apply-manifests job pod (it survives in the bundle only if that node is not drained).
 */
function prelude(story: UpgradeStory, manifestsNode = 'harvester-01'): void {
  story.versionAdded(T('07:40:02'));
  story.create(T('08:02:11'));
  story.logReady(T('08:02:58'));
  story.imageReady(T('08:09:41'));
  story.repoReady(T('08:13:37'));
  story.prepareNode('harvester-01', T('08:13:50'), T('08:25:10'));
  story.prepareNode('harvester-02', T('08:25:14'), T('08:36:41'));
  story.prepareNode('harvester-03', T('08:36:45'), T('08:48:05'));
  story.nodesPrepared(T('08:48:06'));
  const marks: ManifestMarks = {
    skipRestartDone: T('08:50:41'),
    rancherUpgraded: T('09:01:30'),
    harvesterStart: T('09:03:20'),
    harvesterReady: T('09:11:05'),
    kubevirtReady: T('09:14:50'),
    longhornReady: T('09:24:30'),
    monitoringReady: T('09:27:40'),
  };
  story.applyManifests(manifestsNode, T('08:48:10'), T('09:31:44'), marks);
  story.rolloutComponents(marks);
  story.startNodePhase(T('09:31:46'));
}

/** Migrations are spaced so a node empties in the same time at any scale (more VMs migrate in parallel). */
const migrateStep = (story: UpgradeStory): Micros => Math.max(Math.floor((16 * S) / story.boot.scale), 20_000);

const allVolumes = (w: World, extra: Played['systemVolumes']): string[] => [...[...w.vms.values()].map((v) => v.def.volume), ...extra.map((x) => x.name)];

/** A node upgraded the right way: pre-drain, drain (PDB clears in seconds), plan, post-drain, reboot. */
function properNode(story: UpgradeStory, node: string, start: Micros, volumes: string[]): Micros {
  const preEnd = story.preDrain(node, start, { migrateStep: migrateStep(story) });
  const drainStart = preEnd + 9 * S;
  const drainEnd = story.drain(node, drainStart, { blockedUntil: drainStart + 8 * S });
  story.replicasDown(drainEnd - 3 * S, drainEnd + 16 * MIN, volumes);
  const planEnd = story.applyPlan(node, drainEnd + 6 * S);
  return story.postDrain(node, planEnd + 20 * S).succeededAt;
}

function playIncident(scale = 1): Played {
  const name: ScenarioName = 'upgrade-v1.4.2-to-v1.5.0-incident';
  const seed = `${name}@${scale}`;
  const bundleCreatedAt = T('13:05:12');
  const vmsDef = buildVms(fleetScale(scale), true);
  const { w, boot } = setup(seed, bundleCreatedAt + 28 * S, vmsDef, true, fleetScale(scale));
  const facts = emptyFacts();
  const sysVols = systemVolumes(seed);
  const story = new UpgradeStory(boot, 'hvst-upgrade-mzr6k', RELEASE_FROM, RELEASE_TO);
  const vm = (n: string): VmState => w.vm(n);

  // Days before: a maintenance window on harvester-02 that was never disabled in Harvester.
  leftoverMaintenance(w, 'harvester-02', vm('db-03'));
  facts.leftover = { node: 'harvester-02', vm: 'db-03' };
  const oomPod = stressTestOom(w, 'harvester-02', T('03:04:18'), T('03:12:44'), RELEASE_FROM);
  facts.testPodOom = { pod: `default/${oomPod.name}`, node: 'harvester-02', at: T('03:12:44') };

  // The upgrade webhook refused the first attempt (non-migratable VMs); the operator stopped them.
  const special = [...w.vms.values()].filter((v) => v.def.special);
  haltVms(w, special, T('07:53:10'), 52 * S);
  for (const v of special) facts.nonMigratable.push({ vm: v.def.name, reason: v.def.special!.kind === 'pci' ? 'pci' : 'nodeSelector', node: v.def.special!.node });

  prelude(story);

  // Node phase: harvester-01 and -02 install the new RKE2 on their own, without a pre-drain.
  for (const [node, at, restartAt] of [['harvester-01', T('09:34:52'), T('09:36:30')], ['harvester-02', T('09:36:31'), T('09:38:40')]] as const) {
    const { killed, kubeletAt } = story.outOfBandRke2(node, at, 20 * S);
    facts.outOfBand.push({ node, rke2StopAt: story.rec.rke2UpgradedAt[node], kubeletAt });
    for (const k of killed) facts.killed.push({ vm: k.def.name, node, at: w.vms.get(k.def.name)!.runs.at(-1)!.end! });
    if (node === 'harvester-01') for (const spec of rke2ChartWorkloads(RELEASE_TO)) w.rollout(spec, kubeletAt + 40 * S);
    story.restartKilled(killed, restartAt, Math.max(Math.floor((6 * S) / fleetScale(scale)), 20_000));
  }

  // harvester-03 the right way — but its drain hangs on the instance-manager PDB for 75 minutes.
  const preEnd = story.preDrain('harvester-03', T('09:43:10'), { migrateStep: migrateStep(story) });
  const stuck = w.migrations.find((m) => m.source === 'harvester-03' && m.start >= T('09:43:10'))!;
  const stuckVm = vm(stuck.vm);
  const engine = `${stuckVm.def.volume}-e-0`;
  const drainStart = preEnd + 9 * S;
  const imDelete = T('11:07:12');
  const drainEnd = story.drain('harvester-03', drainStart, { blockedUntil: imDelete + 28 * S, engine, manualImDelete: imDelete });
  const im03 = w.livePods(drainStart, (p) => p.kind === 'instance-manager' && p.node === 'harvester-03')[0].name;
  facts.drainBlocked = { node: 'harvester-03', from: drainStart + 3 * S, to: imDelete + 3 * S, im: im03, engine };
  const slowTo = T('11:38:20');
  story.replicasDown(imDelete, T('11:27:00'), allVolumes(w, sysVols), { [stuckVm.def.volume]: slowTo });
  facts.slowVolume = { volume: stuckVm.def.volume, vm: stuckVm.def.name, from: story.rec.degraded.find((d) => d.volume === stuckVm.def.volume)!.from, to: slowTo };
  const plan03 = story.applyPlan('harvester-03', drainEnd + 5 * S);
  const done03 = story.postDrain('harvester-03', plan03 + 20 * S).succeededAt;

  // harvester-01 and -02 get their hooks now, after the fact.
  const done01 = properNode(story, 'harvester-01', done03 + 40 * S, allVolumes(w, sysVols));
  facts.prometheusOoms = [];
  const prom = prometheusOomLoop(w, 5, RELEASE_TO);
  facts.prometheusOoms = prom.containers[0].runs.filter((r) => r.reason === 'OOMKilled').map((r) => r.end! - 200_000);
  const done02 = properNode(story, 'harvester-02', Math.max(done01 + 40 * S, T('12:02:00')), allVolumes(w, sysVols));
  story.finish(done02 + 2 * S, done02 + 2 * MIN + 48 * S);

  // Afterwards: two of the halted VMs started by hand; one VM shut down gracefully.
  startVmsByHand(w, [vm('gpu-ml-01'), vm('license-server-01')], T('12:41:00'), RELEASE_TO);
  facts.startedByHand = ['gpu-ml-01', 'license-server-01'];
  // A VM that was never killed, shut down cleanly by the operator: a look-alike of the kills.
  const web = [...w.vms.values()].find((v) => v.def.name.startsWith('web-') && w.currentRun(v) && v.def.name !== stuckVm.def.name && !facts.killed.some((k) => k.vm === v.def.name))!;
  web.runStrategy = 'Halted';
  web.strategyChangedAt = T('12:52:30');
  vmGracefulStop(w, web, T('12:52:30'), 'halted');
  facts.gracefulStop = { vm: web.def.name, at: T('12:52:30') };

  const handler02 = w.livePods(bundleCreatedAt, (p) => p.workload === 'virt-handler' && p.node === 'harvester-02')[0];
  facts.gaps.push(`logs/harvester-system/${handler02.name}/virt-handler.log.1`);
  return {
    name, w, story, boot, scale, facts,
    bundleName: 'bundle-x7p2k',
    bundleCreatedAt,
    nodeLogsAt: bundleCreatedAt + 2 * MIN + 6 * S,
    issueDescription: 'VMs powered off during upgrade to v1.5.0, prometheus OOM',
    generationErrors: [
      ...benignGenerationErrors(),
      `BUG: Support bundle: cannot get log for pod ${handler02.name} container virt-handler: previous terminated container "virt-handler" in pod "${handler02.name}" not found`,
    ],
    missingPrevious: new Set([`harvester-system/${handler02.name}`]),
    systemVolumes: sysVols,
    alerts: [
      watchdog(T('12:22:17')),
      { name: 'NodeClockSkewDetected', severity: 'warning', state: 'firing', activeAt: T('12:26:48'), labels: { container: 'node-exporter', instance: '10.10.20.12:9796', job: 'node-exporter', namespace: 'cattle-monitoring-system', pod: 'rancher-monitoring-prometheus-node-exporter' }, summary: 'Clock skew detected.', value: '4.00212e+00' },
    ],
    settings: baseSettings({ 'upgrade-checker-enabled': 'false' }),
  };
}

function playClean(scale = 1): Played {
  const name: ScenarioName = 'upgrade-v1.4.2-to-v1.5.0-clean';
  const seed = `${name}@${scale}`;
  const bundleCreatedAt = T('11:48:31');
  const { w, boot } = setup(seed, bundleCreatedAt + 25 * S, buildVms(fleetScale(scale), false), false, fleetScale(scale));
  const facts = emptyFacts();
  const sysVols = systemVolumes(seed);
  const story = new UpgradeStory(boot, 'hvst-upgrade-b4n9t', RELEASE_FROM, RELEASE_TO);
  // Keeps the Harvester controller off harvester-01, so its log still holds the maintenance of that node.
  w.prefer('harvester', ['harvester-03', 'harvester-02']);
  prelude(story);
  let t = T('09:33:05');
  for (const node of ['harvester-01', 'harvester-02', 'harvester-03']) {
    if (node === 'harvester-01') for (const spec of rke2ChartWorkloads(RELEASE_TO)) w.rollout(spec, t + 12 * MIN);
    const done = properNode(story, node, t, allVolumes(w, sysVols));
    t = done + 40 * S;
  }
  story.finish(t, t + 2 * MIN + 31 * S);
  maintenance(w, 'harvester-01', T('11:05:00'), RELEASE_TO);
  facts.maintenance = { node: 'harvester-01', at: T('11:05:00') };
  const web = w.vm('web-07');
  web.runStrategy = 'Halted';
  web.strategyChangedAt = T('11:32:00');
  vmGracefulStop(w, web, T('11:32:00'), 'halted');
  facts.gracefulStop = { vm: 'web-07', at: T('11:32:00') };
  return {
    name, w, story, boot, scale, facts,
    bundleName: 'bundle-q4r8s',
    bundleCreatedAt,
    nodeLogsAt: bundleCreatedAt + 1 * MIN + 52 * S,
    issueDescription: 'post-upgrade health check',
    generationErrors: benignGenerationErrors(),
    missingPrevious: new Set(),
    systemVolumes: sysVols,
    alerts: [watchdog(T('11:28:09'))],
    settings: baseSettings({ 'upgrade-checker-enabled': 'true' }),
  };
}

function playStalled(scale = 1): Played {
  const name: ScenarioName = 'upgrade-stalled-pre-drained';
  const seed = `${name}@${scale}`;
  const bundleCreatedAt = T('13:12:47');
  const { w, boot } = setup(seed, bundleCreatedAt + 31 * S, buildVms(fleetScale(scale), false), false, fleetScale(scale));
  const facts = emptyFacts();
  const sysVols = systemVolumes(seed);
  const story = new UpgradeStory(boot, 'hvst-upgrade-q8wfd', RELEASE_FROM, RELEASE_TO);
  const oomPod = stressTestOom(w, 'harvester-03', T('02:41:09'), T('02:47:33'), RELEASE_FROM);
  facts.testPodOom = { pod: `default/${oomPod.name}`, node: 'harvester-03', at: T('02:47:33') };
  prelude(story, 'harvester-03');
  for (const spec of rke2ChartWorkloads(RELEASE_TO)) w.rollout(spec, T('09:45:00'));
  const done01 = properNode(story, 'harvester-01', T('09:33:05'), allVolumes(w, sysVols));
  // harvester-02: a volume degrades during its pre-drain migrations and its engine stays on the node.
  const preStart = done01 + 40 * S;
  const preEnd = story.preDrain('harvester-02', preStart, { migrateStep: migrateStep(story) });
  const bad = w.migrations.filter((m) => m.source === 'harvester-02' && m.start >= preStart)[3];
  const badVm = w.vm(bad.vm);
  const engine = `${badVm.def.volume}-e-0`;
  story.degrade(badVm.def.volume, bad.end + 41 * S, null);
  facts.slowVolume = { volume: badVm.def.volume, vm: badVm.def.name, from: bad.end + 41 * S, to: null };
  const drainStart = preEnd + 9 * S;
  story.drain('harvester-02', drainStart, { blockedUntil: w.collectedAt, engine, stillBlocked: true });
  const im02 = w.livePods(drainStart, (p) => p.kind === 'instance-manager' && p.node === 'harvester-02')[0].name;
  facts.drainBlocked = { node: 'harvester-02', from: drainStart + 3 * S, to: null, im: im02, engine };
  return {
    name, w, story, boot, scale, facts,
    bundleName: 'bundle-m2v9c',
    bundleCreatedAt,
    nodeLogsAt: bundleCreatedAt + 1 * MIN + 58 * S,
    issueDescription: 'upgrade stuck at Pre-drained on harvester-02',
    generationErrors: benignGenerationErrors(),
    missingPrevious: new Set(),
    systemVolumes: sysVols,
    alerts: [
      watchdog(T('10:14:02')),
      { name: 'LonghornVolumeStatusWarning', severity: 'warning', state: 'firing', activeAt: bad.end + 2 * MIN, labels: { issue: `Longhorn volume ${badVm.def.volume} is Degraded.`, namespace: 'longhorn-system', node: 'harvester-02', pvc: badVm.def.pvc, pvc_namespace: 'default', volume: badVm.def.volume }, summary: `Longhorn volume ${badVm.def.volume} is Degraded`, value: '2e+00' },
    ],
    settings: baseSettings({ 'upgrade-checker-enabled': 'true' }),
  };
}

function watchdog(activeAt: Micros): Played['alerts'][number] {
  return { name: 'Watchdog', severity: 'none', state: 'firing', activeAt, labels: {}, summary: 'An alert that should always be firing to certify that Alertmanager is working properly.', value: '1e+00' };
}

/** Discovery errors every bundle has: create-only and sub-resources answer GET with an error (bundle-layout §4). */
function benignGenerationErrors(): string[] {
  return [
    'Failed to get /api/v1/namespaces/default/bindings: the server does not allow this method on the requested resource',
    'Failed to get /api/v1/namespaces/kube-system/bindings: the server does not allow this method on the requested resource',
    'Failed to get /apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews: the server does not allow this method on the requested resource',
  ];
}

function baseSettings(extra: Record<string, string>): Record<string, string> {
  return {
    'server-version': 'v1.5.0',
    'release-download-url': 'https://releases.rancher.com/harvester',
    'upgrade-config': '{"imagePreloadOption":{"strategy":{"type":"sequential"}},"restoreVM":false}',
    'support-bundle-image': '{"repository":"rancher/support-bundle-kit","tag":"v0.0.46","imagePullPolicy":"IfNotPresent"}',
    'support-bundle-namespaces': '',
    'log-level': 'info',
    'vm-force-reset-policy': '{"enable":true,"period":15}',
    'default-vm-termination-grace-period-seconds': '120',
    'auto-disk-provision-paths': '',
    'overcommit-config': '{"cpu":1600,"memory":150,"storage":200}',
    ...extra,
  };
}

export function play(name: ScenarioName, scale = 1): Played {
  const played =
    name === 'upgrade-v1.4.2-to-v1.5.0-incident' || name === 'upgrade-v1.4.2-to-v1.5.0-incident-upgradelog'
      ? playIncident(scale)
      : name === 'upgrade-v1.4.2-to-v1.5.0-clean'
        ? playClean(scale)
        : playStalled(scale);
  played.w.prune(played.bundleCreatedAt, upgradeLogCollects);
  return played;
}

export type { ReleaseInfo };
