/**
 * What KubeVirt and kubelet write when a VM starts, migrates, shuts down or is killed
 * (messages from kubevirt v1.4.0 virt-handler/vm.go, virt-launcher, virt-controller/watch/vm/vm.go;
 * kubelet kuberuntime; upgrade-mechanics.md §11–§12).
 */
import type { ReleaseInfo } from './cluster.js';
import { images } from './cluster.js';
import type { Micros } from './line-formats.js';
import { kubevirtLine } from './line-formats.js';
import { klet, S } from './story-common.js';
import type { Migration, Pod, VmState, World } from './world.js';

const kv = (t: Micros, component: string, pos: string, msg: string, obj?: { kind: string; name: string; namespace: string; uid: string }, extra: Record<string, string> = {}): string =>
  kubevirtLine(t, obj ? { component, kind: obj.kind, level: 'info', msg, name: obj.name, namespace: obj.namespace, pos, uid: obj.uid, ...extra } : { component, level: 'info', msg, pos, ...extra });

const vmiRef = (vm: VmState, uid: string) => ({ kind: 'VirtualMachineInstance', name: vm.def.name, namespace: vm.def.namespace, uid });
const vmRef = (vm: VmState) => ({ kind: 'VirtualMachine', name: vm.def.name, namespace: vm.def.namespace, uid: vm.def.uid });

/** virt-launcher startup as logged by the compute container. */
function launcherStartLines(w: World, pod: Pod, vm: VmState, vmiUid: string, t: Micros, incomingMigration: boolean): void {
  const ref = vmiRef(vm, vmiUid);
  const l = (dt: number, pos: string, msg: string, obj = false): void => w.log(pod, 'compute', t + dt, (tt) => kv(tt, 'virt-launcher', pos, msg, obj ? ref : undefined));
  l(0, 'virt-launcher.go:447', 'Collected all requested hook sidecar sockets');
  l(1_000, 'virt-launcher.go:450', 'Sorted all collected sidecar sockets per hook point based on their priority and name: map[]');
  l(40_000, 'libvirt.go:577', 'Connecting to libvirt daemon: /var/run/libvirt/virtqemud-sock');
  l(1.2 * S, 'libvirt.go:575', 'Connected to libvirt daemon');
  l(1.3 * S, 'virt-launcher.go:341', 'Registered libvirt event notify callback');
  l(1.4 * S, 'virt-launcher.go:494', 'Marked as ready');
  if (incomingMigration) {
    l(3 * S, 'server.go:145', 'Received Domain Event of type ADDED', true);
    return;
  }
  l(2.1 * S, 'manager.go:1158', 'Executing PreStartHook on VMI pod environment', true);
  l(2.4 * S, 'manager.go:1686', 'Domain defined.', true);
  l(2.8 * S, 'client.go:297', 'kubevirt domain status: Paused(3):StartingUp(11)');
  l(3.1 * S, 'manager.go:1647', 'Domain started.', true);
  l(3.2 * S, 'server.go:263', 'Synced vmi', true);
  l(3.4 * S, 'client.go:297', 'kubevirt domain status: Running(1):Unknown(1)');
}

/** A VM start seen by virt-controller (new VMI) and virt-handler (domain up). `load` is the scheduler's view. */
export function vmStartLines(w: World, vm: VmState, t: Micros, rel: ReleaseInfo, load: Map<string, number> = w.vmLoad()): void {
  const node = pickNode(w, vm, t, load);
  load.set(node, (load.get(node) ?? 0) + 1);
  const run = w.vmStart(vm, node, t, images(rel).virtLauncher);
  const seg = run.segments[0];
  const ctrl = w.workloadPod('harvester-system', 'virt-controller', t);
  w.log(ctrl, 'virt-controller', t, (tt) => kv(tt, 'virt-controller', 'vm.go:1419', `Started VM by creating the new virtual machine instance ${vm.def.name}`, vmRef(vm)));
  launcherStartLines(w, seg.pod, vm, run.vmiUid, seg.pod.containers[0].runs[0].start, false);
  const handler = w.nodePod('harvester-system', 'virt-handler', seg.node, t + 4 * S);
  const ht = seg.pod.containers[0].runs[0].start + 4 * S;
  w.log(handler, 'virt-handler', ht, (tt) => kv(tt, 'virt-handler', 'vm.go:1992', 'VMI is in phase: Scheduled | Domain does not exist', vmiRef(vm, run.vmiUid)));
  w.log(handler, 'virt-handler', ht + 900_000, (tt) => kv(tt, 'virt-handler', 'vm.go:3468', 'Domain is in state Running reason Unknown', { kind: 'Domain', name: vm.def.name, namespace: vm.def.namespace, uid: run.vmiUid }));
  w.event({ namespace: vm.def.namespace, involved: { kind: 'VirtualMachine', name: vm.def.name, namespace: vm.def.namespace, uid: vm.def.uid, apiVersion: 'kubevirt.io/v1' }, reason: 'SuccessfulCreate', message: `Started the virtual machine by creating the new virtual machine instance ${vm.def.name}`, type: 'Normal', source: { component: 'virtualmachine-controller' }, first: t });
  w.event({ namespace: vm.def.namespace, involved: { kind: 'VirtualMachineInstance', name: vm.def.name, namespace: vm.def.namespace, uid: run.vmiUid, apiVersion: 'kubevirt.io/v1' }, reason: 'Started', message: 'VirtualMachineInstance started.', type: 'Normal', source: { component: 'virt-handler', host: seg.node }, first: ht + S });
}

/** Scheduler choice for a (re)started VM: its pinned node, else a schedulable node with the fewest VMs. */
function pickNode(w: World, vm: VmState, t: Micros, load: Map<string, number>): string {
  if (vm.def.special) return vm.def.special.node;
  const l = (n: string): number => load.get(n) ?? 0;
  return w.schedulable(t).sort((a, b) => l(a) - l(b) || (a < b ? -1 : 1))[0];
}

/**
 * The kubelet that comes back after an RKE2 restart finds the launcher's sandbox changed and kills the
 * compute container with the 2 s minimum grace: the domain dies abruptly (upgrade-mechanics §11, §12).
 */
export function vmKilledByKubelet(w: World, vm: VmState, t: Micros): { node: string; pod: Pod; vmiUid: string } {
  const run = w.currentRun(vm)!;
  const vmiUid = run.vmiUid;
  const { node, pod } = w.vmKill(vm, t + 2 * S);
  const compute = pod.containers[0];
  const podRef = `pod="${pod.namespace}/${pod.name}"`;
  klet(w, node, t - 400_000, 'I', 'kuberuntime_manager.go:1041', `"No ready sandbox for pod can be found. Need to start a new one" ${podRef}`);
  klet(w, node, t, 'I', 'kuberuntime_container.go:809', `"Killing container with a grace period" ${podRef} podUID="${pod.uid}" containerName="compute" containerID="containerd://${compute.id}" gracePeriod=2`);
  klet(w, node, t + 2.2 * S, 'I', 'kubelet.go:2468', `"SyncLoop (PLEG): event for pod" ${podRef} event={"ID":"${pod.uid}","Type":"ContainerDied","Data":"${compute.id}"}`);
  klet(w, node, t + 2.4 * S, 'I', 'kubelet.go:2468', `"SyncLoop (PLEG): event for pod" ${podRef} event={"ID":"${pod.uid}","Type":"ContainerDied","Data":"${pod.containers[1].id.slice(0, 48)}${pod.uid.replace(/-/g, '').slice(0, 16)}"}`);
  // What the launcher would have logged; kept with the pod (its logs vanish with it, as in a real bundle).
  const ref = vmiRef(vm, vmiUid);
  w.log(pod, 'compute', t + 10_000, (tt) => kv(tt, 'virt-launcher', 'virt-launcher.go:523', 'Received signal terminated'));
  w.log(pod, 'compute', t + 2 * S, (tt) => kv(tt, 'virt-launcher-monitor', 'virt-launcher-monitor.go:139', 'Reaped pid 85 with status 9'));
  w.log(pod, 'compute', t + 2.01 * S, (tt) => kv(tt, 'virt-launcher', 'client.go:297', 'kubevirt domain status: Shutoff(5):Crashed(3)'));
  w.log(pod, 'compute', t + 2.02 * S, (tt) => kv(tt, 'virt-launcher', 'libvirt.go:590', 'DomainLifecycle event Domain event="stopped" detail="failed" with event id 5 reason 5 received', ref));
  const handler = w.nodePod('harvester-system', 'virt-handler', node, t);
  const h = (dt: number, pos: string, msg: string, obj: { kind: string; name: string; namespace: string; uid: string }): void => w.log(handler, 'virt-handler', t + dt, (tt) => kv(tt, 'virt-handler', pos, msg, obj));
  h(2.1 * S, 'vm.go:3498', 'Domain is in state Shutoff reason Crashed', { kind: 'Domain', name: vm.def.name, namespace: vm.def.namespace, uid: vmiUid });
  h(2.15 * S, 'vm.go:1992', 'VMI is in phase: Running | Domain status: Shutoff, reason: Crashed', ref);
  h(2.6 * S, 'vm.go:3488', 'Domain deleted', { kind: 'Domain', name: vm.def.name, namespace: vm.def.namespace, uid: vmiUid });
  h(2.7 * S, 'vm.go:1994', 'VMI is in phase: Failed | Domain does not exist', ref);
  h(2.9 * S, 'vm.go:2256', `Performing final local cleanup for vmi with uid ${vmiUid}`, ref);
  const ctrl = w.workloadPod('harvester-system', 'virt-controller', t);
  w.log(ctrl, 'virt-controller', t + 3.4 * S, (tt) => kv(tt, 'virt-controller', 'vm.go:1152', `Stopping VM with VMI in phase Failed and VM runStrategy: ${vm.runStrategy}`, vmRef(vm)));
  const ev = (reason: string, message: string, type: 'Normal' | 'Warning', kind: string, name: string, uid: string, at: Micros, component: string, host?: string, apiVersion = 'v1', fieldPath?: string): void =>
    w.event({ namespace: vm.def.namespace, involved: { kind, name, namespace: vm.def.namespace, uid, apiVersion, fieldPath }, reason, message, type, source: { component, host }, first: at });
  ev('SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.', 'Normal', 'Pod', pod.name, pod.uid, t - 300_000, 'kubelet', node);
  ev('Killing', 'Stopping container compute', 'Normal', 'Pod', pod.name, pod.uid, t, 'kubelet', node, 'v1', 'spec.containers{compute}');
  ev('Stopped', 'The VirtualMachineInstance crashed.', 'Warning', 'VirtualMachineInstance', vm.def.name, vmiUid, t + 2.2 * S, 'virt-handler', node, 'kubevirt.io/v1');
  ev('SuccessfulDelete', `Stopped the virtual machine by deleting the virtual machine instance ${vmiUid}`, 'Normal', 'VirtualMachine', vm.def.name, vm.def.uid, t + 3.5 * S, 'virtualmachine-controller', undefined, 'kubevirt.io/v1');
  return { node, pod, vmiUid };
}

/** Graceful stop (operator or upgrade-helper): ACPI shutdown signalled, domain shuts off cleanly. */
export function vmGracefulStop(w: World, vm: VmState, t: Micros, why: 'halted' | 'stop'): void {
  const run = w.currentRun(vm)!;
  const vmiUid = run.vmiUid;
  const seg = run.segments[run.segments.length - 1];
  const ctrl = w.workloadPod('harvester-system', 'virt-controller', t);
  w.log(ctrl, 'virt-controller', t, (tt) => kv(tt, 'virt-controller', 'vm.go:1234', `Stopping VM with VMI in phase Running due to runStrategy: ${why === 'halted' ? 'Halted' : vm.runStrategy}`, vmRef(vm)));
  const handler = w.nodePod('harvester-system', 'virt-handler', seg.node, t);
  const ref = vmiRef(vm, vmiUid);
  const done = t + 14 * S + (vm.def.cpu % 5) * S;
  w.log(handler, 'virt-handler', t + 400_000, (tt) => kv(tt, 'virt-handler', 'vm.go:2472', `Signaled graceful shutdown for ${vm.def.name}`, ref));
  w.log(seg.pod, 'compute', t + 420_000, (tt) => kv(tt, 'virt-launcher', 'manager.go:2182', `Signaled graceful shutdown for ${vm.def.name}`, ref));
  w.log(seg.pod, 'compute', done, (tt) => kv(tt, 'virt-launcher', 'client.go:297', 'kubevirt domain status: Shutoff(5):Shutdown(1)'));
  w.log(handler, 'virt-handler', done + 100_000, (tt) => kv(tt, 'virt-handler', 'vm.go:3498', 'Domain is in state Shutoff reason Shutdown', { kind: 'Domain', name: vm.def.name, namespace: vm.def.namespace, uid: vmiUid }));
  w.log(handler, 'virt-handler', done + 200_000, (tt) => kv(tt, 'virt-handler', 'vm.go:1992', 'VMI is in phase: Running | Domain status: Shutoff, reason: Shutdown', ref));
  w.log(handler, 'virt-handler', done + 900_000, (tt) => kv(tt, 'virt-handler', 'vm.go:2256', `Performing final local cleanup for vmi with uid ${vmiUid}`, ref));
  w.vmShutdown(vm, done);
  const evt = (reason: string, message: string, at: Micros): void =>
    w.event({ namespace: vm.def.namespace, involved: { kind: 'VirtualMachineInstance', name: vm.def.name, namespace: vm.def.namespace, uid: vmiUid, apiVersion: 'kubevirt.io/v1' }, reason, message, type: 'Normal', source: { component: 'virt-handler', host: seg.node }, first: at });
  evt('ShuttingDown', 'Signaled Graceful Shutdown', t + 400_000);
  evt('Stopped', 'The VirtualMachineInstance was shut down.', done + 200_000);
  w.event({ namespace: vm.def.namespace, involved: { kind: 'VirtualMachine', name: vm.def.name, namespace: vm.def.namespace, uid: vm.def.uid, apiVersion: 'kubevirt.io/v1' }, reason: 'SuccessfulDelete', message: `Stopped the virtual machine by deleting the virtual machine instance ${vmiUid}`, type: 'Normal', source: { component: 'virtualmachine-controller' }, first: t + 200_000 });
}

/** One live migration (KubeVirt evacuation triggered by a `kubevirt.io/drain` taint or maintenance). */
export function vmMigrateLines(w: World, vm: VmState, target: string, start: Micros, seconds: number, rel: ReleaseInfo, reason: Migration['reason']): void {
  const run = w.currentRun(vm)!;
  const source = run.segments[run.segments.length - 1];
  const end = start + seconds * S;
  const { to } = w.vmMigrate(vm, target, start, end, images(rel).virtLauncher, reason);
  const ref = vmiRef(vm, run.vmiUid);
  const srcH = w.nodePod('harvester-system', 'virt-handler', source.node, start);
  const dstH = w.nodePod('harvester-system', 'virt-handler', target, start);
  const targetReady = to.containers[0].runs[0].start + 3 * S;
  launcherStartLines(w, to, vm, run.vmiUid, to.containers[0].runs[0].start, true);
  w.log(dstH, 'virt-handler', targetReady, (tt) => kv(tt, 'virt-handler', 'vm.go:1941', 'Processing vmi migration target update', ref));
  w.log(srcH, 'virt-handler', targetReady + 600_000, (tt) => kv(tt, 'virt-handler', 'vm.go:2793', `migration options matched for vmi ${vm.def.name}: {"Bandwidth":"0","ProgressTimeout":150,"CompletionTimeoutPerGiB":800,"UnsafeMigration":false,"AllowAutoConverge":false,"AllowPostCopy":false,"ParallelMigrationThreads":null,"AllowWorkloadDisruption":false}`, ref));
  w.log(source.pod, 'compute', targetReady + 700_000, (tt) => kv(tt, 'virt-launcher', 'live-migration-source.go:1025', 'Initiating live migration.', ref));
  w.log(source.pod, 'compute', end - 300_000, (tt) => kv(tt, 'virt-launcher', 'live-migration-source.go:660', 'Migration has been completed', ref));
  w.log(source.pod, 'compute', end - 200_000, (tt) => kv(tt, 'virt-launcher', 'live-migration-source.go:1421', 'Live migration succeeded.', ref));
  w.log(srcH, 'virt-handler', end - 100_000, (tt) => kv(tt, 'virt-handler', 'vm.go:725', 'Waiting on the target node to observe the migrated domain before performing the handoff', ref));
  w.log(dstH, 'virt-handler', end, (tt) => kv(tt, 'virt-handler', 'vm.go:790', 'The target node received the migrated domain', ref));
  w.log(srcH, 'virt-handler', end + 300_000, (tt) => kv(tt, 'virt-handler', 'vm.go:743', `migration completed to node ${target}`, ref));
  w.log(to, 'compute', end + 100_000, (tt) => kv(tt, 'virt-launcher', 'client.go:297', 'kubevirt domain status: Running(1):Migrated(2)'));
  const evt = (r: string, message: string, at: Micros, host: string, type: 'Normal' | 'Warning' = 'Normal'): void =>
    w.event({ namespace: vm.def.namespace, involved: { kind: 'VirtualMachineInstance', name: vm.def.name, namespace: vm.def.namespace, uid: run.vmiUid, apiVersion: 'kubevirt.io/v1' }, reason: r, message, type, source: { component: 'virt-handler', host }, first: at });
  evt('PreparingTarget', `Migration Target is listening at 10.52.${Number(target.slice(-1)) - 1}.${20 + (vm.def.cpu * 7) % 200}, on ports: 44311,38277`, targetReady, target);
  evt('Migrating', 'VirtualMachineInstance is migrating.', targetReady + 700_000, source.node);
  evt('Migrated', `The VirtualMachineInstance migrated to node ${target}.`, end, target);
}
