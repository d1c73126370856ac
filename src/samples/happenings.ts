/**
 * Things that happen around an upgrade: OOM kills (Prometheus, a test pod), planned maintenance mode
 * (completed or left behind), operators stopping and starting VMs.
 */
import type { ReleaseInfo } from './cluster.js';
import { kernelOom } from './kernel-lines.js';
import type { Micros } from './line-formats.js';
import { logrusLine, promLine } from './line-formats.js';
import { Rng } from './prng.js';
import { klet, MIN, nodeEvent, S } from './story-common.js';
import { vmGracefulStop, vmMigrateLines, vmStartLines } from './vm-lines.js';
import type { Pod, VmState, World, WorkloadSpec } from './world.js';

const PROM_POD = 'prometheus-rancher-monitoring-prometheus-0';
const PROM_NS = 'cattle-monitoring-system';

/** Kubelet back-off after each crash: 10 s doubling, capped at 5 min. */
const backoff = (n: number): Micros => Math.min(10 * 2 ** n, 300) * S;

/**
 * Prometheus replaying its WAL runs into the 2500Mi limit and is OOM-killed `count` times, each time about
 * 3.5 minutes into the replay; kubelet backs off between restarts. Every run logs the startup it got through.
 */
export function prometheusOomLoop(w: World, count: number, rel: ReleaseInfo): Pod {
  const pod = w.pods.find((p) => p.namespace === PROM_NS && p.name === PROM_POD && p.deletedAt === null);
  if (!pod) throw new Error('prometheus pod not running');
  const node = pod.node;
  const rng = Rng.derive(w.seed, 'prom-oom');
  const c = pod.containers.find((x) => x.name === 'prometheus')!;
  for (let i = 0; i < count; i++) {
    const run = c.runs[c.runs.length - 1];
    const t = run.start + (200 + rng.int(0, 30)) * S;
    prometheusStartLines(w, pod, run.start, t);
    const pid = rng.int(200000, 900000);
    kernelOom(w, node, t, { comm: 'prometheus', pid, uid: 1000, oomScoreAdj: 997, limitKb: 2560000, podUid: pod.uid, containerId: c.id, totalVmKb: rng.int(3800000, 4400000) }, rel);
    const back = t + backoff(i) + rng.int(1, 4) * S;
    const podRef = `pod="${PROM_NS}/${PROM_POD}"`;
    klet(w, node, t + 1.1 * S, 'I', 'kubelet.go:2468', `"SyncLoop (PLEG): event for pod" ${podRef} event={"ID":"${pod.uid}","Type":"ContainerDied","Data":"${c.id}"}`);
    w.restartContainer(pod, 'prometheus', t + 200_000, back, { exitCode: 137, reason: 'OOMKilled' });
    c.id = Rng.derive(w.seed, `prom-${i}`).hex(64);
    if (i > 0) klet(w, node, t + 1.3 * S, 'E', 'pod_workers.go:1301', `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"prometheus\\" with CrashLoopBackOff: \\"back-off ${Math.min(10 * 2 ** i, 300) / 2}s restarting failed container=prometheus pod=${PROM_POD}_${PROM_NS}(${pod.uid})\\"" ${podRef} podUID="${pod.uid}"`);
    w.event({ namespace: 'default', involved: { kind: 'Node', name: node, namespace: null, uid: node, apiVersion: 'v1' }, reason: 'SystemOOM', message: `System OOM encountered, victim process: prometheus, pid: ${pid}`, type: 'Warning', source: { component: 'kubelet', host: node }, first: t + 300_000 });
    w.event({ namespace: PROM_NS, involved: { kind: 'Pod', name: PROM_POD, namespace: PROM_NS, uid: pod.uid, apiVersion: 'v1', fieldPath: 'spec.containers{prometheus}' }, reason: 'Pulled', message: `Container image "${c.image}" already present on machine`, type: 'Normal', source: { component: 'kubelet', host: node }, first: back - 400_000 });
    if (i > 0) w.event({ namespace: PROM_NS, involved: { kind: 'Pod', name: PROM_POD, namespace: PROM_NS, uid: pod.uid, apiVersion: 'v1', fieldPath: 'spec.containers{prometheus}' }, reason: 'BackOff', message: `Back-off restarting failed container prometheus in pod ${PROM_POD}_${PROM_NS}(${pod.uid})`, type: 'Warning', source: { component: 'kubelet', host: node }, first: t + 2 * S, last: back - 2 * S, count: 2 + i });
  }
  prometheusStartLines(w, pod, c.runs[c.runs.length - 1].start, null);
  return pod;
}

/** Prometheus 2.x startup: TSDB and WAL replay (where the memory goes), then ready. */
function prometheusStartLines(w: World, pod: Pod, start: Micros, untilOom: Micros | null): void {
  const log = (dt: number, caller: string, level: string, msg: string, fields: [string, string][] = [], component?: string): void => {
    if (untilOom !== null && start + dt >= untilOom) return;
    w.log(pod, 'prometheus', start + dt, promLine(start + dt, caller, level, msg, fields, component));
  };
  log(0, 'main.go:645', 'info', 'Starting Prometheus Server', [['mode', 'server'], ['version', '(version=2.53.1, branch=HEAD, revision=14cfec3f6048b735e08c1e9c64c8d4211d32bab4)']]);
  log(200, 'main.go:650', 'info', '', [['build_context', '(go=go1.22.5, platform=linux/amd64, user=root@7c5e3c5e8a0b, date=20240711-10:01:44, tags=netgo,builtinassets,stringlabels)']]);
  log(300, 'main.go:653', 'info', '', [['fd_limits', '(soft=1048576, hard=1048576)']]);
  log(400, 'main.go:654', 'info', '', [['vm_limits', '(soft=unlimited, hard=unlimited)']]);
  log(2000, 'web.go:571', 'info', 'Start listening for connections', [['address', '0.0.0.0:9090']], 'web');
  log(2500, 'main.go:1160', 'info', 'Starting TSDB ...');
  log(3000, 'tls_config.go:313', 'info', 'Listening on', [['address', '[::]:9090']], 'web');
  log(250_000, 'head.go:626', 'info', 'Replaying on-disk memory mappable chunks if any', [], 'tsdb');
  log(1.9 * S, 'head.go:713', 'info', 'On-disk memory mappable chunks replay completed', [['duration', '1.662431s']], 'tsdb');
  log(1.9 * S + 100, 'head.go:721', 'info', 'Replaying WAL, this may take a while', [], 'tsdb');
  for (let seg = 0; seg <= 61; seg++) log(2 * S + seg * 4.1 * S, 'head.go:793', 'info', 'WAL segment loaded', [['segment', String(seg)], ['maxSegment', '61']], 'tsdb');
  log(257 * S, 'head.go:830', 'info', 'WAL replay completed', [['checkpoint_replay_duration', '38.116µs'], ['wal_replay_duration', '4m15.07s'], ['wbl_replay_duration', '221ns'], ['chunk_snapshot_load_duration', '0s'], ['mmap_chunk_replay_duration', '1.662431s'], ['total_replay_duration', '4m16.73s']], 'tsdb');
  log(258 * S, 'main.go:1181', 'info', 'TSDB started');
  log(258 * S + 500, 'main.go:1365', 'info', 'Loading configuration file', [['filename', '/etc/prometheus/config_out/prometheus.env.yaml']]);
  log(259 * S, 'main.go:1402', 'info', 'Completed loading of configuration file', [['filename', '/etc/prometheus/config_out/prometheus.env.yaml'], ['totalDuration', '262.114ms']]);
  log(259 * S + 100, 'main.go:1142', 'info', 'Server is ready to receive web requests.');
}

/** A memory-hungry test pod OOM-killed by its limit (benign: outside any upgrade). */
export function stressTestOom(w: World, node: string, start: Micros, oomAt: Micros, rel: ReleaseInfo): Pod {
  const spec: WorkloadSpec = { namespace: 'default', name: 'stress-test', kind: 'deployment', replicas: 1, containers: [{ name: 'stress', image: 'docker.io/polinux/stress-ng:latest', profile: 'none' }], labels: { app: 'stress-test' } };
  w.register(spec);
  const pod = w.startPod(spec, node, start);
  const c = pod.containers[0];
  const pid = Rng.derive(w.seed, 'stress').int(30000, 90000);
  w.log(pod, 'stress', c.runs[0].start, 'stress-ng: info:  [1] defaulting to a 86400 second (1 day, 0.00 secs) run per stressor');
  w.log(pod, 'stress', c.runs[0].start + 2000, 'stress-ng: info:  [1] dispatching hogs: 4 vm');
  kernelOom(w, node, oomAt, { comm: 'stress-ng-vm', pid, uid: 0, oomScoreAdj: 936, limitKb: 1048576, podUid: pod.uid, containerId: c.id, totalVmKb: 1133548 }, rel);
  w.restartContainer(pod, 'stress', oomAt + 100_000, oomAt + 12 * S, { exitCode: 137, reason: 'OOMKilled' });
  klet(w, node, oomAt + 900_000, 'I', 'kubelet.go:2468', `"SyncLoop (PLEG): event for pod" pod="default/${pod.name}" event={"ID":"${pod.uid}","Type":"ContainerDied","Data":"${c.id}"}`);
  // The tester scales the deployment down a few minutes later.
  w.deletePod(pod, oomAt + 6 * MIN, { exitCode: 0, reason: 'Completed' });
  return pod;
}

/** The operator stops VMs (run strategy Halted) — graceful ACPI shutdowns. */
export function haltVms(w: World, vms: readonly VmState[], start: Micros, step: Micros): void {
  vms.forEach((vm, i) => {
    vm.runStrategy = 'Halted';
    vm.strategyChangedAt = start + i * step;
    vmGracefulStop(w, vm, start + i * step, 'halted');
  });
}

/** The operator starts halted VMs again by hand. */
export function startVmsByHand(w: World, vms: readonly VmState[], start: Micros, rel: ReleaseInfo): void {
  vms.forEach((vm, i) => {
    vm.runStrategy = 'RerunOnFailure';
    vm.strategyChangedAt = start + i * 40 * S;
    vmStartLines(w, vm, start + i * 40 * S, rel);
  });
}

/** Harvester maintenance mode enabled, then disabled once the node is empty: annotations and taint are removed at the end. */
export function maintenance(w: World, node: string, enableAt: Micros, rel: ReleaseInfo): void {
  const h = (t: Micros, level: string, msg: string, fields: [string, string][] = []): void => w.log(w.workloadPod('harvester-system', 'harvester', t), 'apiserver', t, logrusLine(t, level, msg, fields));
  const n = w.node(node);
  h(enableAt, 'info', 'attempting to place node in maintenance mode', [['node_name', node]]);
  n.annotations['harvesterhci.io/maintain-status'] = 'running';
  n.cordoned = true;
  nodeEvent(w, node, enableAt + 300_000, 'NodeNotSchedulable', `Node ${node} status is now: NodeNotSchedulable`);
  n.taints.push({ key: 'kubevirt.io/drain', value: 'scheduling', effect: 'NoSchedule' });
  const vms = w.vmsOn(node);
  const targets = w.schedulable(enableAt, [node]);
  vms.forEach((vm, i) => vmMigrateLines(w, vm, targets[i % targets.length], enableAt + 5 * S + i * 14 * S, 8 + (vm.def.memoryGi % 17), rel, 'maintenance'));
  w.evict(node, enableAt + 4 * S);
  // maintain-status goes `running` → `completed` once no VMI is left; disableMaintenanceMode removes it.
  delete n.annotations['harvesterhci.io/maintain-status'];
  n.cordoned = false;
  nodeEvent(w, node, enableAt + 5 * S + vms.length * 14 * S + 8 * MIN, 'NodeSchedulable', `Node ${node} status is now: NodeSchedulable`);
  n.taints = n.taints.filter((x) => x.key !== 'kubevirt.io/drain');
}

/** A maintenance window that was never disabled through Harvester: its marks stay on the node and a VM. */
export function leftoverMaintenance(w: World, node: string, vm: VmState): void {
  w.node(node).annotations['harvesterhci.io/maintain-status'] = 'completed';
  vm.labels['harvesterhci.io/maintain-mode-strategy'] = 'ShutdownAndRestartAfterDisable';
  vm.annotations['harvesterhci.io/maintain-mode-strategy-node-name'] = node;
}
