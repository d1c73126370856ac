/**
 * Background lines of every container kind: startup banners and the routine reconcile/probe/warning
 * traffic real components write, in each component's own format. `scale` makes the routines denser.
 */
import { EXTERNAL_RANCHER, fleetScale } from './cluster.js';
import type { Micros } from './line-formats.js';
import {
  containerdLine,
  journalLine,
  klogLine,
  kubevirtLine,
  logrusCallerLine,
  logrusLine,
  promLine,
  rancherLine,
  US_PER_H,
  US_PER_MIN,
  US_PER_S,
  zapLine,
} from './line-formats.js';
import type { Line } from './log-stream.js';
import { mergeLines, periodic } from './log-stream.js';
import { Rng } from './prng.js';
import type { Container, Pod, World } from './world.js';

const S = US_PER_S;
const MIN = US_PER_MIN;
const H = US_PER_H;

export interface NoiseCtx {
  w: World;
  pod: Pod;
  container: Container;
  rng: Rng;
  scale: number;
}

type Make = (t: Micros, ctx: NoiseCtx, tick: number) => string | readonly string[] | null;

interface Profile {
  /** How far back a container's current log reaches before kubelet rotation (10 MiB) cut it. */
  retention: Micros;
  /** Lines at container start (only when the start is inside the retained window). */
  startup?: (t: Micros, ctx: NoiseCtx) => readonly (readonly [Micros, string])[];
  routines: readonly { every: Micros; make: Make }[];
}

const lr = (t: Micros, level: string, msg: string, fields: [string, string][] = []): string => logrusLine(t, level, msg, fields);
const kl = (t: Micros, level: 'I' | 'W' | 'E', tid: number, src: string, msg: string): string => klogLine(t, level, tid, src, msg);
const kvh = (t: Micros, component: string, pos: string, msg: string, extra: Record<string, string> = {}): string =>
  kubevirtLine(t, { component, level: 'info', msg, pos, ...extra });
const pick = <T>(ctx: NoiseCtx, xs: readonly T[]): T => ctx.rng.pick(xs);
const nodeIp = (c: NoiseCtx): string => c.w.node(c.pod.node).def.ip;
/** `v1.32.3+rke2r1` from `…/hardened-kubernetes:v1.32.3-rke2r1-build20250312`. */
const imageVersion = (c: NoiseCtx): string => (c.container.image.split(':')[1] ?? '').replace(/-build\d+$/, '').replace(/-rke2r/, '+rke2r');
/** A launcher pod running on the context pod's node at `t`, or null (the node's launchers are listed once). */
const launchersCache = new WeakMap<NoiseCtx, Pod[]>();
function vmOnNode(ctx: NoiseCtx, t: Micros): Pod | null {
  let pods = launchersCache.get(ctx);
  if (!pods) launchersCache.set(ctx, (pods = ctx.w.pods.filter((p) => p.kind === 'vm' && p.node === ctx.pod.node)));
  for (let i = 0; i < 4 && pods.length; i++) {
    const p = ctx.rng.pick(pods);
    if (p.createdAt <= t && (p.deletedAt === null || p.deletedAt > t)) return p;
  }
  return null;
}

const wranglerStart = (kinds: readonly string[]) => (t: Micros): [Micros, string][] =>
  kinds.map((k, i) => [i * 1200, lr(t + i * 1200, 'info', `Starting ${k} controller`)] as [Micros, string]);

const PROFILES: Record<string, Profile> = {
  none: { retention: 0, routines: [] },
  sleep: { retention: 0, routines: [] },
  harvester: {
    retention: 30 * H,
    startup: wranglerStart(['harvesterhci.io/v1beta1, Kind=Setting', 'harvesterhci.io/v1beta1, Kind=Upgrade', 'harvesterhci.io/v1beta1, Kind=VirtualMachineImage', 'kubevirt.io/v1, Kind=VirtualMachine', 'kubevirt.io/v1, Kind=VirtualMachineInstance', '/v1, Kind=Node', 'batch/v1, Kind=Job', 'longhorn.io/v1beta2, Kind=Volume', 'harvesterhci.io/v1beta1, Kind=UpgradeLog']),
    routines: [
      { every: 7 * MIN, make: (t) => kl(t, 'W', 7, 'warnings.go:70', 'kubevirt.io/v1 VirtualMachineInstancePresets is now deprecated and will be removed in v2.') },
      { every: 23 * MIN, make: (t, c) => { const vm = vmOnNode(c, t); return vm ? lr(t, 'info', 'Update VM network status', [['namespace', vm.namespace], ['name', vm.ownerName!]]) : null; } },
      { every: 41 * MIN, make: (t) => kl(t, 'W', 7, 'reflector.go:561', 'k8s.io/client-go@v0.32.3/tools/cache/reflector.go:251: watch of *v1.ConfigMap ended with: an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding') },
    ],
  },
  'harvester-webhook': {
    retention: 30 * H,
    startup: (t) => [[0, lr(t, 'info', 'Starting harvester-webhook')], [800_000, lr(t + 800_000, 'info', 'Active TLS secret harvester-system/harvester-webhook-tls (ver=1854211) (count 1): map[listener.cattle.io/cn-harvester-webhook.harvester-system.svc:harvester-webhook.harvester-system.svc listener.cattle.io/fingerprint:SHA1=3D7A1C2F9B0E44A1C6F8B2D3E9A0C5B7F1D4E6A8]')], [1.2 * S, lr(t + 1.2 * S, 'info', 'Listening on :9443')]],
    routines: [{ every: 15 * MIN, make: (t) => kl(t, 'W', 1, 'warnings.go:70', 'kubevirt.io/v1 VirtualMachineInstancePresets is now deprecated and will be removed in v2.') }],
  },
  'harvester-lb': { retention: 30 * H, routines: [{ every: 45 * MIN, make: (t) => lr(t, 'info', 'reconcile ippool', [['name', 'default']]) }] },
  'harvester-network': { retention: 30 * H, routines: [{ every: 20 * MIN, make: (t, c) => lr(t, 'info', 'update node network', [['node', c.pod.node]]) }] },
  'node-manager': { retention: 30 * H, routines: [{ every: 30 * MIN, make: (t, c) => lr(t, 'info', 'Syncing node config', [['node', c.pod.node]]) }] },
  'node-disk-manager': { retention: 30 * H, routines: [{ every: 25 * MIN, make: (t) => lr(t, 'info', 'Start scanning block devices') }] },
  pcidevices: { retention: 30 * H, routines: [{ every: 30 * S, make: (t, c) => lr(t, 'info', 'Reconciling PCI Devices list', [['node', c.pod.node]]) }] },
  'kube-vip': { retention: 30 * H, startup: (t) => [[0, lr(t, 'info', 'Starting kube-vip.io [v0.8.7]')], [200_000, lr(t + 200_000, 'info', 'namespace [harvester-system], Mode: [ARP], Features(s): Control Plane:[false], Services:[true]')], [900_000, lr(t + 900_000, 'info', 'Starting Kube-vip Manager with the ARP engine')]], routines: [{ every: 40 * MIN, make: (t) => lr(t, 'info', '[endpoint] watching services for changes') }] },
  'virt-api': {
    retention: 30 * H,
    routines: [{ every: 2 * MIN, make: (t) => kvh(t, 'virt-api', 'filter.go:311', 'http: TLS handshake error from 10.52.0.1:51472: EOF') }],
  },
  'virt-controller': {
    retention: 30 * H,
    startup: (t) => [[0, kvh(t, 'virt-controller', 'application.go:490', 'Starting virt-controller')], [2 * S, kvh(t + 2 * S, 'virt-controller', 'application.go:606', 'Attempting to acquire leader status')]],
    routines: [{ every: 6 * MIN, make: (t) => kvh(t, 'virt-controller', 'node.go:124', 'Checking nodes for unresponsive virt-handler pods') }],
  },
  'virt-operator': {
    retention: 30 * H,
    routines: [{ every: 5 * MIN, make: (t) => kvh(t, 'virt-operator', 'kubevirt.go:828', 'Reconcile loop with all resources and their versions checked') }],
  },
  'virt-handler': {
    retention: 30 * H,
    startup: (t) => [[0, kvh(t, 'virt-handler', 'virt-handler.go:239', 'set verbosity to 2')], [1 * S, kvh(t + 1 * S, 'virt-handler', 'vm.go:1752', 'Starting virt-handler controller.')], [1.5 * S, kvh(t + 1.5 * S, 'virt-handler', 'cache.go:511', 'Starting domain informer')]],
    routines: [
      { every: 3 * MIN, make: (t, c) => { const vm = vmOnNode(c, t); return vm ? kvh(t, 'virt-handler', 'vm.go:1992', 'VMI is in phase: Running | Domain status: Running, reason: Unknown', { kind: 'VirtualMachineInstance', name: vm.ownerName!, namespace: vm.namespace, uid: vm.labels['kubevirt.io/created-by'] }) : null; } },
      { every: 17 * MIN, make: (t) => kvh(t, 'virt-handler', 'heartbeat.go:110', 'Heartbeat sent') },
    ],
  },
  'virt-launcher': {
    retention: 72 * H,
    routines: [
      { every: 37 * MIN, make: (t, c) => kvh(t, 'virt-launcher', 'server.go:263', 'Synced vmi', { kind: 'VirtualMachineInstance', name: c.pod.ownerName ?? '', namespace: c.pod.namespace, uid: c.pod.labels['kubevirt.io/created-by'] ?? '' }) },
      { every: 2 * H, make: (t) => kvh(t, 'virt-launcher', 'agent_poller.go:329', 'Guest agent version changed to 6.2.0') },
    ],
  },
  'guest-console-log': { retention: 0, routines: [] },
  'longhorn-manager': {
    retention: 30 * H,
    startup: (t, c) => [
      [0, logrusCallerLine(t, 'info', 'Starting longhorn manager', 'main.(*cliApp).startManager', 'daemon.go:104', [['node', c.pod.node]])],
      [2 * S, logrusCallerLine(t + 2 * S, 'info', 'Starting Longhorn Volume controller', 'controller.(*VolumeController).Run', 'volume_controller.go:212', [['controller', 'longhorn-volume'], ['node', c.pod.node]])],
      [2.2 * S, logrusCallerLine(t + 2.2 * S, 'info', 'Starting Longhorn instance manager controller', 'controller.(*InstanceManagerController).Run', 'instance_manager_controller.go:183', [['controller', 'longhorn-instance-manager'], ['node', c.pod.node]])],
    ],
    routines: [
      { every: 10 * MIN, make: (t, c) => logrusCallerLine(t, 'info', 'Cleaning up the orphaned or stale replica instances', 'controller.(*NodeController).syncOrphans', 'node_controller.go:1540', [['controller', 'longhorn-node'], ['node', c.pod.node]]) },
      { every: 30 * MIN, make: (t) => kl(t, 'W', 1, 'warnings.go:70', 'unknown field "status.ownerID"') },
    ],
  },
  'instance-manager': {
    retention: 30 * H,
    startup: (t) => [[0, 'tgtd: work_timer_start(146) use timer_fd based scheduler'], [30_000, 'tgtd: bs_init(387) use signalfd notification'], [200_000, lr(t + 200_000, 'info', 'Storing process logs at path: /var/log/instances')], [300_000, `[longhorn-instance-manager] ${lr(t + 300_000, 'info', 'Creating gRPC server with no auth')}`], [400_000, `[longhorn-instance-manager] ${lr(t + 400_000, 'info', 'Instance Manager proxy gRPC server listening to 0.0.0.0:8501')}`]],
    routines: [{ every: 12 * MIN, make: (t) => `[longhorn-instance-manager] ${lr(t, 'info', 'Process Manager: start getting logs for process')}` }],
  },
  'csi-sidecar': {
    retention: 30 * H,
    routines: [{ every: 20 * MIN, make: (t) => kl(t, 'I', 1, 'leaderelection.go:281', 'successfully renewed lease longhorn-system/external-attacher-leader-driver-longhorn-io') }],
  },
  'csi-registrar': { retention: 30 * H, startup: (t) => [[0, kl(t, 'I', 1, 'main.go:150', 'Version: v2.13.0')], [300_000, kl(t + 300_000, 'I', 1, 'node_register.go:56', 'Starting Registration Server at: /registration/driver.longhorn.io-reg.sock')], [900_000, kl(t + 900_000, 'I', 1, 'main.go:90', 'Received GetInfo call: &InfoRequest{}')]], routines: [] },
  'csi-liveness': { retention: 30 * H, routines: [] },
  'longhorn-csi-plugin': { retention: 30 * H, routines: [{ every: 45 * MIN, make: (t) => lr(t, 'info', 'NodeGetCapabilities: req: {}') }] },
  'engine-image': { retention: 30 * H, startup: (t) => [[0, `${lr(t, 'info', 'Engine image is ready')}`]], routines: [] },
  'driver-deployer': { retention: 30 * H, startup: (t) => [[0, lr(t, 'info', 'Deploying CSI driver')], [20 * S, lr(t + 20 * S, 'info', 'CSI deployment done')]], routines: [] },
  'longhorn-ui': { retention: 30 * H, routines: [{ every: 30 * MIN, make: (t) => `10.52.0.1 - - [${nginxStamp(t)}] "GET / HTTP/1.1" 200 915 "-" "kube-probe/1.32"` }] },
  rancher: {
    retention: 8 * H,
    startup: (t, c) => [[0, rancherLine(t, 'INFO', `Rancher version ${c.container.image.split(':')[1]} (${c.container.image.endsWith('v2.11.0') ? '8d2c4f3' : 'c2ba1a1'}) is starting`)], [300_000, rancherLine(t + 300_000, 'INFO', 'Listening on /tmp/log.sock')], [4 * S, rancherLine(t + 4 * S, 'INFO', 'Waiting for k3s to start')], [9 * S, rancherLine(t + 9 * S, 'INFO', `Running in clustered mode with ID ${c.pod.ip}, monitoring endpoint cattle-system/rancher`)]],
    routines: [
      { every: 5 * MIN, make: (t, c) => rancherLine(t, 'INFO', `${c.rng.chance(0.5) ? 'Watching' : 'Stopping'} metadata ${c.rng.chance(0.5) ? 'for' : 'watch on'} ${pick(c, ['rbac.authorization.k8s.io/v1, Kind=ClusterRole', 'apiextensions.k8s.io/v1, Kind=CustomResourceDefinition', 'admissionregistration.k8s.io/v1, Kind=MutatingWebhookConfiguration', 'management.cattle.io/v3, Kind=Setting'])}`) },
      { every: 11 * MIN, make: (t) => rancherLine(t, 'ERROR', "error syncing 'local/default-token': handler cluster-registration-token: Operation cannot be fulfilled on clusterregistrationtokens.management.cattle.io \"default-token\": the object has been modified; please apply your changes to the latest version and try again, requeuing") },
      { every: 3 * MIN, make: (t) => kl(t, 'W', 33, 'warnings.go:70', 'cluster.x-k8s.io/v1beta1 MachineSet is deprecated; use cluster.x-k8s.io/v1beta2 MachineSet instead') },
    ],
  },
  'rancher-webhook': { retention: 30 * H, routines: [{ every: 20 * MIN, make: (t) => lr(t, 'info', 'Sleeping for 1 hour then will check for expired certificates') }] },
  'cattle-cluster-agent': {
    retention: 30 * H,
    startup: (t, c) => [[0, `INFO: Environment: CATTLE_ADDRESS=${c.pod.ip} CATTLE_CA_CHECKSUM= CATTLE_CLUSTER=true CATTLE_CLUSTER_AGENT_PORT=tcp://10.53.63.44:80 CATTLE_FEATURES=embedded-cluster-api=false,fleet=false,multi-cluster-management=false,multi-cluster-management-agent=true,provisioningv2=false,rke2=false CATTLE_INTERNAL_ADDRESS= CATTLE_IS_RKE=false CATTLE_K8S_MANAGED=true CATTLE_NODE_NAME=${c.pod.name} CATTLE_SERVER=${EXTERNAL_RANCHER.url}`], [200_000, 'INFO: Using resolv.conf: search cattle-system.svc.cluster.local svc.cluster.local cluster.local nameserver 10.53.0.10 options ndots:5'], [1 * S, `time="${new Date(t / 1000 + 1000).toISOString().slice(0, 19)}Z" level=info msg="Rancher agent version ${EXTERNAL_RANCHER.version} is starting"`]],
    routines: [{ every: 30 * MIN, make: (t) => lr(t, 'info', 'Watching metadata for management.cattle.io/v3, Kind=Setting') }],
  },
  suc: { retention: 30 * H, routines: [{ every: 15 * MIN, make: (t) => lr(t, 'info', 'Watching plans in namespace cattle-system') }] },
  'fleet-controller': { retention: 30 * H, routines: [{ every: 4 * MIN, make: (t) => zapLine(t, 'info', { logger: 'bundle' }, 'Reconciling bundle, checking targets, calculating changes, building objects', { namespace: 'fleet-local', name: pick2(t, ['mcc-harvester', 'mcc-harvester-crd', 'mcc-rancher-monitoring', 'mcc-rancher-monitoring-crd', 'fleet-agent-local']) }) }] },
  'fleet-cleanup': { retention: 30 * H, startup: (t) => [[0, zapLine(t, 'info', { logger: 'setup' }, 'starting cleanup controller')]], routines: [] },
  'fleet-agentmanagement': { retention: 30 * H, routines: [{ every: 15 * MIN, make: (t) => zapLine(t, 'info', { logger: 'agentmanagement' }, 'Checking fleet-agent', { cluster: 'fleet-local/local' }) }] },
  gitjob: { retention: 30 * H, startup: (t) => [[0, zapLine(t, 'info', { logger: 'setup' }, 'starting gitjob controller', { version: 'v0.12.0' })], [800_000, zapLine(t + 800_000, 'info', {}, 'Starting EventSource', { controller: 'gitjob', controllerGroup: 'fleet.cattle.io', controllerKind: 'GitRepo' })]], routines: [] },
  'fleet-agent': { retention: 30 * H, routines: [{ every: 5 * MIN, make: (t) => zapLine(t, 'info', { logger: 'bundledeployment.deploy-bundle' }, 'Deploying bundle', { bundledeployment: pick2(t, ['cluster-fleet-local-local-1a3d67d0a899/mcc-harvester', 'cluster-fleet-local-local-1a3d67d0a899/mcc-rancher-monitoring']) }) }] },
  capi: { retention: 30 * H, routines: [{ every: 10 * MIN, make: (t) => kl(t, 'I', 1, 'machineset_controller.go:187', '"Reconciling" controller="machineset" controllerGroup="cluster.x-k8s.io" controllerKind="MachineSet"') }] },
  prometheus: {
    retention: 30 * H,
    routines: [
      { every: 2 * H, make: (t) => promLine(t, 'compact.go:576', 'info', 'write block', [['mint', String(Math.floor(t / 1000) - 7200000)], ['maxt', String(Math.floor(t / 1000))], ['ulid', new Rng(t).hex(26).toUpperCase()], ['duration', '1.814s'], ['ooo', 'false']], 'tsdb') },
      { every: 2 * H, make: (t) => promLine(t + 2 * S, 'head.go:1355', 'info', 'Head GC completed', [['caller', 'truncateMemory'], ['duration', '71.551ms']], 'tsdb') },
    ],
  },
  'config-reloader': { retention: 30 * H, startup: (t) => [[0, `level=info ts=${new Date(t / 1000).toISOString()} caller=main.go:151 msg="Starting prometheus-config-reloader" version="(version=0.75.2, branch=refs/tags/v0.75.2, revision=5c8e5a7a)"`]], routines: [] },
  alertmanager: { retention: 30 * H, routines: [{ every: 15 * MIN, make: (t) => promLine(t, 'dispatch.go:353', 'info', 'Notify success', [['receiver', 'null'], ['integration', 'webhook[0]']], 'dispatcher') }] },
  grafana: { retention: 30 * H, routines: [{ every: 10 * MIN, make: (t) => `logger=cleanup t=${new Date(t / 1000).toISOString()} level=info msg="Completed cleanup jobs" duration=18.27ms` }] },
  'prometheus-operator': { retention: 30 * H, routines: [{ every: 8 * MIN, make: (t) => `level=info ts=${new Date(t / 1000).toISOString()} caller=operator.go:823 component=prometheus-controller key=cattle-monitoring-system/rancher-monitoring-prometheus msg="sync prometheus"` }] },
  'kube-state-metrics': { retention: 30 * H, routines: [] },
  'node-exporter': { retention: 30 * H, startup: (t) => [[0, `ts=${new Date(t / 1000).toISOString()} caller=node_exporter.go:193 level=info msg="Starting node_exporter" version="(version=1.8.1, branch=HEAD, revision=400c3979931613db930ea035f39ce7b377cdbb5b)"`]], routines: [] },
  etcd: {
    retention: 12 * H,
    startup: (t, c) => [
      [0, zapLine(t, 'info', { caller: 'embed/etcd.go:128' }, 'configuring peer listeners', { 'listen-peer-urls': `https://127.0.0.1:2380,https://${nodeIp(c)}:2380` })],
      [40_000, zapLine(t + 40_000, 'info', { caller: 'embed/etcd.go:311' }, 'starting an etcd server', { 'etcd-version': '3.5.19', 'git-sha': 'Not provided (use ./build instead of go build)', 'go-version': 'go1.23.6', 'go-os': 'linux', 'go-arch': 'amd64', name: `${c.pod.node}-${Rng.derive('etcd', c.pod.node).hex(8)}`, 'data-dir': '/var/lib/rancher/rke2/server/db/etcd' })],
      [2.4 * S, zapLine(t + 2.4 * S, 'info', { caller: 'etcdserver/server.go:2068' }, 'published local member to cluster through raft', { 'request-path': '/0/members/6c2c0ae4d8f8e1c1/attributes' })],
    ],
    routines: [
      { every: 5 * MIN, make: (t, c) => zapLine(t, 'info', { caller: 'mvcc/index.go:214' }, 'compact tree index', { revision: 31_000_000 + Math.floor((t - c.pod.createdAt) / 3e8) }) },
      { every: 5 * MIN, make: (t) => zapLine(t + 90_000, 'info', { caller: 'mvcc/kvstore_compaction.go:69' }, 'finished scheduled compaction', { 'compact-revision': 31_000_000 + Math.floor(t / 3e12), took: '61.322411ms', hash: 2836529142, 'current-db-size-bytes': 214925312, 'current-db-size': '215 MB', 'current-db-size-in-use-bytes': 98045952, 'current-db-size-in-use': '98 MB' }) },
      { every: 13 * MIN, make: (t) => zapLine(t, 'warn', { caller: 'etcdserver/util.go:170' }, 'apply request took too long', { took: '142.801ms', expected_duration: '100ms', prefix: 'read-only range ', request: 'key:"/registry/longhorn.io/volumes/longhorn-system/" range_end:"/registry/longhorn.io/volumes/longhorn-system0" ', response: 'range_response_count:63 size:412733' }) },
    ],
  },
  'kube-apiserver': {
    retention: 6 * H,
    startup: (t, c) => [
      [0, kl(t, 'I', 1, 'options.go:238', `external host was not specified, using ${nodeIp(c)}`)],
      [3000, kl(t + 3000, 'I', 1, 'server.go:152', `Version: ${imageVersion(c)}`)],
      [3300, kl(t + 3300, 'I', 1, 'server.go:154', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""')],
      [2.1 * S, kl(t + 2.1 * S, 'I', 1, 'secure_serving.go:213', 'Serving securely on [::]:6443')],
    ],
    routines: [
      { every: 4 * MIN, make: (t) => kl(t, 'W', 1, 'watcher.go:338', 'watch chan error: etcdserver: mvcc: required revision has been compacted') },
      { every: 9 * MIN, make: (t) => kl(t, 'I', 1, 'controller.go:615', 'quota admission added evaluator for: leases.coordination.k8s.io') },
      { every: 23 * MIN, make: (t) => kl(t, 'I', 1, 'cidrallocator.go:277', '"updated ClusterIP allocator for Service CIDR" CIDR="10.53.0.0/16"') },
    ],
  },
  'kube-controller-manager': { retention: 12 * H, startup: (t, c) => [[0, kl(t, 'I', 1, 'serving.go:386', 'Generated self-signed cert in-memory')], [900_000, kl(t + 900_000, 'I', 1, 'controllermanager.go:185', `"Starting" version="${imageVersion(c)}"`)], [1.2 * S, kl(t + 1.2 * S, 'I', 1, 'leaderelection.go:257', 'attempting to acquire leader lease kube-system/kube-controller-manager...')]], routines: [{ every: 9 * MIN, make: (t) => kl(t, 'I', 1, 'replica_set.go:679', '"Finished syncing" logger="replicaset-controller" kind="ReplicaSet" key="cattle-system/rancher-7b7c9d6c58" duration="112.104µs"') }] },
  'kube-scheduler': { retention: 12 * H, startup: (t, c) => [[0, kl(t, 'I', 1, 'serving.go:386', 'Generated self-signed cert in-memory')], [800_000, kl(t + 800_000, 'I', 1, 'server.go:166', `"Starting Kubernetes Scheduler" version="${imageVersion(c)}"`)], [1.1 * S, kl(t + 1.1 * S, 'I', 1, 'leaderelection.go:257', 'attempting to acquire leader lease kube-system/kube-scheduler...')]], routines: [{ every: 30 * MIN, make: (t) => kl(t, 'I', 1, 'leaderelection.go:271', 'successfully renewed lease kube-system/kube-scheduler') }] },
  'kube-proxy': { retention: 12 * H, startup: (t, c) => [[0, kl(t, 'I', 1, 'server_linux.go:66', '"Using iptables proxy"')], [150_000, kl(t + 150_000, 'I', 1, 'server.go:698', `"Successfully retrieved node IP(s)" IPs=["${nodeIp(c)}"]`)], [900_000, kl(t + 900_000, 'I', 1, 'shared_informer.go:313', 'Waiting for caches to sync for service config')], [1.3 * S, kl(t + 1.3 * S, 'I', 1, 'shared_informer.go:320', 'Caches are synced for service config')]], routines: [{ every: 40 * MIN, make: (t) => kl(t, 'I', 1, 'proxier.go:805', '"SyncProxyRules complete" elapsed="63.227915ms"') }] },
  'cloud-controller-manager': { retention: 12 * H, startup: (t) => [[0, kl(t, 'I', 1, 'serving.go:380', 'Generated self-signed cert in-memory')], [700_000, kl(t + 700_000, 'I', 1, 'controllermanager.go:169', 'Version: v0.2.9')], [1.4 * S, kl(t + 1.4 * S, 'I', 1, 'leaderelection.go:257', 'attempting to acquire leader lease kube-system/cloud-controller-manager...')]], routines: [{ every: 30 * MIN, make: (t, c) => kl(t, 'I', 1, 'node_controller.go:431', `"Initializing node" node="${c.pod.node}"`) }] },
  'calico-node': { retention: 24 * H, routines: [{ every: 90 * S, make: (t) => `${new Date(t / 1000).toISOString().replace('T', ' ').replace('Z', '').slice(0, 23)} [INFO][73] felix/summary.go 100: Summarising 12 dataplane reconciliation loops over 1m30s: avg=4ms longest=21ms (resync-nat-v4)` }] },
  'kube-flannel': { retention: 24 * H, startup: (t) => [[0, kl(t, 'I', 1, 'main.go:212', 'CLI flags config: {etcdEndpoints:http://127.0.0.1:4001,http://127.0.0.1:2379 etcdPrefix:/coreos.com/network etcdKeyfile: etcdCertfile: etcdCAFile: etcdUsername: etcdPassword: version:false kubeSubnetMgr:true kubeApiUrl: kubeAnnotationPrefix:flannel.alpha.coreos.com kubeConfigFile: iface:[] ifaceRegex:[] ipMasq:false ifaceCanReach: subnetFile:/run/flannel/subnet.env publicIP: publicIPv6: subnetLeaseRenewMargin:60 healthzIP:0.0.0.0 healthzPort:0 iptablesResyncSeconds:5 iptablesForwardRules:true netConfPath:/etc/kube-flannel/net-conf.json setNodeNetworkUnavailable:true}')], [400_000, kl(t + 400_000, 'I', 1, 'kube.go:139', 'Waiting 10m0s for node controller to sync')], [500_000, kl(t + 500_000, 'I', 1, 'kube.go:469', 'Starting kube subnet manager')]], routines: [] },
  coredns: { retention: 72 * H, startup: () => [[0, '.:53'], [1000, '[INFO] plugin/reload: Running configuration SHA512 = 7a5e4f1c0b1e6d7c9f3a2b8d4e6f0a1c3b5d7e9f'], [2000, 'CoreDNS-1.12.0'], [3000, 'linux/amd64, go1.23.3 X:boringcrypto, 51e11f166']], routines: [] },
  'kube-multus': { retention: 72 * H, startup: (t) => [[0, `${new Date(t / 1000).toISOString().slice(0, 19)}+00:00 Generating Multus configuration file using files in /host/etc/cni/net.d...`], [2 * S, `${new Date(t / 1000 + 2000).toISOString().slice(0, 19)}+00:00 Attempting to find master plugin configuration, attempt 0`]], routines: [] },
  'metrics-server': { retention: 30 * H, startup: (t) => [[0, kl(t, 'I', 1, 'serving.go:374', 'Generated self-signed cert (/tmp/apiserver.crt, /tmp/apiserver.key)')], [1.2 * S, kl(t + 1.2 * S, 'I', 1, 'handler.go:275', 'Adding GroupVersion metrics.k8s.io v1beta1 to ResourceManager')], [1.5 * S, kl(t + 1.5 * S, 'I', 1, 'secure_serving.go:213', 'Serving securely on [::]:10250')]], routines: [] },
  'ingress-nginx': { retention: 24 * H, routines: [{ every: 25 * MIN, make: (t) => kl(t, 'I', 7, 'store.go:440', '"Found valid IngressClass" ingress="cattle-system/rancher-expose" ingressclass="nginx"') }] },
};

/** The noise profile of a container (falls back to a quiet one for unknown names). */
const profileOf = (name: string): Profile => PROFILES[name] ?? PROFILES.none;

/** Background lines of one container run inside [from, to). */
export function containerNoise(ctx: NoiseCtx, runStart: Micros, from: Micros, to: Micros): Iterable<Line> {
  const profile = profileOf(ctx.container.profile);
  const start = Math.max(from, to - profile.retention, runStart);
  const sources: Iterable<Line>[] = [];
  if (profile.startup && runStart >= from && runStart >= to - profile.retention && runStart < to) {
    sources.push(profile.startup(runStart, ctx).map(([dt, text]) => ({ t: runStart + dt, text })).filter((l) => l.t < to));
  }
  profile.routines.forEach((r, i) => {
    sources.push(
      periodic({
        from: start,
        to,
        // More VMs already mean more launchers, so launchers get denser only past the fleet's growth.
        every: Math.max(Math.floor(r.every / (ctx.pod.kind === 'vm' ? ctx.scale / fleetScale(ctx.scale) : ctx.scale)), 50_000),
        rng: Rng.derive(`${ctx.rng.next()}`, `${i}`),
        make: (t, tick) => {
          const out = r.make(t, ctx, tick);
          if (out === null) return null;
          const arr = typeof out === 'string' ? [out] : out;
          return arr.map((text, j) => [j * 700, text] as const);
        },
      }),
    );
  });
  return mergeLines(sources);
}

function nginxStamp(t: Micros): string {
  const d = new Date(Math.floor(t / 1000));
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${String(d.getUTCDate()).padStart(2, '0')}/${mon}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`;
}

const pick2 = <T>(t: Micros, xs: readonly T[]): T => xs[Math.floor(t / 1e6) % xs.length];

// ---------- node background ----------

export interface NodeNoiseCtx {
  w: World;
  node: string;
  rng: Rng;
  scale: number;
}

/** rancher-system-agent's periodic instruction (real-log-samples.md E29) every 5 minutes while it runs. */
export function agentNoise(ctx: NodeNoiseCtx, from: Micros, to: Micros): Iterable<Line> {
  const n = ctx.w.node(ctx.node);
  const sources = n.procs.agent.map((run) =>
    periodic({
      from: Math.max(from, run.start + 5 * MIN),
      to: Math.min(to, run.end ?? to),
      // One periodic plan per node, whatever the cluster size.
      every: 5 * MIN,
      jitter: 2 * S,
      rng: Rng.derive(`${ctx.rng.next()}`, 'agent'),
      make: (t) => {
        const stamp = t + n.skew;
        const dir = `/var/lib/rancher/agent/work/${new Date(t / 1000).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}/${Rng.derive(ctx.node, 'periodic').hex(64)}_0`;
        const j = (dt: number, msg: string) => [dt, journalLine(stamp + dt, ctx.node, 'rancher-system-agent', run.pid, logrusLine(stamp + dt, 'info', msg))] as const;
        return [
          j(0, `[Applyinator] No image provided, creating empty working directory ${dir}`),
          j(2000, '[Applyinator] Running command: sh [-c rke2 etcd-snapshot list --etcd-s3=false 2>/dev/null]'),
          j(410_000, `[${Rng.derive(ctx.node, 'periodic').hex(64)}_0:stdout]: Name                               Location                                                                  Size     Created`),
          j(430_000, '[Applyinator] Command sh [-c rke2 etcd-snapshot list --etcd-s3=false 2>/dev/null] finished with err: <nil> and exit code: 0'),
        ];
      },
    }),
  );
  return mergeLines(sources);
}

/** rke2 server noise: etcd-client JSON lines and routine logrus lines. */
export function rke2Noise(ctx: NodeNoiseCtx, from: Micros, to: Micros): Iterable<Line> {
  const n = ctx.w.node(ctx.node);
  const sources = n.procs.rke2.map((run) =>
    periodic({
      from: Math.max(from, run.start + 2 * MIN),
      to: Math.min(to, run.end ?? to),
      every: 17 * MIN,
      rng: Rng.derive(`${ctx.rng.next()}`, 'rke2'),
      make: (t, tick) => {
        const stamp = t + n.skew;
        const msg =
          tick % 3 === 0
            ? `{"level":"info","ts":"${new Date(stamp / 1000).toISOString().replace('Z', '')}${String(stamp % 1000).padStart(3, '0')}Z","logger":"etcd-client","caller":"v3@v3.5.19-k3s1/client.go:210","msg":"Auto sync endpoints failed.","error":"context deadline exceeded"}`
            : tick % 3 === 1
              ? logrusLine(stamp, 'info', 'Updating TLS secret for kube-system/rke2-serving (count: 14): map[listener.cattle.io/cn-10.10.20.10:10.10.20.10 listener.cattle.io/cn-10.10.20.11:10.10.20.11 listener.cattle.io/cn-10.10.20.12:10.10.20.12 listener.cattle.io/cn-10.10.20.13:10.10.20.13 listener.cattle.io/cn-harvester-01:harvester-01 listener.cattle.io/cn-harvester-02:harvester-02 listener.cattle.io/cn-harvester-03:harvester-03 listener.cattle.io/cn-kubernetes:kubernetes listener.cattle.io/cn-kubernetes.default:kubernetes.default listener.cattle.io/cn-kubernetes.default.svc:kubernetes.default.svc listener.cattle.io/cn-kubernetes.default.svc.cluster.local:kubernetes.default.svc.cluster.local listener.cattle.io/cn-localhost:localhost listener.cattle.io/fingerprint:SHA1=8B1F1C5D7F0A2E9C4D3B6A8F0E1C2D4B6A8E0F13]')
              : logrusLine(stamp, 'info', 'Active TLS secret kube-system/rke2-serving (ver=1843201) (count 14): map[listener.cattle.io/fingerprint:SHA1=8B1F1C5D7F0A2E9C4D3B6A8F0E1C2D4B6A8E0F13]');
        return [[0, journalLine(stamp, ctx.node, 'rke2', run.pid, msg)]];
      },
    }),
  );
  return mergeLines(sources);
}

/** kubelet routine klog lines for the pods on the node. */
export function kubeletNoise(ctx: NodeNoiseCtx, from: Micros, to: Micros): Iterable<Line> {
  const n = ctx.w.node(ctx.node);
  const candidates = ctx.w.pods.filter((p) => p.node === ctx.node && p.createdAt < to && (p.deletedAt === null || p.deletedAt > from));
  const sources = n.procs.kubelet.map((run) =>
    periodic({
      from: Math.max(from, run.start + 1 * MIN),
      to: Math.min(to, run.end ?? to),
      every: Math.max(Math.floor((40 * S) / ctx.scale), 20_000),
      rng: Rng.derive(`${ctx.rng.next()}`, 'kubelet'),
      make: (t) => {
        const stamp = t + n.skew;
        const p = ctx.rng.pick(candidates);
        if (!p || p.createdAt > t || (p.deletedAt !== null && p.deletedAt <= t)) return null;
        const ref = `pod="${p.namespace}/${p.name}"`;
        const roll = ctx.rng.next();
        const line =
          roll < 0.45
            ? klogLine(stamp, 'I', run.pid, 'kubelet_getters.go:218', `"Pod status updated" ${ref} status="Running"`)
            : roll < 0.65
              ? klogLine(stamp, 'I', run.pid, 'scope.go:117', `"RemoveContainer" containerID="${ctx.rng.hex(64)}"`)
              : roll < 0.8
                ? klogLine(stamp, 'W', run.pid, 'warnings.go:70', 'unknown field "spec.template.spec.containers[0].resources.claims"')
                : roll < 0.93
                  ? klogLine(stamp, 'E', run.pid, 'log.go:32', `"Failed when writing line to log file" err="http2: stream closed" path="/var/log/pods/${p.namespace}_${p.name}_${p.uid}/${p.containers[0].name}/0.log"`)
                  : klogLine(stamp, 'I', run.pid, 'prober.go:107', `"Probe failed" probeType="Readiness" ${ref} podUID="${p.uid}" containerName="${p.containers[0].name}" probeResult="failure" output="Get \\"http://${p.ip}:8080/healthz\\": context deadline exceeded"`);
        return [[0, line]];
      },
    }),
  );
  return mergeLines(sources);
}

/** containerd lines for every pod sandbox/container started or stopped on the node, plus image events. */
export function containerdNoise(ctx: NodeNoiseCtx, from: Micros, to: Micros): Line[] {
  const n = ctx.w.node(ctx.node);
  const out: Line[] = [];
  const r = ctx.rng;
  for (const p of ctx.w.pods) {
    if (p.node !== ctx.node) continue;
    const sandbox = Rng.derive(p.uid, 'sandbox').hex(64);
    if (p.createdAt >= from && p.createdAt < to) {
      const t = p.createdAt + 300_000;
      out.push({ t, text: containerdLine(t + n.skew, r.int(0, 999), 'info', `RunPodSandbox for &PodSandboxMetadata{Name:${p.name},Uid:${p.uid},Namespace:${p.namespace},Attempt:0,}`) });
      out.push({ t: t + 500_000, text: containerdLine(t + 500_000 + n.skew, r.int(0, 999), 'info', `RunPodSandbox for &PodSandboxMetadata{Name:${p.name},Uid:${p.uid},Namespace:${p.namespace},Attempt:0,} returns sandbox id "${sandbox}"`) });
    }
    for (const c of p.containers) {
      c.runs.forEach((run, attempt) => {
        if (run.start >= from && run.start < to) {
          out.push({ t: run.start - 200_000, text: containerdLine(run.start - 200_000 + n.skew, r.int(0, 999), 'info', `CreateContainer within sandbox "${sandbox}" for container &ContainerMetadata{Name:${c.name},Attempt:${attempt},}`) });
          out.push({ t: run.start, text: containerdLine(run.start + n.skew, r.int(0, 999), 'info', `StartContainer for "${Rng.derive(c.id, String(attempt)).hex(64)}" returns successfully`) });
        }
        if (run.end !== null && run.end >= from && run.end < to) {
          const id = Rng.derive(c.id, String(attempt)).hex(64);
          out.push({ t: run.end + 50_000, text: containerdLine(run.end + 50_000 + n.skew, r.int(0, 999), 'info', 'shim disconnected', [['id', id], ['namespace', 'k8s.io']]) });
          out.push({ t: run.end + 60_000, text: containerdLine(run.end + 60_000 + n.skew, r.int(0, 999), 'warning', 'cleaning up after shim disconnected', [['id', id], ['namespace', 'k8s.io']]) });
        }
      });
    }
    if (p.deletedAt !== null && p.deletedAt >= from && p.deletedAt < to) {
      out.push({ t: p.deletedAt + 100_000, text: containerdLine(p.deletedAt + 100_000 + n.skew, r.int(0, 999), 'info', `StopPodSandbox for "${sandbox}"`) });
      out.push({ t: p.deletedAt + 900_000, text: containerdLine(p.deletedAt + 900_000 + n.skew, r.int(0, 999), 'info', `TearDown network for sandbox "${sandbox}" successfully`) });
      out.push({ t: p.deletedAt + 950_000, text: containerdLine(p.deletedAt + 950_000 + n.skew, r.int(0, 999), 'info', `StopPodSandbox for "${sandbox}" returns successfully`) });
    }
  }
  return out;
}
