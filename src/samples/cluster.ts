/**
 * The sample cluster: three bare-metal control-plane nodes, ~60 VMs, Harvester v1.4.2 → v1.5.0.
 * Versions are the ones of upgrade-mechanics.md §0 and bundle-layout.md §0; names follow the real components.
 */
import { Rng } from './prng.js';

/** Project namespace UID of `harvester-system`: the cluster identity in bundle names and metadata.yaml. */
export const CLUSTER_UUID = '3f9c2e71-58ad-4b0e-9c6d-1e7a42b85d90';
export const CLUSTER_VIP = '10.10.20.10';

export interface ReleaseInfo {
  harvester: string;
  harvesterChart: string;
  installer: string;
  os: string;
  kubernetes: string;
  rancher: string;
  monitoringChart: string;
  loggingChart: string;
  kubevirt: string;
  minUpgradableVersion: string;
  longhorn: string;
  containerd: string;
  kernel: string;
  fleet: { chart: string; app: string };
  fleetCrd: { chart: string; app: string };
  rancherWebhook: { chart: string; app: string };
}

export const RELEASE_FROM: ReleaseInfo = {
  harvester: 'v1.4.2',
  harvesterChart: '1.4.2',
  installer: '6fe3c71',
  os: 'Harvester v1.4.2',
  kubernetes: 'v1.31.4+rke2r1',
  rancher: 'v2.10.1',
  monitoringChart: '103.1.1+up45.31.1',
  loggingChart: '103.1.0+up4.4.0',
  kubevirt: '1.3.1-150600.5.9.1',
  minUpgradableVersion: 'v1.4.1',
  longhorn: 'v1.7.2',
  containerd: 'v1.7.23-k3s2',
  kernel: '5.14.21-150500.55.83-default',
  fleet: { chart: '105.0.2+up0.11.2', app: '0.11.2' },
  fleetCrd: { chart: '105.0.2+up0.11.2', app: '0.11.2' },
  rancherWebhook: { chart: '105.0.1+up0.6.2', app: '0.6.2' },
};

export const RELEASE_TO: ReleaseInfo = {
  harvester: 'v1.5.0',
  harvesterChart: '1.5.0',
  installer: 'a3b45d0',
  os: 'Harvester v1.5.0',
  kubernetes: 'v1.32.3+rke2r1',
  rancher: 'v2.11.0',
  monitoringChart: '105.1.2+up61.3.2',
  loggingChart: '105.2.0+up4.10.0',
  kubevirt: '1.4.0-150600.5.15.1',
  minUpgradableVersion: 'v1.4.2',
  longhorn: 'v1.8.1',
  containerd: 'v2.0.4-k3s2',
  kernel: '5.14.21-150500.55.100-default',
  fleet: { chart: '106.0.0+up0.12.0', app: '0.12.0' },
  fleetCrd: { chart: '106.0.0+up0.12.0', app: '0.12.0' },
  rancherWebhook: { chart: '106.0.0+up0.7.0', app: '0.7.0' },
};

/** The external Rancher that manages this Harvester cluster (field report: "managed from Rancher 2.11.1"). */
export const EXTERNAL_RANCHER = { version: 'v2.11.1', url: 'https://rancher.corp.example.net' };

export interface NodeDef {
  name: string;
  ip: string;
  uid: string;
  /** CAPI machine (`cluster.x-k8s.io/machine` annotation) and its plan secret `<machine>-machine-plan`. */
  machine: string;
  systemUuid: string;
  machineId: string;
  bootIds: string[];
  /** PCI device offered for passthrough (`<node>-<address>` as harvester pcidevices names it). */
  gpu: { name: string; address: string; resource: string };
  /** Base PIDs of long-running processes (kubelet thread ids in klog are process ids). */
  pidBase: number;
}

function makeNode(index: number): NodeDef {
  const name = `harvester-0${index}`;
  const rng = Rng.derive('cluster', name);
  const address = ['0000:17:00.0', '0000:65:00.0', '0000:b1:00.0'][index - 1];
  return {
    name,
    ip: `10.10.20.1${index}`,
    uid: rng.uuid(),
    machine: `custom-${rng.hex(12)}`,
    systemUuid: rng.uuid(),
    machineId: rng.hex(32),
    bootIds: [rng.hex(32), rng.hex(32), rng.hex(32)],
    gpu: { name: `${name}-${address.replace(/[:.]/g, '')}`, address, resource: 'nvidia.com/GA107GL_A2_PCIE' },
    pidBase: 1800 + index * 137,
  };
}

export const NODES: readonly NodeDef[] = [makeNode(1), makeNode(2), makeNode(3)];
export const nodeDef = (name: string): NodeDef => NODES.find((n) => n.name === name)!;

/** Container images per component and release side. */
export function images(rel: ReleaseInfo): Record<string, string> {
  const kv = rel.kubevirt;
  return {
    harvester: `rancher/harvester:${rel.harvester}`,
    harvesterWebhook: `rancher/harvester-webhook:${rel.harvester}`,
    harvesterUpgrade: `rancher/harvester-upgrade:${rel.harvester}`,
    harvesterNetwork: `rancher/harvester-network-controller:${rel.harvester === 'v1.5.0' ? 'v1.5.0' : 'v0.5.5'}`,
    harvesterNodeManager: `rancher/harvester-node-manager:${rel.harvester === 'v1.5.0' ? 'v1.5.0' : 'v0.3.4'}`,
    harvesterNodeDisk: `rancher/harvester-node-disk-manager:${rel.harvester === 'v1.5.0' ? 'v1.5.0' : 'v0.7.7'}`,
    harvesterLb: `rancher/harvester-load-balancer:${rel.harvester === 'v1.5.0' ? 'v1.5.0' : 'v0.4.3'}`,
    kubeVip: 'ghcr.io/kube-vip/kube-vip-iptables:v0.8.7',
    virtApi: `registry.suse.com/suse/sles/15.6/virt-api:${kv}`,
    virtController: `registry.suse.com/suse/sles/15.6/virt-controller:${kv}`,
    virtHandler: `registry.suse.com/suse/sles/15.6/virt-handler:${kv}`,
    virtLauncher: `registry.suse.com/suse/sles/15.6/virt-launcher:${kv}`,
    virtOperator: `registry.suse.com/suse/sles/15.6/virt-operator:${kv}`,
    longhornManager: `longhornio/longhorn-manager:${rel.longhorn}`,
    longhornInstanceManager: `longhornio/longhorn-instance-manager:${rel.longhorn}`,
    longhornEngine: `longhornio/longhorn-engine:${rel.longhorn}`,
    longhornUi: `longhornio/longhorn-ui:${rel.longhorn}`,
    csiAttacher: rel.longhorn === 'v1.8.1' ? 'longhornio/csi-attacher:v4.8.1' : 'longhornio/csi-attacher:v4.7.0',
    csiProvisioner: rel.longhorn === 'v1.8.1' ? 'longhornio/csi-provisioner:v5.2.0' : 'longhornio/csi-provisioner:v4.0.1-20241007',
    csiResizer: rel.longhorn === 'v1.8.1' ? 'longhornio/csi-resizer:v1.13.2' : 'longhornio/csi-resizer:v1.12.0',
    csiSnapshotter: rel.longhorn === 'v1.8.1' ? 'longhornio/csi-snapshotter:v8.2.0' : 'longhornio/csi-snapshotter:v7.0.2-20241007',
    csiRegistrar: 'longhornio/csi-node-driver-registrar:v2.13.0',
    livenessProbe: 'longhornio/livenessprobe:v2.15.0',
    rancher: `rancher/rancher:${rel.rancher}`,
    rancherWebhook: `rancher/rancher-webhook:v${rel.rancherWebhook.app}`,
    rancherAgent: `rancher/rancher-agent:${EXTERNAL_RANCHER.version}`,
    suc: 'rancher/system-upgrade-controller:v0.15.2',
    fleet: `rancher/fleet:v${rel.fleet.app}`,
    fleetAgent: `rancher/fleet-agent:v${rel.fleet.app}`,
    prometheus: rel.monitoringChart.startsWith('105') ? 'rancher/mirrored-prometheus-prometheus:v2.53.1' : 'rancher/mirrored-prometheus-prometheus:v2.45.0',
    configReloader: 'rancher/mirrored-prometheus-operator-prometheus-config-reloader:v0.75.2',
    alertmanager: 'rancher/mirrored-prometheus-alertmanager:v0.27.0',
    grafana: 'rancher/mirrored-grafana-grafana:10.4.1',
    promOperator: 'rancher/mirrored-prometheus-operator-prometheus-operator:v0.75.2',
    kubeStateMetrics: 'rancher/mirrored-kube-state-metrics-kube-state-metrics:v2.12.0',
    nodeExporter: 'rancher/mirrored-prometheus-node-exporter:v1.8.1',
    etcd: `index.docker.io/rancher/hardened-etcd:v3.5.19-k3s1-build20250306`,
    kubernetes: `index.docker.io/rancher/hardened-kubernetes:${rel.kubernetes.replace('+', '-')}-build20250312`,
    canalCalico: 'rancher/hardened-calico:v3.29.2-build20250306',
    canalFlannel: 'rancher/hardened-flannel:v0.26.5-build20250306',
    coredns: 'rancher/hardened-coredns:v1.12.0-build20241126',
    multus: 'rancher/hardened-multus-cni:v4.1.4-build20250108',
    metricsServer: 'rancher/hardened-k8s-metrics-server:v0.7.2-build20250110',
    ingressNginx: 'rancher/nginx-ingress-controller:v1.12.1-hardened1',
    cloudController: 'rancher/harvester-cloud-provider:v0.2.9',
    supportBundleKit: 'rancher/support-bundle-kit:v0.0.46',
    systemAgentInstallerRke2: `rancher/system-agent-installer-rke2:${rel.kubernetes.replace('+', '-')}`,
  };
}

export type VmSpecial = { kind: 'pci'; node: string } | { kind: 'pinned'; node: string } | null;

export interface VmDef {
  name: string;
  namespace: string;
  uid: string;
  cpu: number;
  memoryGi: number;
  diskGi: number;
  /** Longhorn volume (= PV name) and its PVC. */
  volume: string;
  pvc: string;
  pvUid: string;
  mac: string;
  /** `RerunOnFailure` is what the Harvester UI sets; `Halted` for VMs the operator stopped before the upgrade. */
  runStrategy: 'RerunOnFailure' | 'Halted';
  special: VmSpecial;
  createdAt: string;
  image: string;
}

const VM_FAMILIES: readonly { prefix: string; count: number; cpu: number; mem: number; disk: number; image: string }[] = [
  { prefix: 'web', count: 18, cpu: 2, mem: 4, disk: 40, image: 'image-ubuntu-2404' },
  { prefix: 'db', count: 8, cpu: 8, mem: 32, disk: 200, image: 'image-rocky-9' },
  { prefix: 'ci-runner', count: 16, cpu: 4, mem: 8, disk: 80, image: 'image-ubuntu-2204' },
  { prefix: 'app', count: 10, cpu: 4, mem: 8, disk: 60, image: 'image-sles-15-sp6' },
  { prefix: 'mon', count: 2, cpu: 2, mem: 8, disk: 100, image: 'image-ubuntu-2404' },
  { prefix: 'jump', count: 1, cpu: 1, mem: 2, disk: 20, image: 'image-ubuntu-2404' },
];

/** The five VMs the upgrade webhook refuses to migrate: PCI passthrough or pinned with a node selector. */
const SPECIAL_VMS: readonly { name: string; special: NonNullable<VmSpecial>; cpu: number; mem: number; disk: number; image: string }[] = [
  { name: 'gpu-ml-01', special: { kind: 'pci', node: 'harvester-01' }, cpu: 16, mem: 64, disk: 300, image: 'image-ubuntu-2204' },
  { name: 'gpu-ml-02', special: { kind: 'pci', node: 'harvester-03' }, cpu: 16, mem: 64, disk: 300, image: 'image-ubuntu-2204' },
  { name: 'transcode-01', special: { kind: 'pci', node: 'harvester-02' }, cpu: 8, mem: 16, disk: 120, image: 'image-rocky-9' },
  { name: 'license-server-01', special: { kind: 'pinned', node: 'harvester-01' }, cpu: 2, mem: 4, disk: 40, image: 'image-sles-15-sp6' },
  { name: 'pbx-01', special: { kind: 'pinned', node: 'harvester-02' }, cpu: 2, mem: 4, disk: 40, image: 'image-rocky-9' },
];

/** Past this, `--scale` grows log volume only: a busy three-node cluster runs a few hundred VMs, not thousands. */
const MAX_FLEET_SCALE = 4;
/** The multiplier of the VM fleet (and so of the objects) at a given `--scale`. */
export const fleetScale = (scale: number): number => Math.min(scale, MAX_FLEET_SCALE);

/**
 * The VM fleet. `scale` multiplies the regular families; `withSpecial` adds the five non-migratable VMs
 * (halted by the operator before the upgrade).
 */
export function buildVms(scale: number, withSpecial: boolean): VmDef[] {
  const rng = Rng.derive('cluster', `vms-${scale}`);
  const out: VmDef[] = [];
  const mk = (name: string, cpu: number, mem: number, disk: number, image: string, special: VmSpecial): VmDef => {
    const day = rng.int(1, 28);
    return {
      name,
      namespace: 'default',
      uid: rng.uuid(),
      cpu,
      memoryGi: mem,
      diskGi: disk,
      volume: `pvc-${rng.uuid()}`,
      pvc: `${name}-disk-0-${rng.kube(5)}`,
      pvUid: rng.uuid(),
      mac: `52:54:00:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}`,
      runStrategy: special ? 'Halted' : 'RerunOnFailure',
      special,
      createdAt: `2025-0${rng.int(2, 5)}-${String(day).padStart(2, '0')}T${String(rng.int(7, 18)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}Z`,
      image,
    };
  };
  for (const f of VM_FAMILIES) {
    for (let i = 1; i <= f.count * scale; i++) out.push(mk(`${f.prefix}-${String(i).padStart(2, '0')}`, f.cpu, f.mem, f.disk, f.image, null));
  }
  if (withSpecial) for (const s of SPECIAL_VMS) out.push(mk(s.name, s.cpu, s.mem, s.disk, s.image, s.special));
  return out;
}
