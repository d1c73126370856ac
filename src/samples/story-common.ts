/**
 * Building blocks shared by the scenarios: bringing the cluster up before the story starts (boots,
 * control plane, workloads, instance managers, VMs) and the per-node journal / klog lines that go with it.
 */
import type { ReleaseInfo, VmDef } from './cluster.js';
import { images, NODES } from './cluster.js';
import {
  cattleWorkloads,
  harvesterWorkloads,
  instanceManagerSpec,
  longhornWorkloads,
  monitoringWorkloads,
  rke2ChartWorkloads,
  staticWorkloads,
} from './catalog.js';
import type { Micros } from './line-formats.js';
import { journalLine, klogLine, logrusLine, US_PER_MIN, US_PER_S, utc } from './line-formats.js';
import { Rng } from './prng.js';
import type { Pod, VmState, WorkloadSpec } from './world.js';
import { World } from './world.js';

export const S = US_PER_S;
export const MIN = US_PER_MIN;

/**
 * Scenario clock: `hh:mm:ss` on the scenario's day, plus a fixed sub-second part derived from the text so
 * scripted lines do not all fall on whole seconds.
 */
export const clock = (day: string) => (hms: string): Micros => utc(`${day}T${hms}Z`) + Rng.derive('clock', hms).int(1000, 899_999);

/** Instance manager names are `instance-manager-<32 hex>`, stable per node and engine image. */
export function imName(node: string, rel: ReleaseInfo): string {
  return `instance-manager-${Rng.derive('im', `${node}/${rel.longhorn}`).hex(32)}`;
}

export interface Bootstrap {
  w: World;
  rel: ReleaseInfo;
  /** Per-node time of the boot that is current when the story starts. */
  bootAt: Record<string, Micros>;
  /** Workloads by `<namespace>/<name>`, so scenarios can roll them out later. */
  specs: Map<string, WorkloadSpec>;
  scale: number;
}

const sysd = (w: World, node: string, unit: Parameters<World['journal']>[1], t: Micros, msg: string): void =>
  w.journal(node, unit, t, (tt) => journalLine(tt + w.node(node).skew, node, 'systemd', 1, msg));

/** Journal lines of a process of a unit at `t` (node-local, skewed clock). */
export function jlog(w: World, node: string, unit: Parameters<World['journal']>[1], ident: string, pid: number, t: Micros, msg: string): void {
  w.journal(node, unit, t, (tt) => journalLine(tt + w.node(node).skew, node, ident, pid, msg));
}

/** A kubelet klog line (skewed clock, kubelet's pid as klog thread id). */
export function klet(w: World, node: string, t: Micros, level: 'I' | 'W' | 'E', src: string, msg: string): void {
  const pid = w.proc(node, 'kubelet', t).pid;
  w.kubelet(node, t, (tt) => klogLine(tt + w.node(node).skew, level, pid, src, msg));
}

/** rke2-server start sequence (systemd + rke2 logrus lines) and kubelet start; returns when the node is Ready. */
export function startRke2(w: World, node: string, t: Micros, rel: ReleaseInfo, firstBoot: boolean): Micros {
  const n = w.node(node);
  const skew = n.skew;
  sysd(w, node, 'rke2-server', t, 'Starting Rancher Kubernetes Engine v2 (server)...');
  const shPid = w.startProc(node, 'rke2', t, rel.kubernetes) - 3;
  const pid = w.proc(node, 'rke2', t).pid;
  jlog(w, node, 'rke2-server', 'sh', shPid, t + 40_000, '+ /usr/bin/systemctl is-enabled --quiet nm-cloud-setup.service');
  const r = (dt: number, level: string, msg: string, fields: [string, string][] = []): void =>
    w.journal(node, 'rke2-server', t + dt, (tt) => journalLine(tt + skew, node, 'rke2', pid, logrusLine(tt + skew, level, msg, fields)));
  r(0.9 * S, 'warning', 'not running in CIS mode');
  r(0.9 * S, 'info', 'Applying Pod Security Admission Configuration');
  r(1.0 * S, 'info', `Starting rke2 ${rel.kubernetes} (${Rng.derive('rke2', rel.kubernetes).hex(40)})`);
  r(1.1 * S, 'info', 'Managed etcd cluster bootstrap already complete and initialized');
  r(1.4 * S, 'info', 'Reconciling bootstrap data between datastore and disk');
  r(2.2 * S, 'info', `Running kube-apiserver --admission-control-config-file=/etc/rancher/rke2/rke2-pss.yaml --advertise-address=${n.def.ip} --allow-privileged=true --anonymous-auth=false --api-audiences=https://kubernetes.default.svc.cluster.local,rke2 --authorization-mode=Node,RBAC --bind-address=0.0.0.0 --cert-dir=/var/lib/rancher/rke2/server/tls/temporary-certs --client-ca-file=/var/lib/rancher/rke2/server/tls/client-ca.crt --egress-selector-config-file=/var/lib/rancher/rke2/server/etc/egress-selector-config.yaml --enable-admission-plugins=NodeRestriction --etcd-servers=https://127.0.0.1:2379 --profiling=false --secure-port=6443 --service-cluster-ip-range=10.53.0.0/16 --tls-cert-file=/var/lib/rancher/rke2/server/tls/serving-kube-apiserver.crt --tls-private-key-file=/var/lib/rancher/rke2/server/tls/serving-kube-apiserver.key`);
  r(2.4 * S, 'info', 'Waiting for API server to become available');
  r(2.6 * S, 'info', `Running kubelet --address=0.0.0.0 --alsologtostderr=false --anonymous-auth=false --authentication-token-webhook=true --authorization-mode=Webhook --cgroup-driver=systemd --client-ca-file=/var/lib/rancher/rke2/agent/client-ca.crt --cloud-provider=external --cluster-dns=10.53.0.10 --cluster-domain=cluster.local --container-runtime-endpoint=unix:///run/k3s/containerd/containerd.sock --containerd=/run/k3s/containerd/containerd.sock --eviction-hard=imagefs.available<5%,nodefs.available<5% --eviction-minimum-reclaim=imagefs.available=10%,nodefs.available=10% --fail-swap-on=false --hostname-override=${node} --kubeconfig=/var/lib/rancher/rke2/agent/kubelet.kubeconfig --log-file=/var/lib/rancher/rke2/agent/logs/kubelet.log --log-file-max-size=50 --logtostderr=false --max-pods=200 --node-ip=${n.def.ip} --node-labels=harvesterhci.io/managed=true --pod-infra-container-image=index.docker.io/rancher/mirrored-pause:3.6 --pod-manifest-path=/var/lib/rancher/rke2/agent/pod-manifests --read-only-port=0 --resolv-conf=/etc/resolv.conf --serialize-image-pulls=false --stderrthreshold=FATAL --tls-cert-file=/var/lib/rancher/rke2/agent/serving-kubelet.crt --tls-private-key-file=/var/lib/rancher/rke2/agent/serving-kubelet.key`);
  r(2.7 * S, 'info', `Connecting to proxy`, [['url', `wss://${n.def.ip}:9345/v1-rke2/connect`]]);
  const kubeletAt = t + 3 * S;
  startKubelet(w, node, kubeletAt, rel, firstBoot);
  r(18 * S, 'info', 'Etcd is running, kube-apiserver is available');
  r(19 * S, 'info', `Labels and annotations have been set successfully on node: ${node}`);
  sysd(w, node, 'rke2-server', t + 21 * S, 'Started Rancher Kubernetes Engine v2 (server).');
  r(24 * S, 'info', 'Tunnel authorizer set Kubelet Port 0.0.0.0:10250');
  for (const peer of NODES.filter((p) => p.name !== node)) r(25 * S, 'info', `Handling backend connection request [${peer.name}]`);
  return t + 40 * S;
}

/** rke2-server stop: systemd leaves the containerd shims (and so the pods) running. */
export function stopRke2(w: World, node: string, t: Micros, shimPids: number): Micros {
  const skew = w.node(node).skew;
  const pid = w.proc(node, 'rke2', t).pid;
  sysd(w, node, 'rke2-server', t, 'Stopping Rancher Kubernetes Engine v2 (server)...');
  w.journal(node, 'rke2-server', t + 30_000, (tt) => journalLine(tt + skew, node, 'rke2', pid, logrusLine(tt + skew, 'info', 'Shutting down /v1, Kind=Node workers')));
  w.journal(node, 'rke2-server', t + 31_000, (tt) => journalLine(tt + skew, node, 'rke2', pid, logrusLine(tt + skew, 'info', 'Shutting down /v1, Kind=Secret workers')));
  w.journal(node, 'rke2-server', t + 33_000, (tt) => journalLine(tt + skew, node, 'rke2', pid, logrusLine(tt + skew, 'info', 'Shutting down apiextensions.k8s.io/v1, Kind=CustomResourceDefinition workers')));
  const end = t + 2 * S + 400_000;
  sysd(w, node, 'rke2-server', end, 'rke2-server.service: Deactivated successfully.');
  for (let i = 0; i < shimPids; i++) sysd(w, node, 'rke2-server', end + 1000, `rke2-server.service: Unit process ${w.node(node).def.pidBase + 3000 + i * 41} (containerd-shim) remains running after unit stopped.`);
  sysd(w, node, 'rke2-server', end + 2000, 'Stopped Rancher Kubernetes Engine v2 (server).');
  const up = (end - w.proc(node, 'rke2', t).start) / US_PER_S;
  const cpu = Math.floor(up * 0.35);
  const span = cpu >= 86400 ? `${Math.floor(cpu / 86400)}d ${Math.floor((cpu % 86400) / 3600)}h ${Math.floor((cpu % 3600) / 60)}min` : `${Math.floor(cpu / 3600)}h ${Math.floor((cpu % 3600) / 60)}min`;
  sysd(w, node, 'rke2-server', end + 3000, `rke2-server.service: Consumed ${span} ${((cpu % 60) + (t % 1000) / 1000).toFixed(3)}s CPU time.`);
  w.stopProc(node, 'rke2', end);
  w.stopProc(node, 'kubelet', end);
  return end + 3 * S;
}

/** kubelet startup klog lines, with the flag-deprecation lines kubelet prints before klog is set up. */
function startKubelet(w: World, node: string, t: Micros, rel: ReleaseInfo, firstBoot: boolean): void {
  w.startProc(node, 'kubelet', t, rel.kubernetes);
  const skew = w.node(node).skew;
  w.kubelet(node, t, () => 'Flag --cloud-provider has been deprecated, will be removed in 1.25 or later, in favor of removing cloud provider code from Kubelet.');
  w.kubelet(node, t, () => 'Flag --containerd has been deprecated, This is a cadvisor flag that was mistakenly registered with the Kubelet. Due to legacy concerns, it will follow the standard CLI deprecation timeline before being removed.');
  w.kubelet(node, t, () => "Flag --pod-infra-container-image has been deprecated, will be removed in a future release. Image garbage collector will get sandbox image information from CRI.");
  const k = (dt: number, src: string, msg: string, level: 'I' | 'W' | 'E' = 'I'): void =>
    w.kubelet(node, t + dt, (tt) => klogLine(tt + skew, level, w.proc(node, 'kubelet', t).pid, src, msg));
  k(20_000, 'server.go:493', `"Kubelet version" kubeletVersion="${rel.kubernetes}"`);
  k(20_300, 'server.go:495', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""');
  k(21_000, 'server.go:954', '"Client rotation is on, will bootstrap in background"');
  k(22_500, 'dynamic_cafile_content.go:161', '"Starting controller" name="client-ca-bundle::/var/lib/rancher/rke2/agent/client-ca.crt"');
  k(60_000, 'server.go:1438', '"Using cgroup driver setting received from the CRI runtime" cgroupDriver="systemd"');
  k(85_000, 'container_manager_linux.go:268', '"Container manager verified user specified cgroup-root exists" cgroupRoot=[]');
  k(88_000, 'kubelet.go:408', '"Attempting to sync node with API server"');
  k(91_000, 'kuberuntime_manager.go:262', `"Container runtime initialized" containerRuntime="containerd" version="${rel.containerd}" apiVersion="v1"`);
  k(120_000, 'server.go:1287', '"Started kubelet"');
  k(130_000, 'volume_manager.go:297', '"Starting Kubelet Volume Manager"');
  if (firstBoot) k(3 * S, 'kubelet_node_status.go:76', `"Attempting to register node" node="${node}"`);
  k(3.2 * S, 'kubelet_node_status.go:79', `"Successfully registered node" node="${node}"`);
  k(4 * S, 'kubelet_node_status.go:497', '"Fast updating node status as it just became ready"');
  nodeEvent(w, node, t + 120_000, 'Starting', 'Starting kubelet.');
  nodeEvent(w, node, t + 900_000, 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
}

/** Boot-time lines of the other units (rancherd, system-agent, iscsid, wicked) and containerd. */
function bootUnits(w: World, node: string, t: Micros, rel: ReleaseInfo): void {
  const agentPid = w.startProc(node, 'agent', t + 2 * S, 'v0.3.11');
  sysd(w, node, 'rancher-system-agent', t + 2 * S, 'Started Rancher System Agent.');
  const a = (dt: number, msg: string): void => jlog(w, node, 'rancher-system-agent', 'rancher-system-agent', agentPid, t + dt, logrusLine(t + dt + w.node(node).skew, 'info', msg));
  a(2.3 * S, `Rancher System Agent version v0.3.11 (${rel.rancher === 'v2.11.0' ? 'c4d2c8a' : '2ab4a1c'}) is starting`);
  a(2.3 * S, 'Using directory /var/lib/rancher/agent/work for work');
  a(2.3 * S, 'Starting remote watch of plans');
  a(2.9 * S, 'Starting /v1, Kind=Secret controller');
  const rdPid = w.startProc(node, 'rancherd', t + 1 * S, 'v0.6.0');
  sysd(w, node, 'rancherd', t + 1 * S, 'Started Rancher Bootstrap.');
  jlog(w, node, 'rancherd', 'rancherd', rdPid, t + 1.4 * S, logrusLine(t + 1.4 * S + w.node(node).skew, 'info', `Bootstrapping Rancher (${rel.rancher}/${rel.kubernetes})`));
  jlog(w, node, 'rancherd', 'rancherd', rdPid, t + 1.5 * S, logrusLine(t + 1.5 * S + w.node(node).skew, 'info', 'System is already bootstrapped. To force the system to be bootstrapped again run with the --force flag'));
  sysd(w, node, 'rancherd', t + 1.6 * S, 'rancherd.service: Deactivated successfully.');
  const isPid = w.startProc(node, 'iscsid', t, '2.1.9');
  sysd(w, node, 'iscsid', t - 2 * S, 'Starting Open-iSCSI...');
  sysd(w, node, 'iscsid', t - 1.8 * S, 'Started Open-iSCSI.');
  jlog(w, node, 'iscsid', 'iscsid', isPid, t - 1.7 * S, 'iSCSI daemon with pid=' + isPid + ' started!');
  const wkPid = w.startProc(node, 'wicked', t - 6 * S, '0.6.76');
  sysd(w, node, 'wicked', t - 6 * S, 'Starting wicked managed network interfaces...');
  jlog(w, node, 'wicked', 'wicked', wkPid, t - 3 * S, 'lo              up');
  jlog(w, node, 'wicked', 'wicked', wkPid, t - 3 * S, 'eno1            enslaved');
  jlog(w, node, 'wicked', 'wicked', wkPid, t - 3 * S, 'eno2            enslaved');
  jlog(w, node, 'wicked', 'wicked', wkPid, t - 3 * S, 'mgmt-bo         enslaved');
  jlog(w, node, 'wicked', 'wicked', wkPid, t - 3 * S, 'mgmt-br         up');
  sysd(w, node, 'wicked', t - 2.9 * S, 'Finished wicked managed network interfaces.');
  w.startProc(node, 'containerd', t + 2 * S, rel.containerd);
}

/** Everything that happens when a node boots: kernel boot, units, RKE2 and kubelet. Returns when Ready. */
export function bootNode(w: World, node: string, t: Micros, rel: ReleaseInfo, firstBoot: boolean, kernelBoot: (w: World, node: string, t: Micros, rel: ReleaseInfo) => void): Micros {
  w.boot(node, t, rel.kernel);
  kernelBoot(w, node, t, rel);
  bootUnits(w, node, t + 35 * S, rel);
  return startRke2(w, node, t + 45 * S, rel, firstBoot);
}

export interface PlacementOptions {
  /** Node each VM runs on at the story start; `null` for VMs that are not running. */
  vmNode: (vm: VmDef, index: number) => string | null;
  /** When the VMs were (last) started, before the story window. */
  vmStartedAt: Micros;
}

/** Starts the whole cluster before the story: boots, control plane, workloads, instance managers, VMs. */
export function bootstrapCluster(
  w: World,
  rel: ReleaseInfo,
  bootAt: Record<string, Micros>,
  vms: readonly VmDef[],
  placement: PlacementOptions,
  kernelBoot: (w: World, node: string, t: Micros, rel: ReleaseInfo) => void,
  scale: number,
): Bootstrap {
  const specs = new Map<string, WorkloadSpec>();
  const ready: Record<string, Micros> = {};
  for (const n of NODES) ready[n.name] = bootNode(w, n.name, bootAt[n.name], rel, false, kernelBoot);
  const nodes = NODES.map((n) => n.name);
  for (const spec of staticWorkloads(rel)) {
    w.register(spec);
    specs.set(`${spec.namespace}/${spec.name}`, spec);
    for (const node of nodes) w.startPod(spec, node, ready[node] - 30 * S);
  }
  const all = [...rke2ChartWorkloads(rel), ...harvesterWorkloads(rel), ...longhornWorkloads(rel), ...cattleWorkloads(rel), ...monitoringWorkloads(rel)];
  let rr = 0;
  for (const spec of all) {
    w.register(spec);
    specs.set(`${spec.namespace}/${spec.name}`, spec);
    if (spec.kind === 'daemonset') for (const node of nodes) w.startPod(spec, node, ready[node]);
    else {
      for (let i = 0; i < (spec.replicas ?? 1); i++) {
        const node = nodes[rr++ % nodes.length];
        w.startPod(spec, node, ready[node] + 60 * S, { index: i });
      }
    }
  }
  for (const node of nodes) {
    const im = instanceManagerSpec(rel, imName(node, rel));
    w.register(im);
    w.startPod(im, node, ready[node] + 30 * S);
  }
  const launcher = images(rel).virtLauncher;
  vms.forEach((def, i) => {
    const vm = w.addVm(def);
    const node = placement.vmNode(def, i);
    if (node) w.vmStart(vm, node, placement.vmStartedAt + Math.floor((i * 7 * S) / scale), launcher);
  });
  return { w, rel, bootAt, specs, scale };
}

/** An event about a Node (kubelet's node reference carries the node name as UID). */
export function nodeEvent(w: World, node: string, t: Micros, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal', component = 'kubelet'): void {
  w.event({ namespace: 'default', involved: { kind: 'Node', name: node, namespace: null, uid: node, apiVersion: 'v1' }, reason, message, type, source: component === 'kubelet' ? { component, host: node } : { component }, first: t });
}

/** Live pods of a workload at `t`, in a stable order. */
export const podsOf = (w: World, namespace: string, workload: string, t: Micros): Pod[] =>
  w.livePods(t, (p) => p.namespace === namespace && p.workload === workload).sort((a, b) => (a.name < b.name ? -1 : 1));

export const running = (w: World): VmState[] => [...w.vms.values()].filter((v) => w.currentRun(v) !== null);
