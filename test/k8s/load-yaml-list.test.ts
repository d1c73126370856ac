import { describe, expect, it } from 'vitest';
import { loadYamlList } from '../../src/k8s/load-yaml-list.js';
import { E51_ITEMS } from './upgrade-objects.js';

// bundle-layout.md §6.4, verbatim (support-bundle-kit pkg/simulator/objects/blockdevices_test.go excerpt).
const BLOCK_DEVICES = `apiVersion: v1
items:
- apiVersion: harvesterhci.io/v1beta1
  kind: BlockDevice
  metadata:
    creationTimestamp: "2022-01-12T00:08:43Z"
    name: 0951d18c526fb066f5fdc0a682fab681
    namespace: longhorn-system
    resourceVersion: "15317934"
  spec:
    devPath: /dev/sdb
    fileSystem:
      mountPoint: "null"
  status:
    deviceStatus:
      capacity:
        physicalBlockSizeBytes: 512
        sizeBytes: 9.99116767232e+11
kind: List
metadata:
  continue: "null"
  resourceVersion: "15380285"
`;


// Shape of support-bundle-kit's loadbalancers_test.go fixture: `name: "null"` inside a list, `"True"` strings.
const LOAD_BALANCERS = `apiVersion: v1
items:
- apiVersion: loadbalancer.harvesterhci.io/v1alpha1
  kind: LoadBalancer
  metadata:
    creationTimestamp: "2022-01-04T17:34:49Z"
    generation: 4
    name: bhofmann-test-default-nginxlb-f358377f
    namespace: default
    resourceVersion: "10863662"
  spec:
    backendServers:
    - 10.65.0.109
    ipam: pool
    listeners:
    - backendPort: 30437
      name: "null"
      port: 80
      protocol: TCP
  status:
    conditions:
    - lastUpdateTime: "2022-01-04T17:34:49Z"
      status: "True"
      type: Ready
kind: List
metadata:
  continue: "null"
  resourceVersion: "21747550"
`;

describe('loadYamlList', () => {
  it('undoes the support-bundle quirks of §6.4', () => {
    const file = 'yamls/namespaced/longhorn-system/harvesterhci.io/v1beta1/blockdevices.yaml';
    const { objects, problems } = loadYamlList(BLOCK_DEVICES, file);
    expect(problems).toEqual([]);
    expect(objects).toHaveLength(1);
    const [bd] = objects;
    expect(bd).toMatchObject({
      apiVersion: 'harvesterhci.io/v1beta1',
      kind: 'BlockDevice',
      namespace: 'longhorn-system',
      name: '0951d18c526fb066f5fdc0a682fab681',
      file,
      line: 3,
    });
    expect(bd.raw.spec.fileSystem).toEqual({});
    expect('mountPoint' in bd.raw.spec.fileSystem).toBe(false);
    expect(bd.raw.status.deviceStatus.capacity.sizeBytes).toBe(999116767232);
    expect(bd.raw.status.deviceStatus.capacity.physicalBlockSizeBytes).toBe(512);
    expect(bd.raw.metadata.resourceVersion).toBe('15317934');
  });

  it('drops "null" elements of lists and keeps quoted booleans as strings', () => {
    const { objects, problems } = loadYamlList(LOAD_BALANCERS, 'yamls/namespaced/default/loadbalancer.harvesterhci.io/v1alpha1/loadbalancers.yaml');
    expect(problems).toEqual([]);
    expect(objects[0].raw.spec.listeners).toEqual([{ backendPort: 30437, port: 80, protocol: 'TCP' }]);
    expect(objects[0].raw.status.conditions[0].status).toBe('True');
  });

  it('keeps the complete items of a list cut before `kind: List` and says so', () => {
    const file = 'yamls/namespaced/harvester-system/harvesterhci.io/v1beta1/upgrades.yaml';
    const twoItems = E51_ITEMS + E51_ITEMS.slice(E51_ITEMS.indexOf('- apiVersion')).replace('hvst-upgrade-fnlkm', 'hvst-upgrade-other');
    const { objects, problems } = loadYamlList(twoItems, file);
    expect(objects.map((o) => o.name)).toEqual(['hvst-upgrade-fnlkm']);
    expect(objects[0].raw.spec).toEqual({ version: 'v1.1.0' });
    expect(objects[0].raw.metadata.labels['harvesterhci.io/latestUpgrade']).toBe('true');
    expect(objects[0].raw.status.conditions[1]).toEqual({ lastUpdateTime: '2022-10-26T07:11:43Z', status: 'True', type: 'ImageReady' });
    expect(problems).toEqual(['line 36: item dropped, the file ends inside it']);
  });

  it('recovers the items before a cut in the middle of a flow collection or a quoted string', () => {
    const cut = BLOCK_DEVICES.replace('kind: List\nmetadata:\n  continue: "null"\n  resourceVersion: "15380285"\n', '')
      + '- apiVersion: v1\n  kind: Node\n  metadata:\n    labels: {a: "b\n';
    const { objects, problems } = loadYamlList(cut, 'yamls/cluster/v1/nodes.yaml');
    expect(objects.map((o) => o.name)).toEqual(['0951d18c526fb066f5fdc0a682fab681']);
    expect(problems).toEqual([
      'line 19: item dropped, the file ends inside it',
    ]);
  });

  it('drops an item that does not parse and keeps the items around it', () => {
    const text = [
      'apiVersion: v1',
      'items:',
      '- apiVersion: v1',
      '  kind: Node',
      '  metadata:',
      '    name: n1',
      '- apiVersion: v1',
      '  kind: Node',
      '  metadata: {name: "n2',
      '- apiVersion: v1',
      '  kind: Node',
      '  metadata:',
      '    name: n3',
      'kind: List',
      '',
    ].join('\n');
    const { objects, problems } = loadYamlList(text, 'yamls/cluster/v1/nodes.yaml');
    expect(objects.map((o) => [o.name, o.line])).toEqual([['n1', 3], ['n3', 10]]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^line 7: item dropped, it does not parse: /);
  });

  it('drops an item built from YAML aliases instead of expanding them (an alias bomb)', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const text = ['apiVersion: v1', 'items:', '- apiVersion: v1', '  kind: ConfigMap', '  metadata:', '    name: bomb', ...levels.map((l) => `  ${l}`), '- apiVersion: v1', '  kind: ConfigMap', '  metadata:', '    name: fine', 'kind: List', ''].join('\n');
    const { objects, problems } = loadYamlList(text, 'yamls/namespaced/default/v1/configmaps.yaml');
    expect(objects.map((o) => o.name)).toEqual(['fine']);
    expect(problems).toEqual(['line 3: item dropped: YAML aliases are not supported']);
  });

  it('never throws on a file that is not YAML', () => {
    for (const text of ['\u0000\u0001PK\u0003\u0004 [ {{ : :\n\t- ]', 'just a line of text\nand another', '', '42']) {
      const result = loadYamlList(text, 'yamls/cluster/v1/nodes.yaml');
      expect(result.objects).toEqual([]);
      if (text.trim() !== '') expect(result.problems.length).toBeGreaterThan(0);
    }
  });

  it('reads a plain object and a multi-document file, taking the namespace from the path', () => {
    const single = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\ndata:\n  a: "null"\n';
    const multi = `${single}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\n  namespace: other\n`;
    const file = 'yamls/namespaced/harvester-system/v1/configmaps.yaml';
    const { objects, problems } = loadYamlList(multi, file);
    expect(problems).toEqual([]);
    expect(objects.map((o) => [o.name, o.namespace, o.line])).toEqual([
      ['one', 'harvester-system', 1],
      ['two', 'other', 8],
    ]);
    expect(objects[0].raw.data).toEqual({});
  });

  it('leaves cluster-scoped objects without a namespace and reports items it cannot name', () => {
    const text = 'apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: n1\n- apiVersion: v1\n  metadata:\n    name: x\nkind: List\n';
    const { objects, problems } = loadYamlList(text, 'yamls/cluster/v1/nodes.yaml');
    expect(objects.map((o) => [o.kind, o.name, o.namespace])).toEqual([['Node', 'n1', null]]);
    expect(problems).toEqual(['line 7: item without kind']);
  });

  it('keeps label and annotation keys whose value was emptied to "null"', () => {
    const text = 'apiVersion: v1\nkind: Node\nmetadata:\n  annotations:\n    a: "null"\n  labels:\n    node-role.kubernetes.io/worker: "null"\n    harvesterhci.io/managed: "true"\n  name: n1\nspec:\n  podCIDR: "null"\n';
    const [node] = loadYamlList(text, 'yamls/cluster/v1/nodes.yaml').objects;
    expect(node.raw.metadata.labels).toEqual({ 'node-role.kubernetes.io/worker': '', 'harvesterhci.io/managed': 'true' });
    expect(node.raw.metadata.annotations).toEqual({ a: '' });
    expect(node.raw.spec).toEqual({});
  });

  it('drops field managers and the last-applied copy, keeping every other annotation', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  annotations:',
      '    harvesterhci.io/upgradeState: PreDrained',
      '    kubectl.kubernetes.io/last-applied-configuration: \'{"apiVersion":"v1","kind":"Pod"}\'',
      '  managedFields:',
      '  - manager: kubectl',
      '    operation: Update',
      '  name: p',
      '',
    ].join('\n');
    const [pod] = loadYamlList(text, 'yamls/namespaced/default/v1/pods.yaml').objects;
    expect(pod.raw.metadata).toEqual({ annotations: { 'harvesterhci.io/upgradeState': 'PreDrained' }, name: 'p' });
  });

  it('keeps a `__proto__` key as data', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p\ndata:\n  __proto__:\n    polluted: yes\n';
    const { objects } = loadYamlList(text, 'x.yaml');
    expect(Object.getPrototypeOf(objects[0].raw.data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
