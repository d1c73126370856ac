import { describe, expect, it } from 'vitest';
import { classifyPath, podComponent } from '../../src/bundle/classify-path.js';

const pick = (path: string) => {
  const { kind, node, namespace, pod, container, component, previous, criPrefixed } = classifyPath(path);
  return { kind, node, namespace, pod, container, component, previous, criPrefixed };
};

describe('classifyPath: bundle top level', () => {
  it('metadata, generation errors, alerts', () => {
    expect(pick('metadata.yaml').kind).toBe('metadata');
    expect(pick('bundleGenerationError.log').kind).toBe('generation-errors');
    expect(pick('prometheus-alerts.json').kind).toBe('alerts');
  });

  it('yaml lists, with the namespace of namespaced ones', () => {
    expect(pick('yamls/cluster/harvesterhci.io/v1beta1/settings.yaml')).toMatchObject({ kind: 'yaml-list', namespace: null });
    expect(pick('yamls/cluster/v1/nodes.yaml')).toMatchObject({ kind: 'yaml-list', namespace: null });
    expect(pick('yamls/namespaced/harvester-system/harvesterhci.io/v1beta1/upgrades.yaml')).toMatchObject({
      kind: 'yaml-list',
      namespace: 'harvester-system',
    });
    expect(pick('yamls/namespaced/fleet-local/v1/secrets.yaml').namespace).toBe('fleet-local');
  });

  it('the path is kept as given', () => {
    expect(classifyPath('nodes/n1.zip!/n1/logs/kubelet.log').path).toBe('nodes/n1.zip!/n1/logs/kubelet.log');
  });
});

describe('classifyPath: support-bundle pod logs', () => {
  it('current and previous container logs carry the CRI prefix', () => {
    expect(pick('logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log')).toEqual({
      kind: 'pod-log',
      node: null,
      namespace: 'harvester-system',
      pod: 'harvester-57b46685b9-djn5x',
      container: 'apiserver',
      component: 'harvester',
      previous: false,
      criPrefixed: true,
    });
    expect(pick('logs/cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0/prometheus.log.1')).toMatchObject({
      component: 'prometheus',
      previous: true,
      criPrefixed: true,
    });
  });

  it('kube-system static pods name their node', () => {
    expect(pick('logs/kube-system/etcd-harvester-node-0/etcd.log')).toMatchObject({ component: 'etcd', node: 'harvester-node-0' });
    expect(pick('logs/kube-system/kube-apiserver-n1/kube-apiserver.log')).toMatchObject({ component: 'kube-apiserver', node: 'n1' });
    expect(pick('logs/kube-system/kube-controller-manager-n2/kube-controller-manager.log').node).toBe('n2');
    expect(pick('logs/kube-system/kube-scheduler-n3/kube-scheduler.log').component).toBe('kube-scheduler');
    // A DaemonSet pod in kube-system is not a static pod.
    expect(pick('logs/kube-system/rke2-canal-5x7zq/calico-node.log')).toMatchObject({ node: null, component: 'calico-node' });
  });

  it('a pod log is only one folder level deep under logs/<ns>/<pod>/', () => {
    expect(pick('logs/harvester-system/harvester-abc/extra/apiserver.log').kind).not.toBe('pod-log');
  });
});

describe('podComponent', () => {
  it.each([
    ['virt-launcher-vm1-x7k2p', 'compute', 'virt-launcher'],
    ['virt-launcher-vm1-x7k2p', 'guest-console-log', 'guest-console-log'],
    ['virt-handler-8kzrt', 'virt-handler', 'virt-handler'],
    ['virt-controller-6d8f9c7b5-abcde', 'virt-controller', 'virt-controller'],
    ['virt-api-6d8f9c7b5-abcde', 'virt-api', 'virt-api'],
    ['virt-operator-5b4c9d7f8-qwert', 'virt-operator', 'virt-operator'],
    ['longhorn-manager-xkf8c', 'longhorn-manager', 'longhorn-manager'],
    ['instance-manager-3fa8e1d6b5a4c3b2a1f0e9d8c7b6a5f4', 'instance-manager', 'instance-manager'],
    ['prometheus-rancher-monitoring-prometheus-0', 'prometheus', 'prometheus'],
    ['prometheus-rancher-monitoring-prometheus-0', 'config-reloader', 'config-reloader'],
    ['harvester-57b46685b9-djn5x', 'apiserver', 'harvester'],
    ['harvester-webhook-6d4b9c8f7-zt5xq', 'harvester-webhook', 'harvester-webhook'],
    ['harvester-network-controller-manager-7f9d-abcde', 'apiserver', 'apiserver'],
    ['rancher-7d9f8b6c5-h2j4k', 'rancher', 'rancher'],
    ['rancher-webhook-5c8d7f9b6-mn3pq', 'rancher-webhook', 'rancher-webhook'],
    ['hvst-upgrade-lz2q7-apply-manifests-gjbgf', 'apply', 'apply-manifests'],
    ['hvst-upgrade-48xdf-pre-drain-n1-103upd-x2v9k', 'apply', 'pre-drain'],
    ['hvst-upgrade-48xdf-post-drain-n3-103upd-7hq2m', 'apply', 'post-drain'],
    ['hvst-upgrade-9gmg2-single-node-upgrade-node1-4kq8z', 'apply', 'single-node-upgrade'],
    ['apply-hvst-upgrade-9gmg2-prepare-on-node1-with-2bbea1599a-f0e86', 'upgrade', 'upgrade-plan'],
    ['etcd-n1', 'etcd', 'etcd'],
    ['fleet-agent-76b76c66f4-xvtmb', 'fleet-agent', 'fleet-agent'],
    ['fleet-controller-8569c5ccd9-8xs5p', 'fleet-controller', 'fleet-controller'],
    ['supportbundle-manager-bundle-pjvcf-6f7d8c9b5-k2l3m', 'manager', 'manager'],
  ])('%s/%s → %s', (pod, container, component) => {
    expect(podComponent(pod, container)).toBe(component);
  });
});

describe('classifyPath: upgrade-log archive files', () => {
  it('namespace, pod and container from the dotted name, no CRI prefix', () => {
    expect(pick('logs/harvester-system.harvester-57b46685b9-djn5x.apiserver.20250502.log.gz')).toEqual({
      kind: 'pod-log',
      node: null,
      namespace: 'harvester-system',
      pod: 'harvester-57b46685b9-djn5x',
      container: 'apiserver',
      component: 'harvester',
      previous: false,
      criPrefixed: false,
    });
    expect(pick('logs/cattle-system.apply-hvst-upgrade-j7hwx-skip-restart-rancher-system-agen-gsntj.upgrade.20241009.log.gz')).toMatchObject({
      namespace: 'cattle-system',
      pod: 'apply-hvst-upgrade-j7hwx-skip-restart-rancher-system-agen-gsntj',
      component: 'upgrade-plan',
    });
    expect(pick('harvester-system.hvst-upgrade-lz2q7-apply-manifests-gjbgf.apply.20230228.log')).toMatchObject({
      kind: 'pod-log',
      component: 'apply-manifests',
      criPrefixed: false,
    });
    expect(pick('logs/kube-system.kube-apiserver-harvester-vm-0-default.kube-apiserver.20241009.log.gz')).toMatchObject({
      node: 'harvester-vm-0-default',
      component: 'kube-apiserver',
    });
  });

  it('a pod name with dots stays whole', () => {
    expect(pick('logs/default.my.pod.name.main.20250101.log.gz')).toMatchObject({ namespace: 'default', pod: 'my.pod.name', container: 'main' });
  });
});

describe('classifyPath: node zips', () => {
  it.each([
    ['rke2-server', 'node-journal'],
    ['rke2-agent', 'node-journal'],
    ['rancherd', 'node-journal'],
    ['rancher-system-agent', 'node-journal'],
    ['wicked', 'node-journal'],
    ['iscsid', 'node-journal'],
    ['kubelet', 'node-log'],
    ['containerd', 'node-log'],
    ['console', 'node-log'],
  ])('%s.log is a %s of the zip’s node', (stem, kind) => {
    expect(pick(`nodes/harvester-node-0.zip!/harvester-node-0/logs/${stem}.log`)).toMatchObject({
      kind,
      node: 'harvester-node-0',
      component: stem,
      previous: false,
      criPrefixed: false,
    });
  });

  it('kernel logs of the current and previous boots', () => {
    expect(pick('nodes/n1.zip!/n1/logs/kernel.log')).toMatchObject({ kind: 'kernel-log', component: 'kernel', previous: false, node: 'n1' });
    expect(pick('nodes/n1.zip!/n1/logs/kernel.log.1')).toMatchObject({ kind: 'kernel-log', previous: true });
    expect(pick('nodes/n1.zip!/n1/logs/kernel.log.2')).toMatchObject({ kind: 'kernel-log', previous: true });
  });

  it('the image table, configs, and the supportconfig archive', () => {
    expect(pick('nodes/n1.zip!/n1/logs/containerd-images.log')).toMatchObject({ kind: 'node-table', node: 'n1' });
    expect(pick('nodes/n1.zip!/n1/configs/etc/harvester-release.yaml')).toMatchObject({ kind: 'node-config', node: 'n1' });
    expect(pick('nodes/n1.zip!/n1/configs/oem/harvester.config')).toMatchObject({ kind: 'node-config', node: 'n1' });
    expect(pick('nodes/n1.zip!/n1/scc/scc_supportconfig_n1-ab12cd.txz')).toMatchObject({ kind: 'nested-archive', node: 'n1' });
    expect(pick('nodes/n1.zip')).toMatchObject({ kind: 'nested-archive', node: 'n1' });
  });

  it('the node comes from the zip name even when the inner root differs', () => {
    expect(pick('nodes/n1.zip!/other/logs/rke2-server.log')).toMatchObject({ kind: 'node-journal', node: 'n1' });
  });

  it('node trees of an extracted bundle name the node by folder', () => {
    expect(pick('nodes/n1/logs/rke2-agent.log')).toMatchObject({ kind: 'node-journal', node: 'n1' });
    expect(pick('n2/configs/etc/os-release')).toMatchObject({ kind: 'node-config', node: 'n2' });
  });

  it('unknown node files are logs of that node, not journals', () => {
    expect(pick('nodes/n1.zip!/n1/logs/dmesg.log')).toMatchObject({ kind: 'log', node: 'n1', component: null });
    expect(pick('nodes/n1.zip!/n1/hostinfos/hostinfo')).toMatchObject({ kind: 'unknown', node: 'n1' });
  });
});

describe('classifyPath: loose files', () => {
  it('by name, also gzipped', () => {
    expect(pick('kubelet.log')).toMatchObject({ kind: 'node-log', component: 'kubelet', node: null });
    expect(pick('rke2-server.log')).toMatchObject({ kind: 'node-journal', component: 'rke2-server', node: null });
    expect(pick('kernel.log.1')).toMatchObject({ kind: 'kernel-log', previous: true });
    expect(pick('containerd.log.gz')).toMatchObject({ kind: 'node-log', component: 'containerd' });
  });

  it('other text logs and anything else', () => {
    expect(pick('notes/upgrade-console.txt')).toMatchObject({ kind: 'log', component: null });
    expect(pick('messages.log.3')).toMatchObject({ kind: 'log' });
    expect(pick('screenshot.png')).toMatchObject({ kind: 'unknown' });
    expect(pick('backup.tar.gz')).toMatchObject({ kind: 'nested-archive' });
  });
});
