import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { bundleJsonQuirks, bundleListChunks, goFloat, goKeyLess, goYamlMarshal } from '../../src/samples/go-yaml.js';

// Excerpts of real support-bundle files (rancher/support-bundle-kit pkg/simulator/objects/*_test.go).
const LOADBALANCER = `apiVersion: v1
items:
- apiVersion: loadbalancer.harvesterhci.io/v1alpha1
  kind: LoadBalancer
  metadata:
    annotations:
      cloudprovider.harvesterhci.io/service-uuid: 3f730513-2fab-4270-8257-fd7053ed1276
    creationTimestamp: "2022-01-04T17:34:49Z"
    finalizers:
    - wrangler.cattle.io/harvester-lb-controller
    generation: 4
    labels:
      cloudprovider.harvesterhci.io/cluster: bhofmann-test
    name: bhofmann-test-default-nginxlb-f358377f
    namespace: default
    resourceVersion: "10863662"
    uid: 76b7114c-d9a3-4c8b-b4bd-cb150a8547c2
  spec:
    backendServers:
    - 10.65.0.109
    - 10.65.0.108
    ipam: pool
    listeners:
    - backendPort: 30437
      name: "null"
      port: 80
      protocol: TCP
  status:
    address: 192.168.200.209
    conditions:
    - lastUpdateTime: "2022-01-04T17:34:49Z"
      status: "True"
      type: Ready
kind: List
metadata:
  resourceVersion: "65340"
`;

const INGRESS_ANNOTATION = `metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"annotations":{},"name":"rancher-expose","namespace":"cattle-system"}}
  creationTimestamp: "2022-04-11T08:17:02Z"
  managedFields:
  - fieldsV1:
      f:metadata:
        f:annotations:
          .: {}
    manager: kubectl-client-side-apply
`;

describe('yaml.v2 encoding', () => {
  it('reproduces real support-bundle YAML byte for byte', () => {
    expect(goYamlMarshal(parse(LOADBALANCER))).toBe(LOADBALANCER);
    expect(goYamlMarshal(parse(INGRESS_ANNOTATION))).toBe(INGRESS_ANNOTATION);
  });

  it('writes float64 numbers like strconv.FormatFloat(f, g, -1, 64)', () => {
    expect(goFloat(53)).toBe('53');
    expect(goFloat(999999)).toBe('999999');
    expect(goFloat(1000000)).toBe('1e+06');
    expect(goFloat(21474836480)).toBe('2.147483648e+10');
    expect(goFloat(999116767232)).toBe('9.99116767232e+11');
    expect(goFloat(0.5)).toBe('0.5');
    expect(goFloat(0.00001)).toBe('1e-05');
  });

  it('sorts keys the yaml.v2 way: non-letters before letters, digit runs by value', () => {
    const sorted = ['a10', 'a9', 'a.b', 'aB', 'ab', 'A'].sort((x, y) => (goKeyLess(x, y) ? -1 : goKeyLess(y, x) ? 1 : 0));
    expect(sorted).toEqual(['A', 'a.b', 'a9', 'a10', 'aB', 'ab']);
  });

  it('quotes only what would read back as another type', () => {
    const out = goYamlMarshal({ a: '2025-06-14T09:41:07Z', b: 'true', c: '15317934', d: '12:30', e: '', f: 'null', g: 'v1.5.0', h: '10.10.20.11', i: 'yes', j: 'Harvester v1.5.0' });
    expect(out).toBe('a: "2025-06-14T09:41:07Z"\nb: "true"\nc: "15317934"\nd: "12:30"\ne: ""\nf: "null"\ng: v1.5.0\nh: 10.10.20.11\ni: "yes"\nj: Harvester v1.5.0\n');
  });

  it('single-quotes indicator characters and uses literal blocks for multi-line text', () => {
    expect(goYamlMarshal({ m: 'Back-off: restarting', s: '*', t: "it's" })).toBe("m: 'Back-off: restarting'\ns: '*'\nt: it's\n");
    expect(goYamlMarshal({ r: 'release:\n  os: Harvester v1.5.0\n' })).toBe('r: |\n  release:\n    os: Harvester v1.5.0\n');
    expect(goYamlMarshal({ r: 'no newline\nat end' })).toBe('r: |-\n  no newline\n  at end\n');
  });

  it('folds long plain scalars after column 80 like yaml.v2 v2.2.8', () => {
    const msg = 'Pod sandbox changed, it will be killed and re-created. Stopping container compute of the VM now';
    const out = goYamlMarshal({ message: msg });
    expect(out).toBe('message: Pod sandbox changed, it will be killed and re-created. Stopping container\n  compute of the VM now\n');
    expect(parse(out)).toEqual({ message: msg });
    // A word that crosses column 80 with no space after it stays on one line.
    const word = `x ${'y'.repeat(100)}`;
    expect(goYamlMarshal({ m: word })).toBe(`m: ${word}\n`);
  });
});

describe('support-bundle JSON quirks', () => {
  it('turns empty strings and followed nulls of alphabetic keys into the string "null"', () => {
    expect(bundleJsonQuirks('{"a":"","eventTime":null,"series":null}')).toEqual({ a: 'null', eventTime: 'null', series: null });
    expect(bundleJsonQuirks('{"last-apply-time":null,"b":1}')).toEqual({ 'last-apply-time': null, b: 1 });
  });

  it('streams a List with apiVersion and kind set on every item', () => {
    const text = [...bundleListChunks([{ metadata: { name: 'x', namespace: '' } }], { apiVersion: 'apps/v1', kind: 'Deployment', resourceVersion: '42', customResource: false })].join('');
    expect(text).toBe('apiVersion: v1\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: x\n    namespace: "null"\nkind: List\nmetadata:\n  resourceVersion: "42"\n');
    const cr = [...bundleListChunks([{ a: 1 }], { apiVersion: 'x/v1', kind: 'X', resourceVersion: '7', customResource: true })].join('');
    expect(cr.endsWith('metadata:\n  continue: "null"\n  resourceVersion: "7"\n')).toBe(true);
  });
});
