/**
 * Kubernetes objects of a played scenario at collection time, shaped like API server JSON (Go struct
 * field order where the support-bundle `null` quirk depends on it). One builder per resource file.
 */
import { gzipSync } from 'node:zlib';
import type { ReleaseInfo } from './cluster.js';
import { CLUSTER_UUID, CLUSTER_VIP, images, nodeDef, NODES, RELEASE_TO } from './cluster.js';
import { COLLECTED_NAMESPACES } from './catalog.js';
import type { Micros } from './line-formats.js';
import { rfc3339, rfc3339Micro, US_PER_H, US_PER_MIN, US_PER_S } from './line-formats.js';
import { Rng } from './prng.js';
import type { Played } from './scenarios.js';
import { drainOptionsJson } from './story-upgrade.js';
import type { Container, EventRec, Pod, VmState } from './world.js';

type Obj = Record<string, unknown>;

/** Resource versions grow with time; a stable, monotonic mapping keeps objects consistent with each other. */
const rv = (t: Micros, salt = 0): string => String(Math.floor(t / 1e6 / 7) % 90_000_000 + 10_000_000 + salt);

export interface ResourceFile {
  /** Path under `yamls/`. */
  path: string;
  apiVersion: string;
  kind: string;
  customResource: boolean;
  /** Built one at a time while the file is written, so large scales never hold all objects at once. */
  items: () => Iterable<Obj>;
}

interface ItemSource {
  count: number;
  items: () => Iterable<Obj>;
}

function lazy<T>(src: readonly T[], build: (x: T, i: number) => Obj): ItemSource {
  return {
    count: src.length,
    items: function* () {
      for (let i = 0; i < src.length; i++) yield build(src[i], i);
    },
  };
}

const meta = (name: string, namespace: string | null, uid: string, created: Micros, extra: Obj = {}): Obj => ({
  ...(extra.annotations ? { annotations: extra.annotations } : {}),
  creationTimestamp: rfc3339(created),
  ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'annotations')),
  name,
  ...(namespace ? { namespace } : {}),
  resourceVersion: rv(created + 3 * US_PER_S, uid.charCodeAt(0)),
  uid,
});

// ---------- pods ----------

function containerStatus(c: Container, at: Micros): Obj {
  const runs = c.runs.filter((r) => r.start <= at);
  const cur = runs[runs.length - 1];
  const prev = runs.length > 1 ? runs[runs.length - 2] : null;
  const terminated = (r: typeof cur, id: string): Obj => ({
    terminated: { containerID: `containerd://${id}`, exitCode: r.exitCode ?? 0, finishedAt: rfc3339(r.end!), reason: r.reason ?? 'Completed', startedAt: rfc3339(r.start) },
  });
  const curId = Rng.derive(c.id, String(runs.length - 1)).hex(64);
  const state = cur.end !== null && cur.end <= at ? terminated(cur, curId) : { running: { startedAt: rfc3339(cur.start) } };
  return {
    containerID: `containerd://${curId}`,
    image: `docker.io/${c.image}`,
    imageID: `docker.io/${c.image.split(':')[0]}@sha256:${Rng.derive('image', c.image).hex(64)}`,
    lastState: prev ? terminated(prev, Rng.derive(c.id, String(runs.length - 2)).hex(64)) : {},
    name: c.name,
    ready: cur.end === null || cur.end > at,
    restartCount: runs.length - 1,
    started: cur.end === null || cur.end > at,
    state,
  };
}

const PROM_RESOURCES = { limits: { cpu: '1', memory: '2500Mi' }, requests: { cpu: '750m', memory: '1750Mi' } };

function podObject(p: Pod, at: Micros, vm: VmState | null): Obj {
  const owner = p.ownerKind && p.kind !== 'static' ? [{ apiVersion: ownerApi(p.ownerKind), blockOwnerDeletion: true, controller: true, kind: p.ownerKind, name: p.ownerName, uid: Rng.derive('owner', `${p.namespace}/${p.ownerName}`).uuid() }] : undefined;
  const finished = p.finalPhase !== 'Running' && p.containers.every((c) => c.runs[c.runs.length - 1].end !== null && c.runs[c.runs.length - 1].end! <= at);
  const phase = finished ? p.finalPhase : 'Running';
  const annotations: Record<string, string> = {};
  if (p.kind === 'static') {
    annotations['kubernetes.io/config.hash'] = Rng.derive(p.uid, 'hash').hex(32);
    annotations['kubernetes.io/config.mirror'] = annotations['kubernetes.io/config.hash'];
    annotations['kubernetes.io/config.seen'] = new Date(p.createdAt / 1000).toISOString().replace('Z', '') + '371Z';
    annotations['kubernetes.io/config.source'] = 'file';
  }
  if (p.kind === 'vm') {
    annotations['kubevirt.io/domain'] = p.ownerName!;
    annotations['kubectl.kubernetes.io/default-container'] = 'compute';
    annotations['kubevirt.io/migrationTransportUnix'] = 'true';
    annotations['post.hook.backup.velero.io/command'] = '["/usr/bin/virt-freezer", "--unfreeze", "--name", "' + p.ownerName + '", "--namespace", "' + p.namespace + '"]';
  }
  const resources = (c: Container): Obj => {
    if (c.name === 'prometheus') return PROM_RESOURCES;
    if (p.kind === 'vm' && c.name === 'compute' && vm) return { limits: { cpu: String(vm.def.cpu), 'devices.kubevirt.io/kvm': '1', 'devices.kubevirt.io/tun': '1', 'devices.kubevirt.io/vhost-net': '1', memory: `${vm.def.memoryGi * 1024 + 262}Mi` }, requests: { cpu: `${Math.round((vm.def.cpu * 1000) / 16)}m`, 'devices.kubevirt.io/kvm': '1', 'devices.kubevirt.io/tun': '1', 'devices.kubevirt.io/vhost-net': '1', ephemeral: '50M', memory: `${Math.round(vm.def.memoryGi * 1024 / 1.5) + 262}Mi` } };
    return {};
  };
  const startedCond = rfc3339(p.createdAt + 1 * US_PER_S);
  const readyAt = rfc3339(Math.max(...p.containers.map((c) => c.runs.filter((r) => r.start <= at).at(-1)!.start)) + 2 * US_PER_S);
  return {
    metadata: meta(p.name, p.namespace, p.uid, p.createdAt, {
      annotations: Object.keys(annotations).length ? annotations : undefined,
      ...(p.kind === 'deployment' || p.kind === 'daemonset' || p.kind === 'job' || p.kind === 'vm' ? { generateName: p.name.replace(/[a-z0-9]{5}$/, '') } : {}),
      labels: { ...p.labels, ...(p.kind === 'job' ? { 'batch.kubernetes.io/job-name': p.workload, 'job-name': p.workload } : {}) },
      ...(owner ? { ownerReferences: owner } : {}),
    }),
    spec: {
      containers: p.containers.map((c) => ({
        image: c.image,
        imagePullPolicy: 'IfNotPresent',
        name: c.name,
        resources: resources(c),
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      })),
      dnsPolicy: p.kind === 'static' || p.kind === 'job' ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
      enableServiceLinks: p.kind !== 'vm',
      ...(p.kind === 'static' || p.kind === 'job' ? { hostNetwork: true } : {}),
      nodeName: p.node,
      ...(vm?.def.special?.kind === 'pinned' ? { nodeSelector: { 'kubernetes.io/hostname': vm.def.special.node, 'kubevirt.io/schedulable': 'true' } } : p.kind === 'vm' ? { nodeSelector: { 'kubevirt.io/schedulable': 'true' } } : {}),
      preemptionPolicy: 'PreemptLowerPriority',
      priority: p.kind === 'static' ? 2000001000 : 0,
      ...(p.kind === 'static' ? { priorityClassName: 'system-node-critical' } : {}),
      restartPolicy: p.kind === 'job' || p.kind === 'vm' ? 'Never' : 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: p.kind === 'vm' ? 'default' : p.workload,
      serviceAccountName: p.kind === 'vm' ? 'default' : p.workload,
      terminationGracePeriodSeconds: p.kind === 'vm' ? 150 : 30,
      tolerations: [
        { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
        { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
      ],
    },
    status: {
      conditions: [
        { lastProbeTime: null, lastTransitionTime: startedCond, status: 'True', type: 'PodReadyToStartContainers' },
        { lastProbeTime: null, lastTransitionTime: startedCond, status: 'True', type: 'Initialized' },
        { lastProbeTime: null, lastTransitionTime: readyAt, status: phase === 'Running' ? 'True' : 'False', ...(phase !== 'Running' ? { reason: 'PodCompleted' } : {}), type: 'Ready' },
        { lastProbeTime: null, lastTransitionTime: readyAt, status: phase === 'Running' ? 'True' : 'False', ...(phase !== 'Running' ? { reason: 'PodCompleted' } : {}), type: 'ContainersReady' },
        { lastProbeTime: null, lastTransitionTime: rfc3339(p.createdAt), status: 'True', type: 'PodScheduled' },
      ],
      containerStatuses: p.containers.map((c) => containerStatus(c, at)),
      hostIP: nodeDef(p.node).ip,
      hostIPs: [{ ip: nodeDef(p.node).ip }],
      phase,
      podIP: p.ip,
      podIPs: [{ ip: p.ip }],
      qosClass: p.containers.some((c) => c.name === 'prometheus') || p.kind === 'vm' ? 'Burstable' : 'BestEffort',
      startTime: rfc3339(p.createdAt),
    },
  };
}

function ownerApi(kind: string): string {
  return { ReplicaSet: 'apps/v1', DaemonSet: 'apps/v1', StatefulSet: 'apps/v1', Job: 'batch/v1', VirtualMachineInstance: 'kubevirt.io/v1', InstanceManager: 'longhorn.io/v1beta2', Node: 'v1' }[kind] ?? 'v1';
}

// ---------- events ----------

function coreEvent(e: EventRec, i: number): Obj {
  const name = `${e.involved.name}.${Rng.derive('event', `${e.involved.uid}/${e.reason}/${e.first}/${i}`).hex(16)}`;
  return {
    metadata: { creationTimestamp: rfc3339(e.first), name, namespace: e.namespace, resourceVersion: rv(e.last, i % 97), uid: Rng.derive('event-uid', name).uuid() },
    involvedObject: { apiVersion: e.involved.apiVersion, ...(e.involved.fieldPath ? { fieldPath: e.involved.fieldPath } : {}), kind: e.involved.kind, name: e.involved.name, ...(e.involved.namespace ? { namespace: e.involved.namespace } : {}), resourceVersion: rv(e.first - US_PER_S), uid: e.involved.uid },
    reason: e.reason,
    message: e.message,
    source: e.source.host ? { component: e.source.component, host: e.source.host } : { component: e.source.component },
    firstTimestamp: rfc3339(e.first),
    lastTimestamp: rfc3339(e.last),
    count: e.count,
    type: e.type,
    eventTime: null,
    reportingComponent: e.source.component,
    reportingInstance: e.source.host ?? '',
  };
}

function newEvent(e: EventRec, i: number): Obj {
  const core = coreEvent(e, i);
  return {
    metadata: core.metadata,
    eventTime: null,
    reportingController: e.source.component,
    reportingInstance: e.source.host ?? '',
    reason: e.reason,
    regarding: core.involvedObject,
    note: e.message,
    type: e.type,
    deprecatedSource: core.source,
    deprecatedFirstTimestamp: core.firstTimestamp,
    deprecatedLastTimestamp: core.lastTimestamp,
    deprecatedCount: e.count,
  };
}

// ---------- VMs ----------

const osLabel = (image: string): string => image.replace('image-', '').split('-')[0];

function vmTemplateSpec(vm: VmState): Obj {
  const d = vm.def;
  const devices: Obj = {
    disks: [{ bootOrder: 1, disk: { bus: 'virtio' }, name: 'disk-0' }, { disk: { bus: 'virtio' }, name: 'cloudinitdisk' }],
    ...(d.special?.kind === 'pci' ? { hostDevices: [{ deviceName: nodeDef(d.special.node).gpu.resource, name: nodeDef(d.special.node).gpu.name }] } : {}),
    inputs: [{ bus: 'usb', name: 'tablet', type: 'tablet' }],
    interfaces: [{ bridge: {}, macAddress: d.mac, model: 'virtio', name: 'default' }],
  };
  return {
    affinity: {},
    domain: {
      cpu: { cores: d.cpu, sockets: 1, threads: 1 },
      devices,
      features: { acpi: { enabled: true } },
      machine: { type: 'q35' },
      memory: { guest: `${d.memoryGi * 1024 - 100}Mi` },
      resources: { limits: { cpu: String(d.cpu), memory: `${d.memoryGi}Gi` }, requests: { cpu: `${Math.round((d.cpu * 1000) / 16)}m`, memory: `${Math.round((d.memoryGi * 1024) / 1.5)}Mi` } },
    },
    evictionStrategy: 'LiveMigrateIfPossible',
    hostname: d.name,
    networks: [{ multus: { networkName: 'default/vlan100' }, name: 'default' }],
    ...(d.special?.kind === 'pinned' ? { nodeSelector: { 'kubernetes.io/hostname': d.special.node } } : {}),
    terminationGracePeriodSeconds: 120,
    volumes: [
      { name: 'disk-0', persistentVolumeClaim: { claimName: d.pvc } },
      { cloudInitNoCloud: { networkDataSecretRef: { name: `${d.name}-${Rng.derive('ci', d.name).kube(5)}` }, secretRef: { name: `${d.name}-${Rng.derive('ci', d.name).kube(5)}` } }, name: 'cloudinitdisk' },
    ],
  };
}

function vmObject(vm: VmState, played: Played): Obj {
  const d = vm.def;
  const run = played.w.currentRun(vm);
  const created = Date.parse(d.createdAt) * 1000;
  const annotations: Record<string, string> = {
    'harvesterhci.io/timestamp': String(Math.floor(created / 1e6)),
    'harvesterhci.io/vmRunStrategy': vm.runStrategy,
    'harvesterhci.io/volumeClaimTemplates': JSON.stringify([{ metadata: { annotations: { 'harvesterhci.io/imageId': `default/${d.image}` }, name: d.pvc }, spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: `${d.diskGi}Gi` } }, storageClassName: `longhorn-${d.image}`, volumeMode: 'Block' } }]),
    'kubevirt.io/latest-observed-api-version': 'v1',
    'kubevirt.io/storage-observed-api-version': 'v1',
    'network.harvesterhci.io/ips': '[]',
    ...vm.annotations,
  };
  const touched = vm.strategyChangedAt ?? run?.createdAt ?? created;
  return {
    metadata: meta(d.name, d.namespace, d.uid, created, {
      annotations,
      finalizers: ['kubevirt.io/virtualMachineControllerFinalize', 'harvesterhci.io/VMController.UnsetOwnerOfPVCs'],
      generation: vm.runs.length + 2,
      labels: { 'harvesterhci.io/creator': 'harvester', 'harvesterhci.io/os': osLabel(d.image), ...vm.labels },
    }),
    spec: {
      runStrategy: vm.runStrategy,
      template: { metadata: { annotations: { 'harvesterhci.io/sshNames': '[]' }, creationTimestamp: null, labels: { 'harvesterhci.io/vmName': d.name } }, spec: vmTemplateSpec(vm) },
    },
    status: {
      conditions: run
        ? [
            { lastProbeTime: null, lastTransitionTime: rfc3339(run.createdAt + 9 * US_PER_S), status: 'True', type: 'Ready' },
            { lastProbeTime: null, lastTransitionTime: null, status: 'True', type: 'LiveMigratable' },
          ]
        : [{ lastProbeTime: rfc3339(touched + 20 * US_PER_S), lastTransitionTime: rfc3339(touched + 20 * US_PER_S), message: 'VMI does not exist', reason: 'VMINotExists', status: 'False', type: 'Ready' }],
      created: run !== null,
      desiredGeneration: vm.runs.length + 2,
      observedGeneration: vm.runs.length + 2,
      printableStatus: run ? 'Running' : 'Stopped',
      ready: run !== null,
      runStrategy: vm.runStrategy,
      volumeSnapshotStatuses: [{ enabled: true, name: 'disk-0' }, { enabled: false, name: 'cloudinitdisk', reason: 'Snapshot is not supported for this volumeSource type [cloudinitdisk]' }],
    },
  };
}

function vmiObject(vm: VmState, played: Played): Obj | null {
  const run = played.w.currentRun(vm);
  if (!run) return null;
  const seg = run.segments[run.segments.length - 1];
  const d = vm.def;
  const lastMig = [...played.w.migrationsOf(d.name)].reverse().find((m) => m.start >= run.createdAt);
  const launcher = images(RELEASE_TO).virtLauncher;
  return {
    metadata: meta(d.name, d.namespace, run.vmiUid, run.createdAt, {
      annotations: { 'harvesterhci.io/sshNames': '[]', 'kubevirt.io/latest-observed-api-version': 'v1', 'kubevirt.io/storage-observed-api-version': 'v1', 'kubevirt.io/vm-generation': String(vm.runs.length + 2) },
      finalizers: ['kubevirt.io/virtualMachineControllerFinalize', 'foregroundDeleteVirtualMachine', 'wrangler.cattle.io/VMIController.UnsetOwnerOfPVCs'],
      generation: 12 + run.segments.length * 3,
      labels: { 'harvesterhci.io/vmName': d.name, 'kubevirt.io/nodeName': seg.node, ...vm.labels },
      ownerReferences: [{ apiVersion: 'kubevirt.io/v1', blockOwnerDeletion: true, controller: true, kind: 'VirtualMachine', name: d.name, uid: d.uid }],
    }),
    spec: vmTemplateSpec(vm),
    status: {
      activePods: { [seg.pod.uid]: seg.node },
      conditions: [
        { lastProbeTime: null, lastTransitionTime: rfc3339(seg.from + 4 * US_PER_S), status: 'True', type: 'Ready' },
        { lastProbeTime: null, lastTransitionTime: null, status: 'True', type: 'LiveMigratable' },
        { lastProbeTime: rfc3339(seg.from + 30 * US_PER_S), lastTransitionTime: null, status: 'True', type: 'AgentConnected' },
      ],
      currentCPUTopology: { cores: d.cpu, sockets: 1, threads: 1 },
      guestOSInfo: { id: osLabel(d.image), kernelRelease: '6.8.0-60-generic', kernelVersion: '#63-Ubuntu SMP PREEMPT_DYNAMIC Tue Apr 15 19:04:15 UTC 2025', machine: 'x86_64', name: osLabel(d.image), prettyName: osLabel(d.image), version: '24.04', versionId: '24.04' },
      interfaces: [{ infoSource: 'domain, guest-agent, multus-status', interfaceName: 'enp1s0', ipAddress: `10.10.100.${(parseInt(d.mac.slice(-2), 16) % 200) + 20}`, ipAddresses: [`10.10.100.${(parseInt(d.mac.slice(-2), 16) % 200) + 20}`], mac: d.mac, name: 'default', podInterfaceName: 'pod1a2b3c4d5e6', queueCount: 1 }],
      launcherContainerImageVersion: seg.pod.containers[0].image || launcher,
      machine: { type: 'pc-q35-8.2' },
      memory: { guestAtBoot: `${d.memoryGi * 1024 - 100}Mi`, guestCurrent: `${d.memoryGi * 1024 - 100}Mi`, guestRequested: `${d.memoryGi * 1024 - 100}Mi` },
      migrationMethod: 'LiveMigration',
      ...(lastMig
        ? { migrationState: { completed: true, endTimestamp: rfc3339(lastMig.end), migrationConfiguration: { allowAutoConverge: false, allowPostCopy: false, bandwidthPerMigration: '0', completionTimeoutPerGiB: 800, nodeDrainTaintKey: 'kubevirt.io/drain', parallelMigrationsPerCluster: 5, parallelOutboundMigrationsPerNode: 2, progressTimeout: 150, unsafeMigrationOverride: false }, migrationUid: lastMig.uid, mode: 'PreCopy', sourceNode: lastMig.source, sourcePod: `virt-launcher-${d.name}-src`, startTimestamp: rfc3339(lastMig.start), targetNode: lastMig.target, targetNodeAddress: `10.52.${Number(lastMig.target.slice(-1)) - 1}.${20 + (d.cpu * 7) % 200}`, targetNodeDomainDetected: true, targetNodeDomainReadyTimestamp: rfc3339(lastMig.end), targetPod: seg.pod.name } }
        : {}),
      migrationTransport: 'Unix',
      nodeName: seg.node,
      phase: 'Running',
      phaseTransitionTimestamps: [
        { phase: 'Pending', phaseTransitionTimestamp: rfc3339Micro(run.createdAt) },
        { phase: 'Scheduling', phaseTransitionTimestamp: rfc3339Micro(run.createdAt + 120_000) },
        { phase: 'Scheduled', phaseTransitionTimestamp: rfc3339Micro(run.createdAt + 3_900_000) },
        { phase: 'Running', phaseTransitionTimestamp: rfc3339Micro(run.createdAt + 5_100_000) },
      ],
      qosClass: 'Burstable',
      selinuxContext: 'none',
      virtualMachineRevisionName: `revision-start-vm-${d.uid}-${vm.runs.length + 2}`,
      volumeStatus: [
        { name: 'cloudinitdisk', size: 1048576, target: 'vdb' },
        { name: 'disk-0', persistentVolumeClaimInfo: { accessModes: ['ReadWriteMany'], capacity: { storage: `${d.diskGi}Gi` }, claimName: d.pvc, filesystemOverhead: '0', requests: { storage: `${d.diskGi}Gi` }, volumeMode: 'Block' }, target: 'vda' },
      ],
    },
  };
}

// ---------- nodes ----------

function nodeObject(played: Played, name: string, at: Micros): Obj {
  const n = played.w.node(name);
  const def = nodeDef(name);
  const kubeletRun = played.w.proc(name, 'kubelet', at);
  const boot = n.boots[n.boots.length - 1];
  const cond = (type: string, status: string, reason: string, message: string, since: Micros): Obj => ({ lastHeartbeatTime: rfc3339(at - 40 * US_PER_S), lastTransitionTime: rfc3339(since), message, reason, status, type });
  return {
    metadata: meta(name, null, def.uid, played.boot.bootAt['harvester-01'] - 230 * 24 * US_PER_H, {
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': def.ip,
        'cluster.x-k8s.io/cluster-name': 'local',
        'cluster.x-k8s.io/cluster-namespace': 'fleet-local',
        'cluster.x-k8s.io/labels-from-machine': '',
        'cluster.x-k8s.io/machine': def.machine,
        'cluster.x-k8s.io/owner-kind': 'MachineSet',
        'cluster.x-k8s.io/owner-name': 'custom-machineset',
        'csi.volume.kubernetes.io/nodeid': `{"driver.longhorn.io":"${name}"}`,
        'etcd.rke2.cattle.io/local-snapshots-timestamp': rfc3339(at - 3 * US_PER_H),
        'etcd.rke2.cattle.io/node-address': def.ip,
        'etcd.rke2.cattle.io/node-name': `${name}-${Rng.derive('etcd', name).hex(8)}`,
        'management.cattle.io/pod-limits': '{"cpu":"24700m","memory":"49934Mi"}',
        'management.cattle.io/pod-requests': '{"cpu":"9165m","memory":"31871Mi","pods":"61"}',
        'node.alpha.kubernetes.io/ttl': '0',
        'rke2.io/encryption-config-hash': `start-${Rng.derive('enc', 'x').hex(64)}`,
        'rke2.io/hostname': name,
        'rke2.io/internal-ip': def.ip,
        'rke2.io/node-args': `["server","--cni","multus,canal","--cluster-cidr","10.52.0.0/16","--service-cidr","10.53.0.0/16","--cluster-dns","10.53.0.10","--tls-san","${CLUSTER_VIP}","--node-label","harvesterhci.io/managed=true"]`,
        'rke2.io/node-config-hash': Rng.derive('cfg', name).hex(52).toUpperCase() + '====',
        'rke2.io/node-env': '{}',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        ...n.annotations,
      },
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': 'rke2',
        'beta.kubernetes.io/os': 'linux',
        'cattle.io/os': 'linux',
        'cpu-feature.node.kubevirt.io/avx2': 'true',
        'harvesterhci.io/managed': 'true',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubevirt.io/schedulable': n.cordoned ? 'false' : 'true',
        'network.harvesterhci.io/mgmt': 'true',
        'node-role.harvesterhci.io/witness': 'false',
        'node-role.kubernetes.io/control-plane': 'true',
        'node-role.kubernetes.io/etcd': 'true',
        'node-role.kubernetes.io/master': 'true',
        'node.kubernetes.io/instance-type': 'rke2',
        'plan.upgrade.cattle.io/hvst-upgrade-prepare': Rng.derive('plan', played.story.rec.name).hex(10),
        'topology.kubernetes.io/zone': 'zone-a',
        ...n.labels,
      },
    }),
    spec: {
      podCIDR: `10.52.${Number(name.slice(-1)) - 1}.0/24`,
      podCIDRs: [`10.52.${Number(name.slice(-1)) - 1}.0/24`],
      providerID: `rke2://${name}`,
      ...(n.taints.length ? { taints: n.taints.map((t) => ({ effect: t.effect, key: t.key, ...(t.value ? { value: t.value } : {}) })) } : {}),
      ...(n.cordoned ? { unschedulable: true } : {}),
    },
    status: {
      addresses: [{ address: def.ip, type: 'InternalIP' }, { address: name, type: 'Hostname' }],
      allocatable: { cpu: '64', 'devices.kubevirt.io/kvm': '1k', 'devices.kubevirt.io/tun': '1k', 'devices.kubevirt.io/vhost-net': '1k', 'ephemeral-storage': '149527126718', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '527499412Ki', [def.gpu.resource]: '1', pods: '200' },
      capacity: { cpu: '64', 'devices.kubevirt.io/kvm': '1k', 'devices.kubevirt.io/tun': '1k', 'devices.kubevirt.io/vhost-net': '1k', 'ephemeral-storage': '153707984Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '527806412Ki', [def.gpu.resource]: '1', pods: '200' },
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', boot.start + 2 * US_PER_MIN),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', boot.start + 2 * US_PER_MIN),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', boot.start + 2 * US_PER_MIN),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', kubeletRun.start + 4 * US_PER_S),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images: [],
      nodeInfo: {
        architecture: 'amd64',
        bootID: `${boot.bootId.slice(0, 8)}-${boot.bootId.slice(8, 12)}-${boot.bootId.slice(12, 16)}-${boot.bootId.slice(16, 20)}-${boot.bootId.slice(20, 32)}`,
        containerRuntimeVersion: `containerd://${played.w.proc(name, 'containerd', at).version.replace(/^v/, '')}`,
        kernelVersion: boot.kernel,
        kubeProxyVersion: kubeletRun.version,
        kubeletVersion: kubeletRun.version,
        machineID: def.machineId,
        operatingSystem: 'linux',
        osImage: n.osImage,
        systemUUID: def.systemUuid,
      },
    },
  };
}

// ---------- upgrade objects ----------

function repoInfo(rel: ReleaseInfo): string {
  return [
    'release:',
    `  harvester: ${rel.harvester}`, `  harvesterChart: ${rel.harvesterChart}`, `  os: ${rel.os}`, `  kubernetes: ${rel.kubernetes}`,
    `  rancher: ${rel.rancher}`, `  monitoringChart: ${rel.monitoringChart}`, `  minUpgradableVersion: ${rel.minUpgradableVersion}`,
    `  loggingChart: ${rel.loggingChart}`, `  kubevirt: ${rel.kubevirt}`, '',
  ].join('\n');
}

function upgradeObject(played: Played): Obj {
  const r = played.story.rec;
  return {
    metadata: meta(r.name, 'harvester-system', r.uid, r.createdAt, {
      annotations: {
        'harvesterhci.io/auto-cleanup-system-generated-snapshot': 'true',
        ...(r.finishedAt ? { 'harvesterhci.io/image-cleanup-plan-completed': 'true' } : {}),
        'harvesterhci.io/replica-replenishment-wait-interval': '600',
      },
      finalizers: r.finishedAt ? undefined : ['wrangler.cattle.io/harvester-upgrade-controller'],
      generateName: 'hvst-upgrade-',
      generation: 3,
      labels: { 'harvesterhci.io/latestUpgrade': 'true', 'harvesterhci.io/upgradeState': r.state },
    }),
    spec: { image: '', logEnabled: true, version: 'v1.5.0' },
    status: {
      conditions: r.conditions.map((c) => ({ ...(c.at !== null ? { lastUpdateTime: rfc3339(c.at) } : {}), ...(c.message ? { message: c.message } : {}), ...(c.reason ? { reason: c.reason } : {}), status: c.status, type: c.type })),
      imageID: `harvester-system/${r.isoImage}`,
      nodeStatuses: Object.fromEntries(Object.entries(r.nodeStatuses).map(([n, s]) => [n, { ...(s.message ? { message: s.message } : {}), ...(s.reason ? { reason: s.reason } : {}), state: s.state }])),
      previousVersion: r.from.harvester,
      repoInfo: repoInfo(r.to),
      upgradeLog: r.upgradeLog,
    },
  };
}

function upgradeLogObject(played: Played): Obj {
  const r = played.story.rec;
  const c = (type: string, at: Micros | null, status = 'True'): Obj => ({ ...(at !== null ? { lastUpdateTime: rfc3339(at) } : {}), status, type });
  return {
    metadata: meta(r.upgradeLog, 'harvester-system', Rng.derive('upgradelog', r.name).uuid(), r.createdAt + 1 * US_PER_S, {
      labels: { 'harvesterhci.io/upgrade': r.name },
      ownerReferences: [{ apiVersion: 'harvesterhci.io/v1beta1', kind: 'Upgrade', name: r.name, uid: r.uid }],
    }),
    spec: { upgradeName: r.name },
    status: {
      conditions: [
        c('LoggingOperatorReady', r.createdAt + 20 * US_PER_S),
        c('InfraReady', r.createdAt + 46 * US_PER_S),
        c('Started', r.createdAt + 47 * US_PER_S),
        ...(r.logEnd ? [c('Stopped', r.logEnd)] : []),
      ],
    },
  };
}

function versionObject(played: Played): Obj {
  return {
    metadata: meta('v1.5.0', 'harvester-system', Rng.derive('version', 'v1.5.0').uuid(), played.story.rec.versionCreatedAt, { generation: 1 }),
    spec: {
      isoChecksum: Rng.derive('iso', 'v1.5.0').hex(128),
      isoURL: 'https://releases.rancher.com/harvester/v1.5.0/harvester-v1.5.0-amd64.iso',
      minUpgradableVersion: 'v1.4.2',
      releaseDate: '20250424',
    },
  };
}

function jobObject(job: Played['w']['jobs'][number], played: Played): Obj {
  const upgradeOwner = job.namespace === 'harvester-system' ? [{ apiVersion: 'harvesterhci.io/v1beta1', kind: 'Upgrade', name: played.story.rec.name, uid: played.story.rec.uid }] : undefined;
  const done = job.end !== null && job.end <= played.bundleCreatedAt;
  return {
    metadata: meta(job.name, job.namespace, job.uid, job.start, { generation: 1, labels: job.labels, ...(upgradeOwner ? { ownerReferences: upgradeOwner } : {}) }),
    spec: {
      backoffLimit: job.namespace === 'harvester-system' ? 6 : 2,
      completionMode: 'NonIndexed',
      completions: 1,
      manualSelector: false,
      parallelism: 1,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': job.uid } },
      suspend: false,
      template: {
        metadata: { creationTimestamp: null, labels: { ...job.labels, 'batch.kubernetes.io/controller-uid': job.uid, 'batch.kubernetes.io/job-name': job.name, 'controller-uid': job.uid, 'job-name': job.name } },
        spec: {
          containers: [{ args: job.command.slice(1), command: [job.command[0]], env: [{ name: 'HARVESTER_UPGRADE_NODE_NAME', value: job.node ?? '' }], image: job.image, imagePullPolicy: 'IfNotPresent', name: job.pod.containers[0].name, resources: {}, securityContext: { privileged: true }, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
          dnsPolicy: 'ClusterFirstWithHostNet',
          hostIPC: true,
          hostNetwork: true,
          hostPID: true,
          ...(job.node ? { nodeSelector: { 'kubernetes.io/hostname': job.node } } : {}),
          restartPolicy: 'Never',
          schedulerName: 'default-scheduler',
          securityContext: {},
          serviceAccount: 'harvester',
          serviceAccountName: 'harvester',
          terminationGracePeriodSeconds: 30,
        },
      },
      ttlSecondsAfterFinished: job.namespace === 'harvester-system' ? 604800 : 900,
    },
    status: {
      ...(done ? { completionTime: rfc3339(job.end!) } : {}),
      ...(done ? { conditions: [{ lastProbeTime: rfc3339(job.end!), lastTransitionTime: rfc3339(job.end!), message: 'Reached expected number of succeeded pods', reason: 'CompletionsReached', status: 'True', type: 'SuccessCriteriaMet' }, { lastProbeTime: rfc3339(job.end! + US_PER_S), lastTransitionTime: rfc3339(job.end! + US_PER_S), message: 'Reached expected number of succeeded pods', reason: 'CompletionsReached', status: 'True', type: 'Complete' }] } : { active: 1 }),
      ready: done ? 0 : 1,
      startTime: rfc3339(job.start),
      ...(done ? { succeeded: 1 } : {}),
      terminating: 0,
      uncountedTerminatedPods: {},
    },
  };
}

// ---------- Longhorn ----------

interface VolumeInfo {
  name: string;
  pvc: string;
  namespace: string;
  sizeGi: number;
  node: string | null;
  workload: string | null;
  pod: string | null;
}

function volumeInfos(played: Played): VolumeInfo[] {
  const w = played.w;
  const livePodOf = new Map(w.livePods(played.bundleCreatedAt, (p) => p.kind === 'vm').map((p) => [p.ownerName!, p.name]));
  const vms: VolumeInfo[] = [...w.vms.values()].map((vm) => ({ name: vm.def.volume, pvc: vm.def.pvc, namespace: vm.def.namespace, sizeGi: vm.def.diskGi, node: w.vmNode(vm), workload: w.currentRun(vm) ? vm.def.name : null, pod: livePodOf.get(vm.def.name) ?? null }));
  const prom = w.livePods(played.bundleCreatedAt, (p) => p.namespace === 'cattle-monitoring-system');
  const sys = played.systemVolumes.map((v) => {
    const owner = prom.find((p) => v.pvc.endsWith(p.name) || (v.pvc === 'rancher-monitoring-grafana' && p.workload === 'rancher-monitoring-grafana'));
    return { name: v.name, pvc: v.pvc, namespace: v.namespace, sizeGi: v.sizeGi, node: owner?.node ?? null, workload: owner?.name ?? null, pod: owner?.name ?? null };
  });
  return [...vms, ...sys];
}

/** Degraded windows by volume, indexed once per played scenario. */
const degradedIndex = new WeakMap<Played, Map<string, Played['story']['rec']['degraded']>>();
function windowsOf(played: Played, vol: string): Played['story']['rec']['degraded'] {
  let idx = degradedIndex.get(played);
  if (!idx) {
    idx = new Map();
    for (const d of played.story.rec.degraded) (idx.get(d.volume) ?? idx.set(d.volume, []).get(d.volume)!).push(d);
    degradedIndex.set(played, idx);
  }
  return idx.get(vol) ?? [];
}

function robustness(played: Played, vol: string, attached: boolean): string {
  if (!attached) return 'unknown';
  const at = played.bundleCreatedAt;
  return windowsOf(played, vol).some((d) => d.from <= at && (d.to === null || d.to > at)) ? 'degraded' : 'healthy';
}

function longhornVolume(played: Played, v: VolumeInfo): Obj {
  const attached = v.node !== null;
  const created = Date.parse('2025-03-02T10:00:00Z') * 1000 + (v.name.charCodeAt(5) % 50) * US_PER_H;
  return {
    metadata: meta(v.name, 'longhorn-system', Rng.derive('lhv', v.name).uuid(), created, {
      finalizers: ['longhorn.io'],
      generation: 4,
      labels: { backup: 'false', 'longhornvolume': v.name, 'recurring-job-group.longhorn.io/default': 'enabled', 'setting.longhorn.io/remove-snapshots-during-filesystem-trim': 'ignored', 'setting.longhorn.io/replica-auto-balance': 'ignored', 'setting.longhorn.io/snapshot-data-integrity': 'ignored' },
    }),
    spec: {
      Standby: false, accessMode: 'rwx', backingImage: '', backupCompressionMethod: 'lz4', backupTargetName: 'default', dataEngine: 'v1', dataLocality: 'disabled', dataSource: '', disableFrontend: false, diskSelector: [], encrypted: false,
      freezeFilesystemForSnapshot: 'ignored', fromBackup: '', frontend: 'blockdev', image: images(RELEASE_TO).longhornEngine, lastAttachedBy: '', migratable: true, migrationNodeID: '', nodeID: '', nodeSelector: [],
      numberOfReplicas: 3, replicaAutoBalance: 'ignored', replicaDiskSoftAntiAffinity: 'ignored', replicaSoftAntiAffinity: 'ignored', replicaZoneSoftAntiAffinity: 'ignored', restoreVolumeRecurringJob: 'ignored',
      revisionCounterDisabled: true, size: String(v.sizeGi * 1024 ** 3), snapshotDataIntegrity: 'ignored', snapshotMaxCount: 250, snapshotMaxSize: '0', staleReplicaTimeout: 30, unmapMarkSnapChainRemoved: 'ignored',
    },
    status: {
      actualSize: Math.floor(v.sizeGi * 1024 ** 3 * 0.37),
      cloneStatus: { attemptCount: 0, nextAllowedAttemptAt: '', snapshot: '', sourceVolume: '', state: '' },
      conditions: [
        { lastProbeTime: '', lastTransitionTime: rfc3339(created + 40 * US_PER_S), message: '', reason: '', status: 'False', type: 'TooManySnapshots' },
        { lastProbeTime: '', lastTransitionTime: rfc3339(created + 40 * US_PER_S), message: '', reason: '', status: 'True', type: 'Scheduled' },
        { lastProbeTime: '', lastTransitionTime: rfc3339(created + 40 * US_PER_S), message: '', reason: '', status: 'False', type: 'Restore' },
      ],
      currentImage: images(RELEASE_TO).longhornEngine,
      currentMigrationNodeID: '',
      currentNodeID: v.node ?? '',
      expansionRequired: false,
      frontendDisabled: false,
      isStandby: false,
      kubernetesStatus: { lastPVCRefAt: '', lastPodRefAt: attached ? '' : rfc3339(played.bundleCreatedAt - 2 * US_PER_H), namespace: v.namespace, pvName: v.name, pvStatus: 'Bound', pvcName: v.pvc, workloadsStatus: v.workload ? [{ podName: v.pod ?? v.workload, podStatus: 'Running', workloadName: v.workload, workloadType: v.namespace === 'default' ? 'VirtualMachineInstance' : 'StatefulSet' }] : null },
      lastBackup: '',
      lastBackupAt: '',
      lastDegradedAt: lastDegraded(played, v.name),
      ownerID: v.node ?? NODES[v.name.charCodeAt(6) % 3].name,
      remountRequestedAt: rfc3339(created + 41 * US_PER_S),
      restoreInitiated: false,
      restoreRequired: false,
      robustness: robustness(played, v.name, attached),
      shareEndpoint: '',
      shareState: '',
      state: attached ? 'attached' : 'detached',
    },
  };
}

function lastDegraded(played: Played, vol: string): string {
  const ds = windowsOf(played, vol).filter((d) => d.from <= played.bundleCreatedAt);
  return ds.length ? rfc3339(ds[ds.length - 1].from) : '';
}

// ---------- assembly ----------

/** All `yamls/` files of the support bundle. */
export function resourceFiles(played: Played): ResourceFile[] {
  const w = played.w;
  const at = played.bundleCreatedAt;
  const files: ResourceFile[] = [];
  const add = (path: string, apiVersion: string, kind: string, customResource: boolean, items: Obj[] | ItemSource): void => {
    const src = Array.isArray(items) ? { count: items.length, items: () => items } : items;
    if (src.count) files.push({ path, apiVersion, kind, customResource, items: src.items });
  };
  const ns = (namespace: string, gv: string, resource: string): string => `namespaced/${namespace}/${gv}/${resource}.yaml`;

  add('cluster/v1/nodes.yaml', 'v1', 'Node', false, NODES.map((n) => nodeObject(played, n.name, at)));
  add('cluster/v1/namespaces.yaml', 'v1', 'Namespace', false, [...COLLECTED_NAMESPACES, 'cattle-global-data', 'cattle-impersonation-system', 'kube-node-lease', 'kube-public'].sort().map((n) => ({
    metadata: meta(n, null, n === 'harvester-system' ? CLUSTER_UUID : Rng.derive('ns', n).uuid(), Date.parse('2024-10-28T09:12:00Z') * 1000, { labels: { 'kubernetes.io/metadata.name': n } }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  })));
  const vols = volumeInfos(played);
  add('cluster/v1/persistentvolumes.yaml', 'v1', 'PersistentVolume', false, lazy(vols, (v) => ({
    metadata: meta(v.name, null, Rng.derive('pv', v.name).uuid(), Date.parse('2025-03-02T10:00:00Z') * 1000, { annotations: { 'longhorn.io/volume-scheduling-error': '', 'pv.kubernetes.io/provisioned-by': 'driver.longhorn.io', 'volume.kubernetes.io/provisioner-deletion-secret-name': '', 'volume.kubernetes.io/provisioner-deletion-secret-namespace': '' }, finalizers: ['kubernetes.io/pv-protection', 'external-attacher/driver-longhorn-io'] }),
    spec: { accessModes: [v.namespace === 'default' ? 'ReadWriteMany' : 'ReadWriteOnce'], capacity: { storage: `${v.sizeGi}Gi` }, claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: v.pvc, namespace: v.namespace, resourceVersion: rv(at - 30 * 24 * US_PER_H), uid: Rng.derive('pvc', v.name).uuid() }, csi: { driver: 'driver.longhorn.io', fsType: 'ext4', volumeAttributes: { dataEngine: 'v1', dataLocality: 'disabled', disableRevisionCounter: 'true', fromBackup: '', fsType: 'ext4', migratable: v.namespace === 'default' ? 'true' : 'false', numberOfReplicas: '3', staleReplicaTimeout: '30', unmapMarkSnapChainRemoved: 'ignored' }, volumeHandle: v.name }, persistentVolumeReclaimPolicy: 'Delete', storageClassName: v.namespace === 'default' ? 'longhorn-image-ubuntu-2404' : 'harvester-longhorn', volumeMode: v.namespace === 'default' ? 'Block' : 'Filesystem' },
    status: { lastPhaseTransitionTime: rfc3339(Date.parse('2025-03-02T10:00:05Z') * 1000), phase: 'Bound' },
  })));
  add('cluster/harvesterhci.io/v1beta1/settings.yaml', 'harvesterhci.io/v1beta1', 'Setting', true, Object.entries(played.settings).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, value]) => ({
    metadata: meta(name, null, Rng.derive('setting', name).uuid(), Date.parse('2024-10-28T09:20:00Z') * 1000, { generation: 2 }),
    ...(value !== '' ? { value } : {}),
    default: name === 'server-version' ? 'v1.5.0' : name === 'upgrade-checker-enabled' ? 'true' : '',
    status: {},
  })));
  add('cluster/storage.k8s.io/v1/storageclasses.yaml', 'storage.k8s.io/v1', 'StorageClass', false, ['harvester-longhorn', 'longhorn', 'longhorn-image-ubuntu-2404', 'longhorn-image-rocky-9'].map((name) => ({
    metadata: meta(name, null, Rng.derive('sc', name).uuid(), Date.parse('2024-10-28T09:25:00Z') * 1000, name === 'harvester-longhorn' ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
    allowVolumeExpansion: true,
    parameters: { migratable: 'true', numberOfReplicas: '3', staleReplicaTimeout: '30' },
    provisioner: 'driver.longhorn.io',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  })));
  add('cluster/management.cattle.io/v3/settings.yaml', 'management.cattle.io/v3', 'Setting', true, [['server-version', 'v2.11.0'], ['cluster-defaults', ''], ['k8s-version', 'v1.32.3+rke2r1'], ['rke2-default-version', 'v1.32.3+rke2r1']].map(([name, value]) => ({
    customized: false,
    default: '',
    metadata: meta(name, null, Rng.derive('msetting', name).uuid(), Date.parse('2024-10-28T09:14:00Z') * 1000, {}),
    source: '',
    value,
  })));
  add('cluster/devices.harvesterhci.io/v1beta1/pcidevices.yaml', 'devices.harvesterhci.io/v1beta1', 'PCIDevice', true, NODES.map((n) => ({
    metadata: meta(n.gpu.name, null, Rng.derive('pci', n.name).uuid(), Date.parse('2025-01-14T15:10:00Z') * 1000, { labels: { nodename: n.name } }),
    spec: {},
    status: { address: n.gpu.address, classId: '0302', description: 'NVIDIA Corporation GA107GL [A2 / A16] (rev a1)', deviceId: '25b6', iommuGroup: '39', kernelDriverInUse: 'vfio-pci', nodeName: n.name, resourceName: n.gpu.resource, vendorId: '10de' },
  })));

  add('cluster/devices.harvesterhci.io/v1beta1/pcideviceclaims.yaml', 'devices.harvesterhci.io/v1beta1', 'PCIDeviceClaim', true, NODES.map((n) => ({
    metadata: meta(n.gpu.name, null, Rng.derive('pciclaim', n.name).uuid(), Date.parse('2025-01-14T15:22:00Z') * 1000, { finalizers: ['wrangler.cattle.io/PCIDeviceClaimOnRemove'], generation: 1, ownerReferences: [{ apiVersion: 'devices.harvesterhci.io/v1beta1', kind: 'PCIDevice', name: n.gpu.name, uid: Rng.derive('pci', n.name).uuid() }] }),
    spec: { address: n.gpu.address, nodeName: n.name, userName: 'admin' },
    status: { kernelDriverToUnbind: 'nouveau', passthroughEnabled: true },
  })));

  // Pods and events, namespace by namespace.
  const live = w.livePods(at);
  const byNs = new Map<string, Pod[]>();
  for (const p of live) (byNs.get(p.namespace) ?? byNs.set(p.namespace, []).get(p.namespace)!).push(p);
  for (const [namespace, pods] of [...byNs.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    pods.sort((a, b) => (a.name < b.name ? -1 : 1));
    add(ns(namespace, 'v1', 'pods'), 'v1', 'Pod', false, lazy(pods, (p) => podObject(p, at, p.kind === 'vm' ? w.vm(p.ownerName!) : null)));
  }
  const evWindowStart = Math.min(played.story.rec.createdAt - 30 * US_PER_MIN, at - US_PER_H);
  const events = w.events.filter((e) => e.last >= evWindowStart && e.first <= at);
  for (const namespace of COLLECTED_NAMESPACES) {
    const evs = events.filter((e) => e.namespace === namespace).sort((a, b) => a.first - b.first);
    add(ns(namespace, 'v1', 'events'), 'v1', 'Event', false, lazy(evs, (e, i) => coreEvent(e, i)));
    add(ns(namespace, 'events.k8s.io/v1', 'events'), 'events.k8s.io/v1', 'Event', false, lazy(evs, (e, i) => newEvent(e, i)));
  }

  // Harvester upgrade objects.
  add(ns('harvester-system', 'harvesterhci.io/v1beta1', 'upgrades'), 'harvesterhci.io/v1beta1', 'Upgrade', true, [upgradeObject(played)]);
  add(ns('harvester-system', 'harvesterhci.io/v1beta1', 'upgradelogs'), 'harvesterhci.io/v1beta1', 'UpgradeLog', true, [upgradeLogObject(played)]);
  add(ns('harvester-system', 'harvesterhci.io/v1beta1', 'versions'), 'harvesterhci.io/v1beta1', 'Version', true, [versionObject(played)]);
  const jobs = w.jobs.filter((j) => j.start <= at && !(j.namespace === 'cattle-system' && j.end !== null && j.end + 900 * US_PER_S < at));
  add(ns('harvester-system', 'batch/v1', 'jobs'), 'batch/v1', 'Job', false, jobs.filter((j) => j.namespace === 'harvester-system').sort((a, b) => (a.name < b.name ? -1 : 1)).map((j) => jobObject(j, played)));
  add(ns('cattle-system', 'batch/v1', 'jobs'), 'batch/v1', 'Job', false, jobs.filter((j) => j.namespace === 'cattle-system').map((j) => jobObject(j, played)));

  // VMs.
  const vms = [...w.vms.values()].sort((a, b) => (a.def.name < b.def.name ? -1 : 1));
  add(ns('default', 'kubevirt.io/v1', 'virtualmachines'), 'kubevirt.io/v1', 'VirtualMachine', true, lazy(vms, (v) => vmObject(v, played)));
  add(ns('default', 'kubevirt.io/v1', 'virtualmachineinstances'), 'kubevirt.io/v1', 'VirtualMachineInstance', true, lazy(vms.filter((v) => w.currentRun(v) !== null), (v) => vmiObject(v, played)!));
  const migs = w.migrations.filter((m) => m.start <= at && m.start >= at - 24 * US_PER_H).sort((a, b) => (a.name < b.name ? -1 : 1));
  add(ns('default', 'kubevirt.io/v1', 'virtualmachineinstancemigrations'), 'kubevirt.io/v1', 'VirtualMachineInstanceMigration', true, lazy(migs, (m) => ({
    metadata: meta(m.name, 'default', m.uid, m.start, {
      annotations: { 'kubevirt.io/evacuationMigration': m.source, 'kubevirt.io/latest-observed-api-version': 'v1', 'kubevirt.io/storage-observed-api-version': 'v1' },
      generateName: 'kubevirt-evacuation-',
      generation: 1,
      labels: { 'kubevirt.io/vmi-name': m.vm },
    }),
    spec: { vmiName: m.vm },
    status: {
      migrationState: { completed: true, endTimestamp: rfc3339(m.end), mode: 'PreCopy', sourceNode: m.source, startTimestamp: rfc3339(m.start), targetNode: m.target },
      phase: 'Succeeded',
      phaseTransitionTimestamps: [
        { phase: 'Pending', phaseTransitionTimestamp: rfc3339(m.start) },
        { phase: 'Scheduling', phaseTransitionTimestamp: rfc3339(m.start) },
        { phase: 'Scheduled', phaseTransitionTimestamp: rfc3339(m.start + 4 * US_PER_S) },
        { phase: 'PreparingTarget', phaseTransitionTimestamp: rfc3339(m.start + 4 * US_PER_S) },
        { phase: 'TargetReady', phaseTransitionTimestamp: rfc3339(m.start + 5 * US_PER_S) },
        { phase: 'Running', phaseTransitionTimestamp: rfc3339(m.start + 5 * US_PER_S) },
        { phase: 'Succeeded', phaseTransitionTimestamp: rfc3339(m.end) },
      ],
    },
  })));
  add(ns('default', 'v1', 'persistentvolumeclaims'), 'v1', 'PersistentVolumeClaim', false, lazy(vols.filter((v) => v.namespace === 'default'), (v) => ({
    metadata: meta(v.pvc, 'default', Rng.derive('pvc', v.name).uuid(), Date.parse('2025-03-02T10:00:00Z') * 1000, { annotations: { 'harvesterhci.io/imageId': 'default/image-ubuntu-2404', 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes', 'volume.beta.kubernetes.io/storage-provisioner': 'driver.longhorn.io', 'volume.kubernetes.io/storage-provisioner': 'driver.longhorn.io' }, finalizers: ['kubernetes.io/pvc-protection'] }),
    spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: `${v.sizeGi}Gi` } }, storageClassName: 'longhorn-image-ubuntu-2404', volumeMode: 'Block', volumeName: v.name },
    status: { accessModes: ['ReadWriteMany'], capacity: { storage: `${v.sizeGi}Gi` }, phase: 'Bound' },
  })));
  const runningVms = vms.filter((v) => w.currentRun(v));
  add(ns('default', 'policy/v1', 'poddisruptionbudgets'), 'policy/v1', 'PodDisruptionBudget', false, lazy(runningVms, (v) => {
    const run = w.currentRun(v)!;
    const name = `kubevirt-disruption-budget-${Rng.derive('pdb', run.vmiUid).kube(5)}`;
    return {
      metadata: meta(name, 'default', Rng.derive('pdbuid', run.vmiUid).uuid(), run.createdAt + US_PER_S, { generateName: 'kubevirt-disruption-budget-', generation: 1, ownerReferences: [{ apiVersion: 'kubevirt.io/v1', blockOwnerDeletion: true, controller: true, kind: 'VirtualMachineInstance', name: v.def.name, uid: run.vmiUid }] }),
      spec: { minAvailable: 1, selector: { matchLabels: { 'kubevirt.io/created-by': run.vmiUid } } },
      status: { conditions: [{ lastTransitionTime: rfc3339(run.createdAt + 6 * US_PER_S), message: '', observedGeneration: 1, reason: 'InsufficientPods', status: 'False', type: 'DisruptionAllowed' }], currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1, observedGeneration: 1 },
    };
  }));

  // Longhorn.
  add(ns('longhorn-system', 'longhorn.io/v1beta2', 'volumes'), 'longhorn.io/v1beta2', 'Volume', true, lazy(vols.sort((a, b) => (a.name < b.name ? -1 : 1)), (v) => longhornVolume(played, v)));
  const ims = live.filter((p) => p.kind === 'instance-manager').sort((a, b) => (a.name < b.name ? -1 : 1));
  add(ns('longhorn-system', 'longhorn.io/v1beta2', 'instancemanagers'), 'longhorn.io/v1beta2', 'InstanceManager', true, ims.map((p) => ({
    metadata: meta(p.name, 'longhorn-system', Rng.derive('im', p.name).uuid(), p.createdAt, { finalizers: ['longhorn.io'], generation: 1, labels: { 'longhorn.io/component': 'instance-manager', 'longhorn.io/data-engine': 'v1', 'longhorn.io/instance-manager-image': `imi-${Rng.derive('imi', 'v1.8.1').hex(8)}`, 'longhorn.io/instance-manager-type': 'aio', 'longhorn.io/managed-by': 'longhorn-manager', 'longhorn.io/node': p.node } }),
    spec: { dataEngine: 'v1', dataEngineSpec: { v2: { cpuMask: '' } }, image: images(RELEASE_TO).longhornInstanceManager, nodeID: p.node, type: 'aio' },
    status: { apiMinVersion: 1, apiVersion: 4, currentState: 'running', dataEngineStatus: { v2: { cpuMask: '' } }, instanceEngines: engineStatus(played, vols, p.node), instanceReplicas: replicaStatus(vols, p.node), ip: p.ip, ownerID: p.node, proxyApiMinVersion: 1, proxyApiVersion: 6 },
  })));
  add(ns('longhorn-system', 'longhorn.io/v1beta2', 'engines'), 'longhorn.io/v1beta2', 'Engine', true, engines(played, vols));
  add(ns('longhorn-system', 'longhorn.io/v1beta2', 'replicas'), 'longhorn.io/v1beta2', 'Replica', true, lazy(vols.flatMap((v) => NODES.map((n) => [v, n] as const)), ([v, n]) => {
    const name = replicaName(v.name, n.name);
    const down = robustness(played, v.name, v.node !== null) === 'degraded' && replicaFailedOn(played, v.name) === n.name;
    return {
      metadata: meta(name, 'longhorn-system', Rng.derive('replica-uid', name).uuid(), Date.parse('2025-03-02T10:00:02Z') * 1000, { finalizers: ['longhorn.io'], generation: 7, labels: { longhornnode: n.name, longhornvolume: v.name } }),
      spec: { active: true, dataEngine: 'v1', dataDirectoryName: `${v.name}-${Rng.derive('dir', name).hex(8)}`, desireState: v.node ? 'running' : 'stopped', diskID: Rng.derive('disk', n.name).uuid(), diskPath: '/var/lib/harvester/defaultdisk', engineName: `${v.name}-e-0`, failedAt: down ? rfc3339(played.bundleCreatedAt - 2 * US_PER_H) : '', hardNodeAffinity: '', healthyAt: rfc3339(Date.parse('2025-06-14T11:40:00Z') * 1000), image: images(RELEASE_TO).longhornEngine, nodeID: n.name, rebuildRetryCount: down ? 3 : 0, revisionCounterDisabled: true, volumeName: v.name, volumeSize: String(v.sizeGi * 1024 ** 3) },
      status: { currentImage: images(RELEASE_TO).longhornEngine, currentState: v.node ? (down ? 'error' : 'running') : 'stopped', instanceManagerName: ims.find((i) => i.node === n.name)?.name ?? '', ip: v.node ? ims.find((i) => i.node === n.name)?.ip ?? '' : '', ownerID: n.name, port: v.node ? 10000 + (name.charCodeAt(name.length - 1) % 60) * 20 : 0, started: v.node !== null && !down, storageIP: '' },
    };
  }));
  add(ns('longhorn-system', 'longhorn.io/v1beta2', 'nodes'), 'longhorn.io/v1beta2', 'Node', true, NODES.map((n) => ({
    metadata: meta(n.name, 'longhorn-system', Rng.derive('lhnode', n.name).uuid(), Date.parse('2024-10-28T09:30:00Z') * 1000, { finalizers: ['longhorn.io'], generation: 5 }),
    spec: { allowScheduling: true, disks: { 'default-disk-1cbd8e5d5e44a1a1': { allowScheduling: true, diskDriver: '', diskType: 'filesystem', evictionRequested: false, path: '/var/lib/harvester/defaultdisk', storageReserved: 0, tags: [] } }, evictionRequested: false, instanceManagerCPURequest: 0, name: n.name, tags: [] },
    status: { autoEvicting: false, conditions: [{ lastProbeTime: '', lastTransitionTime: rfc3339(played.w.node(n.name).boots.at(-1)!.start + 3 * US_PER_MIN), message: '', reason: '', status: 'True', type: 'Ready' }, { lastProbeTime: '', lastTransitionTime: rfc3339(played.w.node(n.name).boots.at(-1)!.start + 3 * US_PER_MIN), message: '', reason: '', status: 'True', type: 'Schedulable' }], region: '', snapshotCheckStatus: {}, zone: 'zone-a' },
  })));
  add(ns('longhorn-system', 'longhorn.io/v1beta2', 'settings'), 'longhorn.io/v1beta2', 'Setting', true, LONGHORN_SETTINGS.map(([name, value]) => ({
    metadata: meta(name, 'longhorn-system', Rng.derive('lhs', name).uuid(), Date.parse('2024-10-28T09:31:00Z') * 1000, { generation: 1 }),
    status: { applied: true },
    value,
  })));
  add(ns('longhorn-system', 'policy/v1', 'poddisruptionbudgets'), 'policy/v1', 'PodDisruptionBudget', false, ims.map((p) => ({
    metadata: meta(p.name, 'longhorn-system', Rng.derive('impdb', p.name).uuid(), p.createdAt + 20 * US_PER_S, { generation: 1, ownerReferences: [{ apiVersion: 'longhorn.io/v1beta2', blockOwnerDeletion: true, controller: true, kind: 'InstanceManager', name: p.name, uid: Rng.derive('im', p.name).uuid() }] }),
    spec: { minAvailable: 1, selector: { matchLabels: { 'longhorn.io/component': 'instance-manager', 'longhorn.io/data-engine': 'v1', 'longhorn.io/instance-manager-image': `imi-${Rng.derive('imi', 'v1.8.1').hex(8)}`, 'longhorn.io/instance-manager-type': 'aio', 'longhorn.io/managed-by': 'longhorn-manager', 'longhorn.io/node': p.node } } },
    status: { conditions: [{ lastTransitionTime: rfc3339(p.createdAt + 25 * US_PER_S), message: '', observedGeneration: 1, reason: 'InsufficientPods', status: 'False', type: 'DisruptionAllowed' }], currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1, observedGeneration: 1 },
  })));

  // Monitoring: the Prometheus StatefulSet carries the limits the field report complains about.
  add(ns('cattle-monitoring-system', 'apps/v1', 'statefulsets'), 'apps/v1', 'StatefulSet', false, [{
    metadata: meta('prometheus-rancher-monitoring-prometheus', 'cattle-monitoring-system', Rng.derive('sts', 'prom').uuid(), Date.parse('2024-10-28T09:41:00Z') * 1000, { generation: 9, labels: { 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': 'rancher-monitoring-prometheus' } }),
    spec: { replicas: 1, selector: { matchLabels: { 'app.kubernetes.io/instance': 'rancher-monitoring-prometheus', 'app.kubernetes.io/managed-by': 'prometheus-operator', 'app.kubernetes.io/name': 'prometheus' } }, serviceName: 'prometheus-operated', template: { metadata: { creationTimestamp: null, labels: { 'app.kubernetes.io/name': 'prometheus' } }, spec: { containers: [{ args: ['--web.console.templates=/etc/prometheus/consoles', '--storage.tsdb.retention.time=5d', '--storage.tsdb.retention.size=40GiB', '--config.file=/etc/prometheus/config_out/prometheus.env.yaml', '--storage.tsdb.path=/prometheus', '--web.enable-lifecycle', '--web.route-prefix=/', '--storage.tsdb.wal-compression'], image: images(RELEASE_TO).prometheus, name: 'prometheus', resources: PROM_RESOURCES }] } } },
    status: { availableReplicas: 1, collisionCount: 0, currentReplicas: 1, currentRevision: 'prometheus-rancher-monitoring-prometheus-6b9c5d8f74', observedGeneration: 9, readyReplicas: 1, replicas: 1, updateRevision: 'prometheus-rancher-monitoring-prometheus-6b9c5d8f74', updatedReplicas: 1 },
  }]);

  // fleet-local: machine plans (reduced to the status keys by the harvester collector), cluster, machines.
  add(ns('fleet-local', 'v1', 'secrets'), 'v1', 'Secret', false, NODES.map((n) => planSecret(played, n.name)));
  add(ns('fleet-local', 'provisioning.cattle.io/v1', 'clusters'), 'provisioning.cattle.io/v1', 'Cluster', true, [provisioningCluster(played)]);
  add(ns('fleet-local', 'cluster.x-k8s.io/v1beta1', 'machines'), 'cluster.x-k8s.io/v1beta1', 'Machine', true, NODES.map((n) => ({
    metadata: meta(n.machine, 'fleet-local', Rng.derive('machine', n.name).uuid(), Date.parse('2024-10-28T09:13:00Z') * 1000, { finalizers: ['machine.cluster.x-k8s.io'], generation: 3, labels: { 'cluster.x-k8s.io/cluster-name': 'local', 'cluster.x-k8s.io/control-plane': 'true', 'rke.cattle.io/cluster-name': 'local', 'rke.cattle.io/control-plane-role': 'true', 'rke.cattle.io/etcd-role': 'true', 'rke.cattle.io/worker-role': 'true' } }),
    spec: { bootstrap: { configRef: { apiVersion: 'rke.cattle.io/v1', kind: 'RKEBootstrap', name: n.machine, namespace: 'fleet-local' }, dataSecretName: `${n.machine}-machine-bootstrap` }, clusterName: 'local', infrastructureRef: { apiVersion: 'rke.cattle.io/v1', kind: 'CustomMachine', name: n.machine, namespace: 'fleet-local' }, nodeDeletionTimeout: '10s', providerID: `rke2://${n.name}` },
    status: { addresses: [{ address: n.ip, type: 'InternalIP' }, { address: n.name, type: 'Hostname' }], bootstrapReady: true, infrastructureReady: true, lastUpdated: rfc3339(played.w.node(n.name).boots.at(-1)!.start + 4 * US_PER_MIN), nodeRef: { apiVersion: 'v1', kind: 'Node', name: n.name, uid: n.uid }, observedGeneration: 3, phase: 'Running' },
  })));
  return files;
}

function replicaName(vol: string, node: string): string {
  return `${vol}-r-${Rng.derive('replica', `${vol}/${node}`).hex(8)}`;
}

/** The node whose replica is the broken one of a degraded volume. */
function replicaFailedOn(played: Played, vol: string): string {
  return played.facts.drainBlocked?.node ?? NODES[vol.charCodeAt(4) % 3].name;
}

function engines(played: Played, vols: VolumeInfo[]): ItemSource {
  const stuck = played.facts.drainBlocked;
  const stillStuck = stuck && stuck.to === null;
  return lazy(vols.filter((v) => v.node || (stillStuck && stuck.engine.startsWith(v.name))), (v) => {
    const name = `${v.name}-e-0`;
    const node = stillStuck && stuck.engine === name ? stuck.node : v.node!;
    return {
      metadata: meta(name, 'longhorn-system', Rng.derive('engine', name).uuid(), Date.parse('2025-03-02T10:00:02Z') * 1000, { finalizers: ['longhorn.io'], generation: 9, labels: { longhornnode: node, longhornvolume: v.name } }),
      spec: { active: true, backupVolume: '', dataEngine: 'v1', desireState: 'running', disableFrontend: false, frontend: 'blockdev', image: images(RELEASE_TO).longhornEngine, logRequested: false, nodeID: node, replicaAddressMap: Object.fromEntries(NODES.map((n) => [replicaName(v.name, n.name), `10.52.${Number(n.name.slice(-1)) - 1}.${30 + (v.name.charCodeAt(9) % 90)}:${10000 + (v.name.charCodeAt(10) % 60) * 20}`])), revisionCounterDisabled: true, salvageRequested: false, snapshotMaxCount: 250, snapshotMaxSize: '0', unmapMarkSnapChainRemovedEnabled: false, upgradedReplicaAddressMap: {}, volumeName: v.name, volumeSize: String(v.sizeGi * 1024 ** 3) },
      status: { currentImage: images(RELEASE_TO).longhornEngine, currentSize: String(v.sizeGi * 1024 ** 3), currentState: 'running', endpoint: `/dev/longhorn/${v.name}`, isExpanding: false, lastExpansionError: '', lastExpansionFailedAt: '', lastRestoredBackup: '', ownerID: node, port: 10010, robustness: robustness(played, v.name, true), started: true, storageIP: '' },
    };
  });
}

function engineStatus(played: Played, vols: VolumeInfo[], node: string): Obj {
  const stuck = played.facts.drainBlocked;
  const names = vols.filter((v) => v.node === node || (stuck && stuck.to === null && stuck.node === node && stuck.engine.startsWith(v.name))).map((v) => `${v.name}-e-0`);
  return Object.fromEntries(names.map((n) => [n, { spec: { dataEngine: 'v1', name: n }, status: { endpoint: '', errorMsg: '', listen: '', portEnd: 10020, portStart: 10010, resourceVersion: 0, state: 'running', type: 'engine' } }]));
}

function replicaStatus(vols: VolumeInfo[], node: string): Obj {
  return Object.fromEntries(vols.filter((v) => v.node).map((v) => [replicaName(v.name, node), { spec: { dataEngine: 'v1', name: replicaName(v.name, node) }, status: { endpoint: '', errorMsg: '', listen: '', portEnd: 10020, portStart: 10000, resourceVersion: 0, state: 'running', type: 'replica' } }]));
}

const LONGHORN_SETTINGS: readonly [string, string][] = [
  ['auto-cleanup-system-generated-snapshot', 'true'],
  ['auto-delete-pod-when-volume-detached-unexpectedly', 'true'],
  ['backup-target', ''],
  ['concurrent-replica-rebuild-per-node-limit', '5'],
  ['default-data-path', '/var/lib/harvester/defaultdisk'],
  ['default-replica-count', '{"v1":"3","v2":"3"}'],
  ['detach-manually-attached-volumes-when-cordoned', 'true'],
  ['guaranteed-instance-manager-cpu', '{"v1":"12","v2":"12"}'],
  ['node-down-pod-deletion-policy', 'delete-both-statefulset-and-deployment-pod'],
  ['node-drain-policy', 'allow-if-replica-is-stopped'],
  ['replica-replenishment-wait-interval', '600'],
  ['replica-soft-anti-affinity', 'false'],
  ['storage-minimal-available-percentage', '25'],
  ['storage-over-provisioning-percentage', '200'],
  ['taint-toleration', 'kubevirt.io/drain:NoSchedule'],
];

function planSecret(played: Played, node: string): Obj {
  const def = nodeDef(node);
  const rec = played.story.rec;
  const applied = rec.planAppliedAt[node] ?? played.boot.bootAt[node] + 3 * US_PER_MIN;
  const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');
  const checksum = Rng.derive(played.w.seed, `plan/${node}/${played.w.proc(node, 'rke2', played.bundleCreatedAt).version}`).hex(64);
  const installOutput = b64(gzipSync(Buffer.from(JSON.stringify({ 'capture-address': b64(`${def.ip}\n`), 'etcd-snapshot-list-local': b64('Name  Location  Size  Created\n') })), { level: 6 }));
  return {
    metadata: meta(`${def.machine}-machine-plan`, 'fleet-local', Rng.derive('plan-secret', node).uuid(), Date.parse('2024-10-28T09:13:20Z') * 1000, {
      annotations: { 'objectset.rio.cattle.io/id': 'unmanaged-machine', 'rke.cattle.io/join-url': `https://${CLUSTER_VIP}:9345`, 'rke.cattle.io/labels': '{"harvesterhci.io/managed":"true"}', 'rke.cattle.io/plan-probes-passed': 'true', ...rec.planAnnotations[node] },
      labels: { 'cattle.io/creator': 'norman', 'rke.cattle.io/cluster-name': 'local', 'rke.cattle.io/machine-name': def.machine },
      ownerReferences: [{ apiVersion: 'rke.cattle.io/v1', kind: 'RKEBootstrap', name: def.machine, uid: Rng.derive('rkeboot', node).uuid() }],
    }),
    data: {
      'applied-checksum': b64(checksum),
      'applied-output': installOutput,
      'applied-periodic-output': b64(gzipSync(Buffer.from(JSON.stringify({ 'etcd-snapshot-list-local': { stdout: b64('Name Location Size Created\n'), exitCode: 0, lastSuccessfulRunTime: rfc3339(played.bundleCreatedAt - 4 * US_PER_MIN) } })), { level: 6 })),
      'failure-count': b64('0'),
      'last-apply-time': b64(rfc3339(applied)),
      'probe-statuses': b64(JSON.stringify({ 'calico': { healthy: true, successCount: 1 }, 'etcd': { healthy: true, successCount: 1 }, 'kube-apiserver': { healthy: true, successCount: 1 }, 'kube-controller-manager': { healthy: true, successCount: 1 }, 'kube-scheduler': { healthy: true, successCount: 1 }, kubelet: { healthy: true, successCount: 1 } })),
      'success-count': b64('1'),
    },
    type: 'rke.cattle.io/machine-plan',
  };
}

function provisioningCluster(played: Played): Obj {
  const rec = played.story.rec;
  const upgrading = rec.finishedAt === null && rec.state === 'UpgradingNodes';
  return {
    metadata: meta('local', 'fleet-local', Rng.derive('prov', 'local').uuid(), Date.parse('2024-10-28T09:12:40Z') * 1000, { finalizers: ['wrangler.cattle.io/provisioning-cluster-remove', 'wrangler.cattle.io/rke-cluster-remove'], generation: upgrading ? 24 : 25, labels: { 'objectset.rio.cattle.io/hash': Rng.derive('h', 'local').hex(40), 'provider.cattle.io': 'harvester' } }),
    spec: {
      kubernetesVersion: RELEASE_TO.kubernetes,
      localClusterAuthEndpoint: {},
      rkeConfig: upgrading
        ? { machinePoolDefaults: {}, provisionGeneration: 3, upgradeStrategy: { controlPlaneConcurrency: '1', controlPlaneDrainOptions: JSON.parse(drainOptionsJson()), workerConcurrency: '1', workerDrainOptions: JSON.parse(drainOptionsJson()) } }
        : { machinePoolDefaults: {}, provisionGeneration: 4 },
    },
    status: {
      clientSecretName: 'local-kubeconfig',
      clusterName: 'local',
      conditions: [
        { lastUpdateTime: rfc3339(rec.createdAt + 30 * US_PER_MIN), status: 'True', type: 'Created' },
        { lastUpdateTime: rfc3339(played.bundleCreatedAt - 20 * US_PER_MIN), ...(upgrading ? { message: `draining bootstrap node(s) ${nodeDef(played.facts.drainBlocked?.node ?? 'harvester-01').machine}: draining node`, reason: 'Waiting' } : {}), status: upgrading ? 'Unknown' : 'True', type: 'Updated' },
        { lastUpdateTime: rfc3339(rec.createdAt + 90 * US_PER_MIN), status: 'True', type: 'Provisioned' },
        { lastUpdateTime: rfc3339(played.bundleCreatedAt - 20 * US_PER_MIN), status: upgrading ? 'False' : 'True', type: 'Ready' },
      ],
      fleetWorkspaceName: 'fleet-local',
      observedGeneration: upgrading ? 24 : 25,
      ready: !upgrading,
    },
  };
}
