/**
 * The pods of a Harvester v1.4/v1.5 cluster in the collected namespaces (bundle-layout.md §6.2, §7):
 * which workloads exist, their containers and images, and the noise profile each container logs with.
 */
import type { ReleaseInfo } from './cluster.js';
import { images } from './cluster.js';
import type { WorkloadSpec } from './world.js';

type C = WorkloadSpec['containers'][number];
const c = (name: string, image: string, profile: string): C => ({ name, image, profile });

/** Per-node static pods (RKE2 control plane). */
export function staticWorkloads(rel: ReleaseInfo): WorkloadSpec[] {
  const im = images(rel);
  return [
    { namespace: 'kube-system', name: 'etcd', kind: 'static', containers: [c('etcd', im.etcd, 'etcd')], labels: { component: 'etcd', tier: 'control-plane' } },
    { namespace: 'kube-system', name: 'kube-apiserver', kind: 'static', containers: [c('kube-apiserver', im.kubernetes, 'kube-apiserver')], labels: { component: 'kube-apiserver', tier: 'control-plane' } },
    { namespace: 'kube-system', name: 'kube-controller-manager', kind: 'static', containers: [c('kube-controller-manager', im.kubernetes, 'kube-controller-manager')], labels: { component: 'kube-controller-manager', tier: 'control-plane' } },
    { namespace: 'kube-system', name: 'kube-scheduler', kind: 'static', containers: [c('kube-scheduler', im.kubernetes, 'kube-scheduler')], labels: { component: 'kube-scheduler', tier: 'control-plane' } },
    { namespace: 'kube-system', name: 'kube-proxy', kind: 'static', containers: [c('kube-proxy', im.kubernetes, 'kube-proxy')], labels: { component: 'kube-proxy', tier: 'control-plane' } },
    { namespace: 'kube-system', name: 'cloud-controller-manager', kind: 'static', containers: [c('cloud-controller-manager', im.kubernetes.replace('hardened-kubernetes', 'rke2-cloud-provider'), 'cloud-controller-manager')], labels: { component: 'cloud-controller-manager', tier: 'control-plane' } },
  ];
}

/** RKE2 chart workloads (rolled out by the helm controller when the first server runs the new RKE2). */
export function rke2ChartWorkloads(rel: ReleaseInfo): WorkloadSpec[] {
  const im = images(rel);
  return [
    { namespace: 'kube-system', name: 'rke2-canal', kind: 'daemonset', containers: [c('calico-node', im.canalCalico, 'calico-node'), c('kube-flannel', im.canalFlannel, 'kube-flannel')], labels: { 'k8s-app': 'canal' } },
    { namespace: 'kube-system', name: 'rke2-multus', kind: 'daemonset', containers: [c('kube-rke2-multus', im.multus, 'kube-multus')], labels: { app: 'rke2-multus' } },
    { namespace: 'kube-system', name: 'rke2-ingress-nginx-controller', kind: 'daemonset', containers: [c('rke2-ingress-nginx-controller', im.ingressNginx, 'ingress-nginx')], labels: { 'app.kubernetes.io/name': 'rke2-ingress-nginx' } },
    { namespace: 'kube-system', name: 'rke2-coredns-rke2-coredns', kind: 'deployment', replicas: 2, containers: [c('coredns', im.coredns, 'coredns')], labels: { 'k8s-app': 'kube-dns' } },
    { namespace: 'kube-system', name: 'rke2-metrics-server', kind: 'deployment', replicas: 1, containers: [c('metrics-server', im.metricsServer, 'metrics-server')], labels: { app: 'rke2-metrics-server' } },
  ];
}

export function harvesterWorkloads(rel: ReleaseInfo): WorkloadSpec[] {
  const im = images(rel);
  return [
    { namespace: 'harvester-system', name: 'harvester', kind: 'deployment', replicas: 1, containers: [c('apiserver', im.harvester, 'harvester')], labels: { 'app.kubernetes.io/name': 'harvester', 'app.kubernetes.io/component': 'apiserver' } },
    { namespace: 'harvester-system', name: 'harvester-webhook', kind: 'deployment', replicas: 1, containers: [c('harvester-webhook', im.harvesterWebhook, 'harvester-webhook')], labels: { 'app.kubernetes.io/name': 'harvester', 'app.kubernetes.io/component': 'webhook-server' } },
    { namespace: 'harvester-system', name: 'harvester-load-balancer', kind: 'deployment', replicas: 1, containers: [c('harvester-load-balancer', im.harvesterLb, 'harvester-lb')], labels: { 'app.kubernetes.io/name': 'harvester-load-balancer' } },
    { namespace: 'harvester-system', name: 'harvester-network-controller', kind: 'daemonset', containers: [c('harvester-network', im.harvesterNetwork, 'harvester-network')], labels: { 'app.kubernetes.io/name': 'harvester-network-controller' } },
    { namespace: 'harvester-system', name: 'harvester-node-manager', kind: 'daemonset', containers: [c('node-manager', im.harvesterNodeManager, 'node-manager')], labels: { 'app.kubernetes.io/name': 'harvester-node-manager' } },
    { namespace: 'harvester-system', name: 'harvester-node-disk-manager', kind: 'daemonset', containers: [c('harvester-node-disk-manager', im.harvesterNodeDisk, 'node-disk-manager')], labels: { 'app.kubernetes.io/name': 'harvester-node-disk-manager' } },
    { namespace: 'harvester-system', name: 'harvester-pcidevices-controller', kind: 'daemonset', containers: [c('agent', `rancher/harvester-pcidevices:${rel.harvester === 'v1.5.0' ? 'v0.5.0' : 'v0.4.2'}`, 'pcidevices')], labels: { 'app.kubernetes.io/name': 'harvester-pcidevices-controller' } },
    { namespace: 'harvester-system', name: 'kube-vip', kind: 'daemonset', containers: [c('kube-vip', im.kubeVip, 'kube-vip')], labels: { 'app.kubernetes.io/name': 'kube-vip' } },
    { namespace: 'harvester-system', name: 'virt-api', kind: 'deployment', replicas: 2, containers: [c('virt-api', im.virtApi, 'virt-api')], labels: { 'kubevirt.io': 'virt-api' } },
    { namespace: 'harvester-system', name: 'virt-controller', kind: 'deployment', replicas: 2, containers: [c('virt-controller', im.virtController, 'virt-controller')], labels: { 'kubevirt.io': 'virt-controller' } },
    { namespace: 'harvester-system', name: 'virt-operator', kind: 'deployment', replicas: 2, containers: [c('virt-operator', im.virtOperator, 'virt-operator')], labels: { 'kubevirt.io': 'virt-operator' } },
    { namespace: 'harvester-system', name: 'virt-handler', kind: 'daemonset', containers: [c('virt-handler', im.virtHandler, 'virt-handler')], labels: { 'kubevirt.io': 'virt-handler' } },
  ];
}

export function longhornWorkloads(rel: ReleaseInfo): WorkloadSpec[] {
  const im = images(rel);
  const eiHash = rel.longhorn === 'v1.8.1' ? 'db6c2b6e' : 'b0bf0b7d';
  return [
    { namespace: 'longhorn-system', name: 'longhorn-manager', kind: 'daemonset', containers: [c('longhorn-manager', im.longhornManager, 'longhorn-manager'), c('pre-pull-share-manager-image', im.longhornManager.replace('longhorn-manager', 'longhorn-share-manager'), 'sleep')], labels: { app: 'longhorn-manager' } },
    { namespace: 'longhorn-system', name: `engine-image-ei-${eiHash}`, kind: 'daemonset', containers: [c(`engine-image-ei-${eiHash}`, im.longhornEngine, 'engine-image')], labels: { 'longhorn.io/component': 'engine-image' } },
    { namespace: 'longhorn-system', name: 'longhorn-csi-plugin', kind: 'daemonset', containers: [c('node-driver-registrar', im.csiRegistrar, 'csi-registrar'), c('longhorn-liveness-probe', im.livenessProbe, 'csi-liveness'), c('longhorn-csi-plugin', im.longhornManager, 'longhorn-csi-plugin')], labels: { app: 'longhorn-csi-plugin' } },
    { namespace: 'longhorn-system', name: 'csi-attacher', kind: 'deployment', replicas: 3, containers: [c('csi-attacher', im.csiAttacher, 'csi-sidecar')], labels: { app: 'csi-attacher' } },
    { namespace: 'longhorn-system', name: 'csi-provisioner', kind: 'deployment', replicas: 3, containers: [c('csi-provisioner', im.csiProvisioner, 'csi-sidecar')], labels: { app: 'csi-provisioner' } },
    { namespace: 'longhorn-system', name: 'csi-resizer', kind: 'deployment', replicas: 3, containers: [c('csi-resizer', im.csiResizer, 'csi-sidecar')], labels: { app: 'csi-resizer' } },
    { namespace: 'longhorn-system', name: 'csi-snapshotter', kind: 'deployment', replicas: 3, containers: [c('csi-snapshotter', im.csiSnapshotter, 'csi-sidecar')], labels: { app: 'csi-snapshotter' } },
    { namespace: 'longhorn-system', name: 'longhorn-driver-deployer', kind: 'deployment', replicas: 1, containers: [c('longhorn-driver-deployer', im.longhornManager, 'driver-deployer')], labels: { app: 'longhorn-driver-deployer' } },
    { namespace: 'longhorn-system', name: 'longhorn-ui', kind: 'deployment', replicas: 2, containers: [c('longhorn-ui', im.longhornUi, 'longhorn-ui')], labels: { app: 'longhorn-ui' } },
  ];
}

/** The instance manager of a node is its own pod, named like the InstanceManager object and its PDB. */
export function instanceManagerSpec(rel: ReleaseInfo, name: string): WorkloadSpec {
  return {
    namespace: 'longhorn-system',
    name,
    kind: 'instance-manager',
    containers: [c('instance-manager', images(rel).longhornInstanceManager, 'instance-manager')],
    labels: { 'longhorn.io/component': 'instance-manager', 'longhorn.io/instance-manager-type': 'aio', 'longhorn.io/data-engine': 'v1' },
  };
}

export function cattleWorkloads(rel: ReleaseInfo): WorkloadSpec[] {
  const im = images(rel);
  return [
    { namespace: 'cattle-system', name: 'rancher', kind: 'deployment', replicas: 3, containers: [c('rancher', im.rancher, 'rancher')], labels: { app: 'rancher' } },
    { namespace: 'cattle-system', name: 'rancher-webhook', kind: 'deployment', replicas: 1, containers: [c('rancher-webhook', im.rancherWebhook, 'rancher-webhook')], labels: { app: 'rancher-webhook' } },
    { namespace: 'cattle-system', name: 'system-upgrade-controller', kind: 'deployment', replicas: 1, containers: [c('system-upgrade-controller', im.suc, 'suc')], labels: { 'upgrade.cattle.io/controller': 'system-upgrade-controller' } },
    { namespace: 'cattle-system', name: 'cattle-cluster-agent', kind: 'deployment', replicas: 1, containers: [c('cluster-register', im.rancherAgent, 'cattle-cluster-agent')], labels: { app: 'cattle-cluster-agent' } },
    { namespace: 'cattle-fleet-system', name: 'fleet-controller', kind: 'deployment', replicas: 1, containers: [c('fleet-controller', im.fleet, 'fleet-controller'), c('fleet-cleanup', im.fleet, 'fleet-cleanup'), c('fleet-agentmanagement', im.fleet, 'fleet-agentmanagement')], labels: { app: 'fleet-controller' } },
    { namespace: 'cattle-fleet-system', name: 'gitjob', kind: 'deployment', replicas: 1, containers: [c('gitjob', im.fleet, 'gitjob')], labels: { app: 'gitjob' } },
    { namespace: 'cattle-fleet-local-system', name: 'fleet-agent', kind: 'statefulset', replicas: 1, containers: [c('fleet-agent', im.fleetAgent, 'fleet-agent')], labels: { app: 'fleet-agent' } },
    { namespace: 'cattle-provisioning-capi-system', name: 'capi-controller-manager', kind: 'deployment', replicas: 1, containers: [c('manager', 'rancher/mirrored-cluster-api-controller:v1.9.5', 'capi')], labels: { 'cluster.x-k8s.io/provider': 'cluster-api' } },
  ];
}

export function monitoringWorkloads(rel: ReleaseInfo): WorkloadSpec[] {
  const im = images(rel);
  return [
    { namespace: 'cattle-monitoring-system', name: 'prometheus-rancher-monitoring-prometheus', kind: 'statefulset', replicas: 1, containers: [c('prometheus', im.prometheus, 'prometheus'), c('config-reloader', im.configReloader, 'config-reloader')], labels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'rancher-monitoring-prometheus', 'operator.prometheus.io/name': 'rancher-monitoring-prometheus' } },
    { namespace: 'cattle-monitoring-system', name: 'alertmanager-rancher-monitoring-alertmanager', kind: 'statefulset', replicas: 1, containers: [c('alertmanager', im.alertmanager, 'alertmanager'), c('config-reloader', im.configReloader, 'config-reloader')], labels: { 'app.kubernetes.io/name': 'alertmanager' } },
    { namespace: 'cattle-monitoring-system', name: 'rancher-monitoring-grafana', kind: 'deployment', replicas: 1, containers: [c('grafana', im.grafana, 'grafana')], labels: { 'app.kubernetes.io/name': 'grafana' } },
    { namespace: 'cattle-monitoring-system', name: 'rancher-monitoring-operator', kind: 'deployment', replicas: 1, containers: [c('rancher-monitoring', im.promOperator, 'prometheus-operator')], labels: { app: 'rancher-monitoring-operator' } },
    { namespace: 'cattle-monitoring-system', name: 'rancher-monitoring-kube-state-metrics', kind: 'deployment', replicas: 1, containers: [c('kube-state-metrics', im.kubeStateMetrics, 'kube-state-metrics')], labels: { 'app.kubernetes.io/name': 'kube-state-metrics' } },
    { namespace: 'cattle-monitoring-system', name: 'rancher-monitoring-prometheus-node-exporter', kind: 'daemonset', containers: [c('node-exporter', im.nodeExporter, 'node-exporter')], labels: { 'app.kubernetes.io/name': 'prometheus-node-exporter' } },
  ];
}

/** Namespaces whose YAMLs and pod logs a Harvester 1.4/1.5 support bundle collects (§6.2). */
export const COLLECTED_NAMESPACES = [
  'default', 'kube-system', 'cattle-system', 'cattle-dashboards', 'cattle-fleet-local-system', 'cattle-fleet-system',
  'cattle-fleet-clusters-system', 'cattle-monitoring-system', 'fleet-local', 'harvester-system', 'local',
  'longhorn-system', 'cattle-logging-system', 'cattle-provisioning-capi-system',
] as const;

/** Namespaces the v1.5.0 UpgradeLog ClusterFlow records in full; cattle-system only rancher and SUC pods (§12). */
export function upgradeLogCollects(namespace: string, workload: string): boolean {
  if (['kube-system', 'harvester-system', 'longhorn-system'].includes(namespace)) return true;
  if (namespace === 'cattle-system') return workload === 'rancher' || workload.startsWith('apply-');
  return workload === 'fleet-controller' || workload === 'fleet-agent';
}
