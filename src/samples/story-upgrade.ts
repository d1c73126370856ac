/**
 * The Harvester upgrade played on a World: Upgrade CR phases, the apply-manifests job, the node phase
 * (pre-drain job → Rancher drain → RKE2 plan → post-drain job → reboot) and the out-of-band RKE2 install
 * that skips it. Messages are the ones of upgrade-mechanics.md §2–§8 and real-log-samples.md.
 */
import type { ReleaseInfo } from './cluster.js';
import { images, nodeDef, NODES } from './cluster.js';
import { cattleWorkloads, harvesterWorkloads, instanceManagerSpec, longhornWorkloads, monitoringWorkloads, staticWorkloads } from './catalog.js';
import { kernelBoot, kernelShutdown } from './kernel-lines.js';
import type { Micros } from './line-formats.js';
import { journalLine, logrusCallerLine, logrusLine, rancherLine } from './line-formats.js';
import { Rng } from './prng.js';
import type { Bootstrap } from './story-common.js';
import { bootNode, imName, jlog, MIN, nodeEvent, podsOf, S, startRke2, stopRke2 } from './story-common.js';
import { vmKilledByKubelet, vmMigrateLines, vmStartLines } from './vm-lines.js';
import type { Pod, VmState, World, WorkloadSpec } from './world.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  at: Micros | null;
  reason?: string;
  message?: string;
}

export interface DegradedWindow {
  volume: string;
  from: Micros;
  to: Micros | null;
}

export interface UpgradeRec {
  name: string;
  uid: string;
  createdAt: Micros;
  from: ReleaseInfo;
  to: ReleaseInfo;
  conditions: Condition[];
  state: string;
  stateAt: Micros;
  nodeStatuses: Record<string, { state: string; at: Micros; reason?: string; message?: string }>;
  isoImage: string;
  upgradeLog: string;
  /** When the UpgradeLog stopped recording (upgrade finished) or null while still running. */
  logEnd: Micros | null;
  finishedAt: Micros | null;
  /** Rancher/Harvester drain-hook annotations on each node's machine-plan secret at collection time. */
  planAnnotations: Record<string, Record<string, string>>;
  /** Times the machine-plan of each node was applied (last-apply-time). */
  planAppliedAt: Record<string, Micros>;
  /** First `Stopping Rancher Kubernetes Engine v2 (server)...` for the new RKE2 on each node (true time). */
  rke2UpgradedAt: Record<string, Micros>;
  /** Longhorn volumes that were degraded, and when. */
  degraded: DegradedWindow[];
  versionCreatedAt: Micros;
  manifestsPod: Pod | null;
}

const HARVESTER_NS = 'harvester-system';

/** Events the job controller records for a Job and its pod. */
function jobEvents(w: World, namespace: string, job: string, jobUid: string, pod: Pod, start: Micros, end: Micros | null): void {
  const ev = (reason: string, message: string, at: Micros): void =>
    w.event({ namespace, involved: { kind: 'Job', name: job, namespace, uid: jobUid, apiVersion: 'batch/v1' }, reason, message, type: 'Normal', source: { component: 'job-controller' }, first: at });
  ev('SuccessfulCreate', `Created pod: ${pod.name}`, start);
  if (end !== null) ev('Completed', 'Job completed', end + 1 * S);
}

export class UpgradeStory {
  readonly w: World;
  readonly rec: UpgradeRec;
  private readonly rng: Rng;
  private readonly planChecksums = new Map<string, string>();

  constructor(
    readonly boot: Bootstrap,
    name: string,
    readonly from: ReleaseInfo,
    readonly to: ReleaseInfo,
  ) {
    this.w = boot.w;
    this.rng = Rng.derive(this.w.seed, `upgrade/${name}`);
    this.rec = {
      name,
      uid: this.rng.uuid(),
      createdAt: 0,
      from,
      to,
      conditions: [],
      state: '',
      stateAt: 0,
      nodeStatuses: {},
      isoImage: `harvester-iso-${this.rng.kube(5)}`,
      upgradeLog: `${name}-upgradelog`,
      logEnd: null,
      finishedAt: null,
      planAnnotations: Object.fromEntries(NODES.map((n) => [n.name, {}])),
      planAppliedAt: {},
      rke2UpgradedAt: {},
      degraded: [],
      versionCreatedAt: 0,
      manifestsPod: null,
    };
  }

  // ---------- log helpers ----------

  private harvesterPod(t: Micros): Pod {
    return this.w.workloadPod(HARVESTER_NS, 'harvester', t);
  }

  /** Harvester controller (apiserver container) logrus line. */
  hlog(t: Micros, level: string, msg: string, fields: [string, string][] = []): void {
    this.w.log(this.harvesterPod(t), 'apiserver', t, logrusLine(t, level, msg, fields));
  }

  private labelsText(state: string): string {
    return `map[harvesterhci.io/latestUpgrade:true harvesterhci.io/upgradeState:${state}]`;
  }

  setState(state: string, t: Micros): void {
    this.rec.state = state;
    this.rec.stateAt = t;
    this.hlog(t, 'info', `handle upgrade ${HARVESTER_NS}/${this.rec.name} with labels ${this.labelsText(state)}`);
  }

  condition(type: string, status: Condition['status'], at: Micros | null, reason?: string, message?: string): void {
    const existing = this.rec.conditions.find((c) => c.type === type);
    const c: Condition = { type, status, at, reason, message };
    if (existing) Object.assign(existing, c);
    else this.rec.conditions.push(c);
  }

  nodeState(node: string, state: string, t: Micros, reason?: string, message?: string): void {
    this.rec.nodeStatuses[node] = { state, at: t, reason, message };
  }

  /** The Rancher pod that holds the leader lock at `t`: the oldest live replica. */
  rancherLeader(t: Micros): Pod {
    return podsOf(this.w, 'cattle-system', 'rancher', t).sort((a, b) => a.createdAt - b.createdAt)[0];
  }

  rancher(t: Micros, level: 'INFO' | 'WARNING' | 'ERROR', msg: string): void {
    this.w.log(this.rancherLeader(t), 'rancher', t, rancherLine(t, level, msg));
  }

  /** longhorn-manager of `node` (the owner of that node's instance manager). */
  lhm(node: string, t: Micros, level: string, msg: string, func: string, file: string, fields: [string, string][]): void {
    const pod = this.w.nodePod('longhorn-system', 'longhorn-manager', node, t);
    this.w.log(pod, 'longhorn-manager', t, logrusCallerLine(t, level, msg, func, file, fields));
  }

  private planChecksum(node: string, version: string): string {
    const key = `${node}/${version}`;
    if (!this.planChecksums.has(key)) this.planChecksums.set(key, Rng.derive(this.w.seed, `plan/${key}`).hex(64));
    return this.planChecksums.get(key)!;
  }

  // ---------- phases 0–3 ----------

  /** The `Version` object the operator added by hand (no auto labels), minutes before the upgrade. */
  versionAdded(t: Micros): void {
    this.rec.versionCreatedAt = t;
  }

  create(t: Micros): void {
    this.rec.createdAt = t;
    this.rec.state = 'PreparingLoggingInfra';
    this.hlog(t + 300_000, 'info', `Initialize upgrade ${HARVESTER_NS}/${this.rec.name}`);
    this.hlog(t + 700_000, 'info', 'Enabling upgrade observability');
    this.setState('PreparingLoggingInfra', t + 800_000);
    this.condition('Completed', 'Unknown', null);
    this.condition('LogReady', 'Unknown', null);
  }

  logReady(t: Micros): void {
    this.condition('LogReady', 'True', t);
    this.setState('LoggingInfraPrepared', t + 200_000);
    this.hlog(t + 1.2 * S, 'info', 'Creating upgrade repo image');
    this.condition('ImageReady', 'Unknown', null);
  }

  imageReady(t: Micros): void {
    this.condition('ImageReady', 'True', t);
    this.setState('PreparingRepo', t + 300_000);
    this.hlog(t + 1 * S, 'info', 'Starting upgrade repo VM');
    this.condition('RepoReady', 'Unknown', null);
  }

  repoReady(t: Micros): void {
    this.condition('RepoReady', 'True', t);
    this.setState('RepoPrepared', t + 200_000);
    this.setState('PreparingNodes', t + 900_000);
    this.hlog(t + 1 * S, 'info', 'start preparing nodes for upgrade', [['namespace', HARVESTER_NS], ['name', this.rec.name], ['upgrade_config', '{"imagePreloadOption":{"strategy":{"type":"sequential"}},"restoreVM":false}']]);
    this.condition('NodesPrepared', 'Unknown', null);
    for (const n of NODES) this.nodeState(n.name, 'Images preloading', t + 1 * S);
  }

  /** `<upgrade>-prepare` SUC plan: one job per node, sequential (preload strategy `sequential`). */
  prepareNode(node: string, start: Micros, end: Micros): void {
    const plan = `${this.rec.name}-prepare`;
    const hash = Rng.derive(this.w.seed, plan).hex(10);
    const spec: WorkloadSpec = { namespace: 'cattle-system', name: `apply-${plan}-on-${node}-with-${hash}`, kind: 'job', containers: [{ name: 'upgrade', image: images(this.from).harvesterUpgrade, profile: 'none' }], labels: { 'upgrade.cattle.io/plan': plan, 'upgrade.cattle.io/node': node } };
    const pod = this.w.startPod(spec, node, start);
    const s0 = pod.containers[0].runs[0].start;
    const lines = [
      '+ HOST_DIR=/host',
      '+ UPGRADE_TMP_DIR=/host/usr/local/upgrade_tmp',
      `+ source /usr/local/bin/lib.sh`,
      '+ mkdir -p /host/usr/local/upgrade_tmp',
      `+ case $1 in`,
      '+ command_prepare',
      '+ wait_repo',
      `++ kubectl get virtualmachineimages.harvesterhci.io ${this.rec.isoImage} -n ${HARVESTER_NS} -o 'jsonpath={.status.progress}'`,
      '+ detect_repo',
      `++ curl -sfL http://upgrade-repo-${this.rec.name}.${HARVESTER_NS}/harvester-iso/harvester-release.yaml`,
      '+ preload_images',
    ];
    lines.forEach((l, i) => this.w.log(pod, 'upgrade', s0 + i * 150_000, l));
    const span = end - s0 - 10 * S;
    const archives = ['harvester', 'rke2', 'rancher', 'monitoring', 'logging', 'harvester-extra'];
    archives.forEach((a, i) => {
      const at = s0 + 3 * S + Math.floor((span * i) / archives.length);
      this.w.log(pod, 'upgrade', at, `+ ctr -n k8s.io image import /host/usr/local/upgrade_tmp/images/${a}-images-v1.5.0.tar.zst`);
      this.w.log(pod, 'upgrade', at + 2 * S, `unpacking docker.io/rancher/${a === 'rke2' ? 'hardened-kubernetes' : a}:${a === 'rke2' ? this.to.kubernetes.replace('+', '-') + '-build20250312' : 'v1.5.0'} (sha256:${Rng.derive('img', a).hex(64)})...done`);
    });
    this.w.log(pod, 'upgrade', end - 2 * S, '+ rm -rf /host/usr/local/upgrade_tmp/images');
    this.w.finishPod(pod, end);
    // SUC jobs finish with ttlSecondsAfterFinished: 900.
    this.w.deletePod(pod, end + 900 * S);
    this.w.job({ namespace: 'cattle-system', name: spec.name, labels: spec.labels!, node, start, end, pod, command: ['upgrade_node.sh', 'prepare'], image: spec.containers[0].image });
    this.nodeState(node, 'Images preloaded', end + 2 * S);
  }

  nodesPrepared(t: Micros): void {
    this.condition('NodesPrepared', 'True', t);
  }

  // ---------- phase 4: apply-manifests ----------

  applyManifests(node: string, start: Micros, end: Micros, marks: ManifestMarks): void {
    this.setState('UpgradingSystemServices', start);
    this.condition('SystemServicesUpgraded', 'Unknown', null);
    const name = `${this.rec.name}-apply-manifests`;
    const spec: WorkloadSpec = { namespace: HARVESTER_NS, name, kind: 'job', containers: [{ name: 'apply', image: images(this.to).harvesterUpgrade, profile: 'none' }], labels: { 'harvesterhci.io/upgrade': this.rec.name, 'harvesterhci.io/upgradeComponent': 'manifest' } };
    const pod = this.w.startPod(spec, node, start);
    this.rec.manifestsPod = pod;
    const job = this.w.job({ namespace: HARVESTER_NS, name, labels: spec.labels!, node, start, end, pod, command: ['upgrade_manifests.sh'], image: spec.containers[0].image });
    jobEvents(this.w, HARVESTER_NS, name, job.uid, pod, start, end);
    const t0 = pod.containers[0].runs[0].start;
    const out = (t: Micros, text: string): void => this.w.log(pod, 'apply', t, text);
    const to = this.to;
    const release = [
      `harvester: ${to.harvester}`, `harvesterChart: ${to.harvesterChart}`, `installer: ${to.installer}`, `os: ${to.os}`,
      `kubernetes: ${to.kubernetes}`, `rancher: ${to.rancher}`, `monitoringChart: ${to.monitoringChart}`, `loggingChart: ${to.loggingChart}`,
      `kubevirt: ${to.kubevirt}`, `minUpgradableVersion: '${to.minUpgradableVersion}'`, 'rancherDependencies:',
      '  fleet:', `    chart: ${to.fleet.chart}`, `    app: ${to.fleet.app}`,
      '  fleet-crd:', `    chart: ${to.fleetCrd.chart}`, `    app: ${to.fleetCrd.app}`,
      '  rancher-webhook:', `    chart: ${to.rancherWebhook.chart}`, `    app: ${to.rancherWebhook.app}`,
    ];
    out(t0, 'Happy Containering!');
    release.forEach((l, i) => out(t0 + 300_000 + i * 200, l));
    const repo = `http://upgrade-repo-${this.rec.name}.${HARVESTER_NS}/harvester-iso`;
    out(t0 + 400_000, `Downloading the file from "${repo}/harvester-release.yaml" to "/tmp/tmp.${this.rng.kube(10)}.yaml"...`);
    out(t0 + 900_000, `Downloading the file from "${repo}/bundle/metadata.yaml" to "/tmp/tmp.${this.rng.kube(10)}.yaml"...`);
    out(t0 + 1.3 * S, `Current version: ${this.from.harvester.slice(1)}`);
    out(t0 + 1.3 * S + 100, `Minimum upgradable version: ${to.minUpgradableVersion.slice(1)}`);
    out(t0 + 1.3 * S + 200, 'Current version is supported.');
    out(t0 + 1.6 * S, `Executing ${this.from.harvester} pre-hook...`);
    let t = t0 + 3 * S;
    for (const mc of ['harvester', 'harvester-crd', 'rancher-monitoring-crd', 'rancher-logging-crd']) out((t += 700_000), `managedchart.management.cattle.io/${mc} patched`);
    const plan = `${this.rec.name}-skip-restart-rancher-system-agent`;
    out((t += 1 * S), `Creating plan ${plan} to make rancher-system-agent temporarily skip restarting RKE2 server...`);
    out((t += 400_000), `plan.upgrade.cattle.io/${plan} created`);
    for (; t < marks.skipRestartDone; t += 5 * S) out(t, `Waiting for plan ${plan} to complete...`);
    out(marks.skipRestartDone, `Plan ${plan} completes.`);
    out(marks.skipRestartDone + 200_000, `Deleting plan ${plan}...`);
    out(marks.skipRestartDone + 900_000, `plan.upgrade.cattle.io "${plan}" deleted`);
    t = marks.skipRestartDone + 2 * S;
    out(t, 'Upgrading Rancher');
    out(t + 9 * S, 'Release "rancher" has been upgraded. Happy Helming!');
    out(t + 9 * S + 100, 'NAME: rancher');
    out(t + 9 * S + 200, `LAST DEPLOYED: ${new Date((t + 9 * S) / 1000).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 $4')}`);
    out(t + 9 * S + 300, 'NAMESPACE: cattle-system');
    out(t + 9 * S + 400, 'STATUS: deployed');
    out(t + 9 * S + 500, 'REVISION: 5');
    out(t + 9 * S + 600, 'TEST SUITE: None');
    for (t += 12 * S; t < marks.rancherUpgraded; t += 5 * S) out(t, 'Wait for Rancher to be upgraded...');
    out(marks.rancherUpgraded, 'Wait for Rancher dependencies helm releases...');
    t = marks.rancherUpgraded + 4 * S;
    out(t, `wait helm release cattle-fleet-system fleet fleet-${to.fleet.chart} ${to.fleet.app} deployed`);
    out(t + 5 * S, `wait helm release cattle-fleet-system fleet-crd fleet-crd-${to.fleetCrd.chart} ${to.fleetCrd.app} deployed`);
    out(t + 9 * S, `wait helm release cattle-system rancher-webhook rancher-webhook-${to.rancherWebhook.chart} ${to.rancherWebhook.app} deployed`);
    out(t + 12 * S, 'Wait for Rancher dependencies rollout...');
    out(t + 12 * S + 100, 'wait rollout -n cattle-fleet-system deployment fleet-controller');
    out(t + 31 * S, 'deployment "fleet-controller" successfully rolled out');
    out(t + 31 * S + 100, 'wait rollout -n cattle-system deployment rancher-webhook');
    out(t + 33 * S, 'deployment "rancher-webhook" successfully rolled out');
    out(t + 33 * S + 100, 'wait rollout -n cattle-fleet-local-system statefulset fleet-agent');
    out(t + 58 * S, 'partitioned roll out complete: 1 new pods have been updated...');
    out(t + 58 * S + 100, 'Wait for cluster settling down...');
    out(t + 80 * S, 'CAPI cluster fleet-local/local is provisioned (current generation: 23).');
    out(t + 81 * S, 'patch cluster.fleet local to new generation 1');
    out(t + 81 * S + 300_000, 'cluster.fleet.cattle.io/local patched');
    t = marks.harvesterStart;
    out(t, 'Upgrading Harvester');
    out(t + 1 * S, 'patch longhorn nodeDrainPolicy to allow-if-replica-is-stopped');
    out(t + 1 * S + 300_000, 'setting.longhorn.io/node-drain-policy patched');
    out(t + 1.5 * S, 'patch longhorn detachManuallyAttachedVolumesWhenCordoned to true');
    out(t + 1.5 * S + 300_000, 'setting.longhorn.io/detach-manually-attached-volumes-when-cordoned patched');
    out(t + 2 * S, 'managedchart.management.cattle.io/harvester-crd patched');
    out(t + 2.4 * S, 'managedchart.management.cattle.io/harvester patched');
    for (t += 5 * S; t < marks.harvesterReady; t += 10 * S) {
      out(t, 'Waiting for ManagedChart fleet-local/harvester from generation 12');
      out(t + 500_000, `Current version: ${this.from.harvesterChart}, Current state: WaitApplied, Current generation: 13`);
    }
    out(marks.harvesterReady, `Current version: ${to.harvesterChart}, Current state: Ready, Current generation: 13`);
    for (t = marks.harvesterReady + 2 * S; t < marks.kubevirtReady; t += 10 * S) out(t, `Waiting for KubeVirt to upgraded to ${to.kubevirt}...`);
    out(marks.kubevirtReady + 1 * S, 'Waiting for LH settling down...');
    t = marks.kubevirtReady + 20 * S;
    let upgraded = 0;
    for (; t < marks.longhornReady - 60 * S; t += 15 * S) {
      upgraded = Math.min(2, Math.floor(((t - marks.kubevirtReady) / (marks.longhornReady - marks.kubevirtReady)) * 3));
      out(t, `Waiting for longhorn-manager to be upgraded (${upgraded}/3)...`);
    }
    const imImage = images(to).longhornInstanceManager;
    NODES.forEach((n, i) => {
      const at = marks.longhornReady - 55 * S + i * 15 * S;
      out(at, `Checking instance-manager (aio) pod on node ${n.name}...`);
      if (i === 0) out(at + 300_000, `instance-manager (aio)(v1) (image=${imImage}) count is not 1 on node ${n.name}, will retry...`);
      out(at + 5 * S, `Checking instance-manager (aio)(v1) (image=${imImage}) on node ${n.name} OK.`);
    });
    t = marks.longhornReady + 2 * S;
    out(t, 'managedchart.management.cattle.io/rancher-monitoring-crd patched');
    out(t + 1 * S, 'managedchart.management.cattle.io/rancher-monitoring patched');
    out(t + 2 * S, 'managedchart.management.cattle.io/rancher-logging-crd patched');
    out(t + 3 * S, 'managedchart.management.cattle.io/rancher-logging patched');
    for (t = marks.monitoringReady; t < end - 5 * S; t += 30 * S) out(t, new Date(t / 1000).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 UTC $4'));
    this.w.finishPod(pod, end);
    this.condition('SystemServicesUpgraded', 'True', end + 1 * S);
  }

  /** What the Harvester and component charts replace while apply-manifests runs. */
  rolloutComponents(marks: ManifestMarks): void {
    const w = this.w;
    const roll = (spec: WorkloadSpec, t: Micros): Pod[] => w.rollout(spec, t);
    for (const spec of cattleWorkloads(this.to)) if (['rancher', 'rancher-webhook', 'fleet-controller', 'gitjob', 'fleet-agent', 'capi-controller-manager'].includes(spec.name)) roll(spec, spec.name === 'rancher' ? marks.skipRestartDone + 12 * S : marks.rancherUpgraded + 10 * S);
    for (const spec of harvesterWorkloads(this.to)) {
      const at = spec.name.startsWith('virt-') ? marks.harvesterReady + 20 * S : marks.harvesterStart + 40 * S;
      roll(spec, at);
    }
    // The new apiserver pod logs the rest of the upgrade.
    for (const spec of longhornWorkloads(this.to)) {
      if (spec.name.startsWith('engine-image-ei-')) {
        w.register(spec);
        for (const n of NODES) w.startPod(spec, n.name, marks.kubevirtReady + 60 * S);
        for (const old of w.livePods(marks.kubevirtReady, (p) => p.namespace === 'longhorn-system' && p.workload.startsWith('engine-image-ei-') && p.workload !== spec.name)) w.deletePod(old, marks.longhornReady + 30 * S);
        continue;
      }
      roll(spec, marks.kubevirtReady + 30 * S);
    }
    // Longhorn 1.8 starts a new aio instance manager per node for the new engine image; the old one goes when idle.
    NODES.forEach((n, i) => {
      const spec = instanceManagerSpec(this.to, imName(n.name, this.to));
      w.register(spec);
      w.startPod(spec, n.name, marks.longhornReady - 80 * S + i * 15 * S);
      const old = w.livePods(marks.longhornReady, (p) => p.workload === imName(n.name, this.from))[0];
      if (old) w.deletePod(old, marks.longhornReady + 5 * MIN);
    });
    for (const spec of monitoringWorkloads(this.to)) roll(spec, marks.longhornReady + 20 * S);
  }

  // ---------- phase 5: nodes ----------

  startNodePhase(t: Micros): void {
    this.hlog(t, 'info', `handle upgrade ${HARVESTER_NS}/${this.rec.name} with labels ${this.labelsText('UpgradingSystemServices')}`);
    this.hlog(t + 200_000, 'info', `Start upgrading Kubernetes runtime to ${this.to.kubernetes}`);
    this.setState('UpgradingNodes', t + 400_000);
    this.condition('NodesUpgraded', 'Unknown', null);
    this.rancher(t + 2 * S, 'INFO', `[planner] rkecluster fleet-local/local: configuring bootstrap node(s) ${nodeDef(NODES[0].name).machine}: waiting for plan to be applied`);
  }

  /** rancher-system-agent applying the RKE2 installer plan: the new RKE2 is unpacked and rke2-server restarted. */
  private installerRun(node: string, t: Micros, firstStart: boolean): Micros {
    const w = this.w;
    const skew = w.node(node).skew;
    const pid = w.proc(node, 'agent', t).pid;
    const checksum = this.planChecksum(node, this.to.kubernetes);
    const dir = `/var/lib/rancher/agent/work/${workStamp(t)}/${checksum}_0`;
    const image = images(this.to).systemAgentInstallerRke2;
    const a = (dt: number, msg: string, level = 'info'): void => jlog(w, node, 'rancher-system-agent', 'rancher-system-agent', pid, t + dt, logrusLine(t + dt + skew, level, msg));
    if (firstStart) a(0, 'Detected first start, force-applying one-time instruction set');
    a(200_000, `[Applyinator] Applying one-time instructions for plan with checksum ${checksum}`);
    a(300_000, `[Applyinator] Extracting image ${image} to directory ${dir}`);
    a(400_000, 'Using private registry config file at /etc/rancher/agent/registries.yaml');
    a(500_000, `Pulling image ${image}`);
    for (const [i, f] of ['installer.sh', 'rke2.linux-amd64.tar.gz', 'run.sh', 'sha256sum-amd64.txt'].entries()) a(4 * S + i * 700_000, `Extracting file ${f} to ${dir}/${f}`);
    a(7 * S, '[Applyinator] Running command: sh [-c run.sh]');
    const o = (dt: number, text: string): void => a(dt, `[${checksum}_0:stdout]: ${text}`);
    o(7.4 * S, `[INFO]  using ${this.to.kubernetes} as release`);
    o(7.5 * S, `[INFO]  staging local checksums from ${dir}/sha256sum-amd64.txt`);
    o(7.6 * S, `[INFO]  staging tarball from ${dir}/rke2.linux-amd64.tar.gz`);
    o(8.9 * S, '[INFO]  verifying tarball');
    o(10.2 * S, '[INFO]  unpacking tarball file to /opt/rke2');
    o(14 * S, 'Restarting rke2-server');
    return t + 15 * S;
  }

  private afterInstaller(node: string, t: Micros): void {
    const w = this.w;
    const skew = w.node(node).skew;
    const pid = w.proc(node, 'agent', t).pid;
    jlog(w, node, 'rancher-system-agent', 'rancher-system-agent', pid, t, logrusLine(t + skew, 'info', '[Applyinator] Command sh [-c run.sh] finished with err: <nil> and exit code: 0'));
    jlog(w, node, 'rancher-system-agent', 'rancher-system-agent', pid, t + 300_000, logrusLine(t + 300_000 + skew, 'info', `[K8s] updated plan secret fleet-local/${nodeDef(node).machine}-machine-plan with feedback`));
    this.rec.planAppliedAt[node] = t;
  }

  /** RKE2 restart on `node` with the new version: static pods restart, the kubelet comes back. */
  private rke2Restart(node: string, t: Micros): Micros {
    const w = this.w;
    this.rec.rke2UpgradedAt[node] ??= t;
    const stopped = stopRke2(w, node, t, 6);
    const ready = startRke2(w, node, stopped, this.to, false);
    const kubeletAt = stopped + 3 * S;
    // New static pod manifests: kubelet replaces the control-plane pods.
    for (const spec of staticWorkloads(this.to)) {
      w.register(spec);
      const old = w.livePods(kubeletAt, (p) => p.kind === 'static' && p.workload === spec.name && p.node === node)[0];
      if (old) w.deletePod(old, kubeletAt + 5 * S, { exitCode: 0, reason: 'Completed' });
      w.startPod(spec, node, kubeletAt + 8 * S);
    }
    return ready;
  }

  /**
   * The anomaly of the incident: rancher-system-agent restarts on a node that was never pre-drained, applies
   * its one-time instruction (the RKE2 installer) and restarts rke2-server; the new kubelet kills the VMs.
   */
  outOfBandRke2(node: string, t: Micros, killWindow: Micros): { killed: VmState[]; kubeletAt: Micros } {
    const w = this.w;
    const skew = w.node(node).skew;
    const oldPid = w.proc(node, 'agent', t).pid;
    const sysd = (dt: number, msg: string): void => w.journal(node, 'rancher-system-agent', t + dt, (tt) => journalLine(tt + skew, node, 'systemd', 1, msg));
    jlog(w, node, 'rancher-system-agent', 'rancher-system-agent', oldPid, t, logrusLine(t + skew, 'error', '[K8s] error while watching plan secret: the server has asked for the client to provide credentials'));
    jlog(w, node, 'rancher-system-agent', 'rancher-system-agent', oldPid, t + 100_000, logrusLine(t + 100_000 + skew, 'fatal', 'error while connecting to Kubernetes cluster: the server has asked for the client to provide credentials'));
    sysd(150_000, 'rancher-system-agent.service: Main process exited, code=exited, status=1/FAILURE');
    sysd(151_000, "rancher-system-agent.service: Failed with result 'exit-code'.");
    sysd(5.2 * S, 'rancher-system-agent.service: Scheduled restart job, restart counter is at 1.');
    sysd(5.21 * S, 'Stopped Rancher System Agent.');
    sysd(5.3 * S, 'Started Rancher System Agent.');
    const start = t + 5.3 * S;
    const pid = w.startProc(node, 'agent', start, 'v0.3.12');
    const a = (dt: number, msg: string): void => jlog(w, node, 'rancher-system-agent', 'rancher-system-agent', pid, start + dt, logrusLine(start + dt + skew, 'info', msg));
    a(400_000, 'Rancher System Agent version v0.3.12 (8a1b3f0) is starting');
    a(400_000, 'Using directory /var/lib/rancher/agent/work for work');
    a(400_000, 'Starting remote watch of plans');
    a(1.1 * S, 'Starting /v1, Kind=Secret controller');
    const installerEnd = this.installerRun(node, start + 1.5 * S, true);
    const ready = this.rke2Restart(node, installerEnd);
    const kubeletAt = w.proc(node, 'kubelet', ready).start;
    this.afterInstaller(node, ready + 2 * S);
    // The new kubelet kills every VM on the node within seconds.
    const victims = w.vmsOn(node);
    const killed: VmState[] = [];
    victims.forEach((vm, i) => {
      const at = kubeletAt + 5 * S + Math.floor((killWindow * i) / Math.max(1, victims.length));
      vmKilledByKubelet(w, vm, at);
      killed.push(vm);
    });
    return { killed, kubeletAt };
  }

  /** RerunOnFailure: virt-controller starts a new VMI for each killed VM. */
  restartKilled(vms: readonly VmState[], t: Micros, stepUs: Micros): void {
    const load = this.w.vmLoad();
    vms.forEach((vm, i) => vmStartLines(this.w, vm, t + i * stepUs, this.to, load));
  }

  /**
   * `<upgrade>-pre-drain-<node>` (upgrade_node.sh pre-drain): volumes healthy, live-migrate VMs away
   * (KubeVirt evacuation by the `kubevirt.io/drain` taint), wait until the node has no VMs.
   */
  preDrain(node: string, start: Micros, opts: { migrateStep: Micros }): Micros {
    const w = this.w;
    // wait_longhorn_engines: volumes still degraded from the previous node's reboot hold the job back.
    const degradedNow = this.rec.degraded.filter((d) => d.from <= start && d.to !== null && d.to > start).sort((a, b) => a.to! - b.to!);
    const slowest = degradedNow.at(-1);
    const unhealthyVolume = slowest?.volume;
    const healthyAt = slowest?.to ?? start;
    const pre = this.rec.planAnnotations[node];
    const drainOpts = drainOptionsJson();
    pre['rke.cattle.io/drain-options'] = drainOpts;
    pre['rke.cattle.io/pre-drain'] = drainOpts;
    this.nodeState(node, 'Pre-draining', start + 1 * S);
    const jobName = `${this.rec.name}-pre-drain-${node}`;
    const spec: WorkloadSpec = { namespace: HARVESTER_NS, name: jobName, kind: 'job', containers: [{ name: 'apply', image: images(this.to).harvesterUpgrade, profile: 'none' }], labels: { 'harvesterhci.io/upgrade': this.rec.name, 'harvesterhci.io/upgradeComponent': 'node', 'harvesterhci.io/node': node, 'harvesterhci.io/upgradeJobType': 'pre-drain' } };
    const pod = w.startPod(spec, node, start);
    const s0 = pod.containers[0].runs[0].start;
    const out = (t: Micros, text: string): void => w.log(pod, 'apply', t, text);
    let t = s0;
    for (const l of ['+ case $1 in', '+ command_pre_drain', '+ recover_rancher_system_agent', '+ chroot /host rm -rf /run/systemd/system/rancher-system-agent.service.d', '+ chroot /host systemctl daemon-reload', '+ chroot /host systemctl restart rancher-system-agent.service']) out((t += 120_000), l);
    this.agentRestartByPreDrain(node, t + 300_000);
    out((t += 2 * S), '+ wait_longhorn_engines');
    out((t += 100_000), "++ kubectl get nodes.longhorn.io -n longhorn-system -o json");
    out((t += 400_000), "++ jq -r '.items | map(select(.spec.allowScheduling == true)) | length'");
    out((t += 100_000), '+ node_count=3');
    const engines = w.vmsOn(node).slice(0, 6).map((v) => v.def.volume);
    if (unhealthyVolume && !engines.includes(unhealthyVolume)) engines.unshift(unhealthyVolume);
    for (const vol of engines) {
      out((t += 200_000), `+ echo 'Checking running engine ${vol}-e-0...'`);
      out(t + 1000, `Checking running engine ${vol}-e-0...`);
      if (vol === unhealthyVolume) {
        for (; t < healthyAt; t += 10 * S) {
          out(t + 2 * S, `++ kubectl get volumes.longhorn.io/${vol} -n longhorn-system -o 'jsonpath={.status.robustness}'`);
          out(t + 2.4 * S, '+ robustness=degraded');
          out(t + 2.4 * S + 100, "+ '[' degraded = healthy ']'");
          out(t + 2.4 * S + 200, `+ '[' -f /tmp/skip-${vol} ']'`);
          out(t + 2.4 * S + 300, `+ echo 'Waiting for volume ${vol} to be healthy...'`);
          out(t + 2.4 * S + 400, `Waiting for volume ${vol} to be healthy...`);
          out(t + 2.4 * S + 500, '+ sleep 10');
        }
      }
      out((t += 400_000), `++ kubectl get volumes.longhorn.io/${vol} -n longhorn-system -o 'jsonpath={.status.robustness}'`);
      out((t += 300_000), '+ robustness=healthy');
      out((t += 100), "+ '[' healthy = healthy ']'");
      out((t += 100), `+ echo 'Volume ${vol} is healthy.'`);
      out(t + 100, `Volume ${vol} is healthy.`);
    }
    out((t += 1 * S), `+ upgrade-helper vm-live-migrate-detector ${node} --shutdown`);
    out((t += 900_000), logrusLine(t, 'info', 'Starting VM Live Migrate Detector'));
    out((t += 1.2 * S), logrusLine(t, 'info', 'Non-migratable VM(s): []'));
    out((t += 300_000), `+ kubectl taint node ${node} --overwrite kubevirt.io/drain=draining:NoSchedule`);
    out((t += 500_000), `node/${node} modified`);
    w.node(node).taints.push({ key: 'kubevirt.io/drain', value: 'draining', effect: 'NoSchedule' });
    this.hlog(t + 1 * S, 'info', `node ${node} is in upgrade pre-draining state, try to detach unused volumes`);
    out((t += 100_000), '+ wait_vms_out_or_shutdown');
    const vms = w.vmsOn(node);
    const migStart = t + 2 * S;
    const targets = w.schedulable(migStart, [node]);
    vms.forEach((vm, i) => {
      const tgt = targets[i % targets.length];
      vmMigrateLines(w, vm, tgt, migStart + i * opts.migrateStep, 9 + (vm.def.memoryGi % 23), this.to, 'evacuation');
    });
    const ends = vms.map((v) => w.migrationsOf(v.def.name).at(-1)!.end).sort((a, b) => a - b);
    const allOut = ends.length ? ends[ends.length - 1] + 2 * S : migStart;
    let done = 0;
    for (let tt = migStart; tt < allOut; tt += 5 * S) {
      while (done < ends.length && ends[done] <= tt) done++;
      const left = ends.length - done;
      out(tt, `++ kubectl get vmi -A -l kubevirt.io/nodeName=${node} -o json`);
      out(tt + 300_000, `+ vm_count=${left}`);
      out(tt + 300_100, `+ '[' ${left} -eq 0 ']'`);
      out(tt + 300_200, `+ echo 'Waiting for VM live-migration or shutdown...(count: ${left})'`);
      out(tt + 300_300, `Waiting for VM live-migration or shutdown...(count: ${left})`);
      out(tt + 300_400, '+ sleep 5');
    }
    t = allOut + 400_000;
    out(t, '+ vm_count=0');
    out(t + 100, "+ '[' 0 -eq 0 ']'");
    out(t + 200, `+ echo 'all VMs on node ${node} have been live-migrated or shutdown'`);
    out(t + 300, `all VMs on node ${node} have been live-migrated or shutdown`);
    out((t += 1 * S), '+ wait_evacuation_pdb_gone');
    out((t += 600_000), '+ remove_rke2_canal_config');
    out((t += 500_000), '+ rm -f /host/etc/rancher/rke2/config.yaml.d/90-harvester-canal.yaml');
    out((t += 200_000), '+ disable_rke2_charts');
    out((t += 800_000), '+ exit 0');
    const end = t + 1 * S;
    w.finishPod(pod, end);
    const job = w.job({ namespace: HARVESTER_NS, name: jobName, labels: spec.labels!, node, start, end, pod, command: ['do_upgrade_node.sh', 'pre-drain'], image: spec.containers[0].image });
    jobEvents(w, HARVESTER_NS, jobName, job.uid, pod, start, end);
    this.nodeState(node, 'Pre-drained', end + 1 * S);
    pre['harvesterhci.io/pre-hook'] = drainOpts;
    return end;
  }

  /** recover_rancher_system_agent restarts the agent; it reports nothing to apply. */
  private agentRestartByPreDrain(node: string, t: Micros): void {
    const w = this.w;
    const skew = w.node(node).skew;
    w.journal(node, 'rancher-system-agent', t, (tt) => journalLine(tt + skew, node, 'systemd', 1, 'Stopping Rancher System Agent...'));
    w.journal(node, 'rancher-system-agent', t + 200_000, (tt) => journalLine(tt + skew, node, 'systemd', 1, 'rancher-system-agent.service: Deactivated successfully.'));
    w.journal(node, 'rancher-system-agent', t + 210_000, (tt) => journalLine(tt + skew, node, 'systemd', 1, 'Stopped Rancher System Agent.'));
    w.journal(node, 'rancher-system-agent', t + 300_000, (tt) => journalLine(tt + skew, node, 'systemd', 1, 'Started Rancher System Agent.'));
    const pid = w.startProc(node, 'agent', t + 300_000, 'v0.3.12');
    const a = (dt: number, msg: string): void => jlog(w, node, 'rancher-system-agent', 'rancher-system-agent', pid, t + dt, logrusLine(t + dt + skew, 'info', msg));
    a(700_000, 'Rancher System Agent version v0.3.12 (8a1b3f0) is starting');
    a(700_000, 'Using directory /var/lib/rancher/agent/work for work');
    a(700_000, 'Starting remote watch of plans');
    a(1.4 * S, 'Starting /v1, Kind=Secret controller');
  }

  /**
   * Rancher cordons and drains the node. With `blockedUntil`, the Longhorn instance-manager PDB refuses the
   * eviction every 5 s until then (longhorn-manager says why); `manualImDelete` is the operator's fix.
   */
  drain(node: string, start: Micros, opts: { blockedUntil: Micros; engine?: string; manualImDelete?: Micros; stillBlocked?: boolean }): Micros {
    const w = this.w;
    w.node(node).cordoned = true;
    nodeEvent(w, node, start + 400_000, 'NodeNotSchedulable', `Node ${node} status is now: NodeNotSchedulable`);
    const machine = nodeDef(node).machine;
    this.rancher(start, 'INFO', `[planner] rkecluster fleet-local/local: draining bootstrap node(s) ${machine}: draining node`);
    const leader = this.rancherLeader(start + 1 * S);
    const ds = w.livePods(start, (p) => p.node === node && p.kind === 'daemonset').map((p) => `${p.namespace}/${p.name}`).sort();
    w.log(leader, 'rancher', start + 1 * S, `WARNING: ignoring DaemonSet-managed Pods: ${ds.join(', ')}`);
    const im = w.livePods(start, (p) => p.node === node && p.kind === 'instance-manager')[0];
    const evicted = w.evict(node, start + 2 * S, (p) => p.namespace === 'cattle-system' && p.workload === 'rancher' && p.uid === leader.uid);
    evicted.forEach((p, i) => w.log(leader, 'rancher', start + 2 * S + (i % 7) * S, `evicting pod ${p.namespace}/${p.name}`));
    const imPdbMsgAt = (t: Micros): void => {
      if (!opts.engine) return;
      this.lhm(node, t, 'info', `Node ${im.name} is marked unschedulable but removing ${node} PDB is blocked: some volumes are still attached InstanceEngines count 1 ${opts.engine}`, 'controller.(*InstanceManagerController).syncInstanceManagerPDB', 'instance_manager_controller.go:823', [['controller', 'longhorn-instance-manager'], ['node', node]]);
    };
    let t = start + 3 * S;
    const loopEnd = opts.stillBlocked ? w.collectedAt : opts.blockedUntil;
    let logLeader = leader;
    let nextPdbMsg = t;
    for (; t < loopEnd; t += 5 * S) {
      // The drain runs in the leader; when the leader pod goes (its own node drained), the next one retries.
      if (logLeader.deletedAt !== null && logLeader.deletedAt <= t) logLeader = this.rancherLeader(t);
      w.log(logLeader, 'rancher', t, `evicting pod longhorn-system/${im.name}`);
      w.log(logLeader, 'rancher', t + 15_000, `error when evicting pods/"${im.name}" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`);
      if (t >= nextPdbMsg) {
        imPdbMsgAt(t + 2 * S);
        nextPdbMsg = t + (opts.engine ? 30 * S : 5 * S);
      }
    }
    if (opts.stillBlocked) return w.collectedAt;
    if (opts.manualImDelete) {
      // The operator deletes the instance-manager pod; Longhorn recreates it and drops the PDB.
      w.deletePod(im, opts.manualImDelete + 1 * S, { exitCode: 137, reason: 'Error' });
      const spec = w.workload('longhorn-system', im.workload);
      w.startPod(spec, node, opts.manualImDelete + 6 * S);
    }
    const removedAt = (opts.manualImDelete ?? opts.blockedUntil - 2 * S) + 3 * S;
    this.lhm(node, removedAt, 'info', `Removing ${im.name} PDB since Node ${node} is marked unschedulable`, 'controller.(*InstanceManagerController).syncInstanceManagerPDB', 'instance_manager_controller.go:806', [['controller', 'longhorn-instance-manager'], ['node', node]]);
    this.lhm(node, removedAt + 20_000, 'info', `Deleting ${im.name} PDB`, 'controller.(*InstanceManagerController).deleteInstanceManagerPDB', 'instance_manager_controller.go:862', [['controller', 'longhorn-instance-manager'], ['node', node]]);
    const done = Math.max(t, removedAt + 3 * S);
    w.log(this.rancherLeader(done), 'rancher', done, `evicting pod longhorn-system/${im.name}`);
    // Without its PDB the instance manager is evicted; Longhorn keeps it running on the cordoned node.
    if (!opts.manualImDelete) {
      w.deletePod(im, done + 2 * S, { exitCode: 0, reason: 'Completed' });
      w.startPod(w.workload('longhorn-system', im.workload), node, done + 8 * S);
    }
    this.rancher(done + 4 * S, 'INFO', `[planner] rkecluster fleet-local/local: configuring bootstrap node(s) ${machine}: waiting for plan to be applied`);
    this.rec.planAnnotations[node]['rke.cattle.io/drain-done'] = drainOptionsJson();
    return done + 5 * S;
  }

  /** Rancher delivers the new plan after the drain: the installer runs and RKE2 restarts (already new or not). */
  applyPlan(node: string, t: Micros): Micros {
    const end = this.installerRun(node, t, false);
    const ready = this.rke2Restart(node, end);
    this.afterInstaller(node, ready + 2 * S);
    this.rancher(ready + 5 * S, 'INFO', `[planner] rkecluster fleet-local/local: configuring bootstrap node(s) ${nodeDef(node).machine}: waiting for probes: kubelet`);
    this.rec.planAnnotations[node]['rke.cattle.io/uncordon'] = 'true';
    return ready + 10 * S;
  }

  /** `<upgrade>-post-drain-<node>`: config, wait for RKE2, untaint, OS upgrade, reboot into the new OS. */
  postDrain(node: string, start: Micros): { end: Micros; down: Micros; up: Micros; succeededAt: Micros } {
    const w = this.w;
    this.rec.planAnnotations[node]['rke.cattle.io/post-drain'] = drainOptionsJson();
    this.nodeState(node, 'Post-draining', start + 1 * S);
    const jobName = `${this.rec.name}-post-drain-${node}`;
    const spec: WorkloadSpec = { namespace: HARVESTER_NS, name: jobName, kind: 'job', containers: [{ name: 'apply', image: images(this.to).harvesterUpgrade, profile: 'none' }], labels: { 'harvesterhci.io/upgrade': this.rec.name, 'harvesterhci.io/upgradeComponent': 'node', 'harvesterhci.io/node': node, 'harvesterhci.io/upgradeJobType': 'post-drain' } };
    const pod = w.startPod(spec, node, start);
    const s0 = pod.containers[0].runs[0].start;
    const out = (t: Micros, text: string): void => w.log(pod, 'apply', t, text);
    let t = s0;
    const lines = [
      '+ case $1 in', '+ command_post_drain', '+ wait_repo', 'Wait for upgrade repo ready...', '+ detect_repo',
      `++ curl -sfL http://upgrade-repo-${this.rec.name}.${HARVESTER_NS}/harvester-iso/harvester-release.yaml`,
      '+ cat', '+ cat', '+ cat',
      '+ wait_rke2_upgrade',
    ];
    for (const l of lines) out((t += 300_000), l);
    out((t += 1 * S), `++ kubectl get node ${node} -o 'jsonpath={.status.nodeInfo.kubeletVersion}'`);
    out((t += 400_000), `+ '[' ${this.to.kubernetes} = ${this.to.kubernetes} ']'`);
    out((t += 200_000), '+ clean_rke2_archives');
    out((t += 300_000), `+ kubectl taint node ${node} kubevirt.io/drain-`);
    out((t += 400_000), `node/${node} untainted`);
    w.node(node).taints = w.node(node).taints.filter((x) => x.key !== 'kubevirt.io/drain');
    out((t += 200_000), '+ convert_nodenetwork_to_vlanconfig');
    out((t += 500_000), '+ upgrade_os');
    out((t += 400_000), `++ source /host/etc/os-release`);
    out((t += 100_000), `+ '[' 'Harvester ${this.from.harvester}' = 'Harvester ${this.to.harvester}' ']'`);
    const osStart = t + 1 * S;
    out(osStart, `+ elemental upgrade --logfile /host/usr/local/upgrade_tmp/elemental-upgrade-${workStamp(osStart).replace('-', '')}.log --directory /tmp/tmp.${this.rng.kube(10)}`);
    const el = (dt: number, level: string, msg: string): void => out(osStart + dt, `${level}[${new Date((osStart + dt) / 1000).toISOString().slice(0, 19)}Z] ${msg}`);
    el(1 * S, 'INFO', 'Starting elemental version 2.1.1');
    el(1.2 * S, 'INFO', 'Upgrade called');
    el(3 * S, 'INFO', 'Mounted state partition at /run/initramfs/cos-state');
    el(9 * S, 'INFO', 'Copying /run/initramfs/cos-state/cOS/active.img source...');
    el(140 * S, 'INFO', 'Finished copying /run/initramfs/cos-state/cOS/active.img into /run/initramfs/cos-state/cOS/transition.img');
    el(141 * S, 'INFO', 'Backing up current active image');
    el(160 * S, 'INFO', 'Moving /run/initramfs/cos-state/cOS/transition.img to /run/initramfs/cos-state/cOS/active.img');
    el(162 * S, 'INFO', 'Upgrade completed');
    out(osStart + 163 * S, 'Ensuring /run/initramfs/cos-state/cOS/passive.img is sparse...');
    out(osStart + 170 * S, '+ reboot_if_job_succeed');
    const end = osStart + 172 * S;
    w.finishPod(pod, end);
    const job = w.job({ namespace: HARVESTER_NS, name: jobName, labels: spec.labels!, node, start, end, pod, command: ['do_upgrade_node.sh', 'post-drain'], image: spec.containers[0].image });
    jobEvents(w, HARVESTER_NS, jobName, job.uid, pod, start, end);
    this.nodeState(node, 'Waiting Reboot', end + 1 * S);
    // upgrade-reboot.service reboots the host 10 s after the container exited.
    const down = end + 10 * S;
    const up = down + 95 * S;
    this.rebootInto(node, down, up);
    const succeededAt = up + 3 * MIN + this.rng.int(0, 40) * S;
    w.node(node).cordoned = false;
    nodeEvent(w, node, succeededAt + 2 * S, 'NodeSchedulable', `Node ${node} status is now: NodeSchedulable`);
    w.node(node).osImage = this.to.os;
    this.hlog(succeededAt, 'info', `Adding post-hook done annotation on fleet-local/${nodeDef(node).machine}-machine-plan`);
    this.nodeState(node, 'Succeeded', succeededAt);
    this.rec.planAnnotations[node] = {};
    return { end, down, up, succeededAt };
  }

  /** Reboot via upgrade-reboot.service: kernel log of the old boot ends, a new boot starts on the new OS. */
  rebootInto(node: string, down: Micros, up: Micros): void {
    const w = this.w;
    const skew = w.node(node).skew;
    w.journal(node, 'rke2-server', down - 2 * S, (tt) => journalLine(tt + skew, node, 'systemd', 1, 'Stopping Rancher Kubernetes Engine v2 (server)...'));
    w.journal(node, 'rke2-server', down - 1 * S, (tt) => journalLine(tt + skew, node, 'systemd', 1, 'Stopped Rancher Kubernetes Engine v2 (server).'));
    w.journal(node, 'rancher-system-agent', down - 1 * S, (tt) => journalLine(tt + skew, node, 'systemd', 1, 'Stopped Rancher System Agent.'));
    w.journal(node, 'iscsid', down - 1 * S, (tt) => journalLine(tt + skew, node, 'systemd', 1, 'Stopped Open-iSCSI.'));
    kernelShutdown(w, node, down - 3 * S);
    for (const p of ['rke2', 'kubelet', 'containerd', 'agent', 'iscsid', 'wicked'] as const) w.stopProc(node, p, down);
    w.reboot(node, down, up + 60 * S);
    const ready = bootNode(w, node, up, this.to, false, kernelBoot);
    nodeEvent(w, node, down + 41 * S, 'NodeNotReady', `Node ${node} status is now: NodeNotReady`, 'Normal', 'node-controller');
    const bootId = w.node(node).boots.at(-1)!.bootId;
    nodeEvent(w, node, ready - 30 * S, 'Rebooted', `Node ${node} has been rebooted, boot id: ${bootId.slice(0, 8)}-${bootId.slice(8, 12)}-${bootId.slice(12, 16)}-${bootId.slice(16, 20)}-${bootId.slice(20, 32)}`, 'Warning');
    nodeEvent(w, node, ready, 'NodeReady', `Node ${node} status is now: NodeReady`);
  }

  /** NodesUpgraded → cleanup plan → Completed; the UpgradeLog stops recording. */
  finish(t: Micros, completedAt: Micros): void {
    this.condition('NodesUpgraded', 'True', t);
    this.hlog(t + 1 * S, 'info', 'Try to start repo VM for image pruning');
    this.hlog(t + 3 * S, 'info', 'Start purging unneeded container images on the nodes');
    this.hlog(completedAt - 4 * S, 'info', 'Reset RKEConfig and set provisionGeneration to 4');
    this.hlog(completedAt - 3 * S, 'info', 'Update cluster fleet-local/local');
    this.hlog(completedAt - 2 * S, 'info', `Delete upgrade repo VM ${HARVESTER_NS}/upgrade-repo-${this.rec.name}`);
    this.hlog(completedAt - 1 * S, 'info', `Update upgradeLog ${HARVESTER_NS}/${this.rec.upgradeLog}`);
    this.condition('Completed', 'True', completedAt);
    this.setState('Succeeded', completedAt);
    this.rec.finishedAt = completedAt;
    this.rec.logEnd = completedAt + 30 * S;
  }

  /** Every volume with a replica on the node degrades while its instance manager is gone; `slow` ones recover later. */
  replicasDown(from: Micros, backAt: Micros, volumes: readonly string[], slow: Record<string, Micros> = {}): void {
    for (const vol of volumes) this.degrade(vol, from + this.rng.int(1, 20) * S, slow[vol] ?? backAt + this.rng.int(40, 420) * S);
  }

  /** A Longhorn volume loses a replica at `from` and is rebuilt by `to` (null: still degraded at collection). */
  degrade(volume: string, from: Micros, to: Micros | null): void {
    this.rec.degraded.push({ volume, from, to });
    const ev = (reason: string, message: string, at: Micros, type: 'Normal' | 'Warning'): void =>
      this.w.event({ namespace: 'longhorn-system', involved: { kind: 'Volume', name: volume, namespace: 'longhorn-system', uid: Rng.derive('lhv', volume).uuid(), apiVersion: 'longhorn.io/v1beta2' }, reason, message, type, source: { component: 'longhorn-volume-controller', host: NODES[volume.charCodeAt(6) % 3].name }, first: at });
    ev('Degraded', `volume ${volume} became degraded`, from, 'Warning');
    if (to !== null) ev('Healthy', `volume ${volume} became healthy`, to, 'Normal');
  }
}

export interface ManifestMarks {
  skipRestartDone: Micros;
  rancherUpgraded: Micros;
  harvesterStart: Micros;
  harvesterReady: Micros;
  kubevirtReady: Micros;
  longhornReady: Micros;
  monitoringReady: Micros;
}

/** `20250614-093458`: rancher-system-agent's per-run work directory stamp. */
function workStamp(t: Micros): string {
  const iso = new Date(Math.floor(t / 1000)).toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

/** Rancher's drain options as written into the plan-secret annotations (JSON of the cluster's drainOptions). */
export function drainOptionsJson(): string {
  return '{"IgnoreErrors":false,"deleteEmptyDirData":true,"disableEviction":false,"enabled":true,"force":true,"gracePeriod":0,"ignoreDaemonSets":true,"postDrainHooks":[{"annotation":"harvesterhci.io/post-hook"}],"preDrainHooks":[{"annotation":"harvesterhci.io/pre-hook"}],"skipWaitForDeleteTimeoutSeconds":0,"timeout":0}';
}

