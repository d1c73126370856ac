import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_UUID } from '../../src/samples/cluster.js';
import { isDeliberateNoise } from '../../src/samples/noise-lines.js';
import type { ZipMember } from './zip-read.js';
import { readZip } from './zip-read.js';

const samples = join(import.meta.dirname, '../../samples');
const BUNDLES = {
  'upgrade-v1.4.2-to-v1.5.0-incident': '2025-06-14T13-05-12Z',
  'upgrade-v1.4.2-to-v1.5.0-clean': '2025-06-14T11-48-31Z',
  'upgrade-stalled-pre-drained': '2025-06-14T13-12-47Z',
} as const;
const NODE_LOGS = ['kernel.log', 'rke2-server.log', 'rke2-agent.log', 'rancherd.log', 'rancher-system-agent.log', 'wicked.log', 'iscsid.log', 'kubelet.log', 'containerd.log', 'console.log', 'containerd-images.log'];
const CRI = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /;

/** Own-time shapes of the formats the samples use (bundle-layout.md §9); a stand-in until the parsers check it. */
const TIMED = [
  /^[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d\.\d{6} \S+ /, // journald short-precise
  /^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ \S+:\d+\] /, // klog
  /(^|\] )time="\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)"/, // logrus (instance-manager prefixes `[component] `)
  /"(timestamp|ts)":"\d{4}-\d\d-\d\dT/, // KubeVirt / zap JSON
  /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[[A-Z]+\] /, // Rancher
  /(^|\s)ts=\d{4}-\d\d-\d\dT/, // go-kit logfmt
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[/, // calico felix
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00 /, // multus
  /(^| )t=\d{4}-\d\d-\d\dT/, // grafana
];

const lines = (m: ZipMember): string[] => {
  const text = m.name.endsWith('.gz') ? gunzipSync(m.data).toString('utf8') : m.data.toString('utf8');
  return text.split('\n').slice(0, -1);
};

describe.each(Object.entries(BUNDLES))('support bundle %s', (scenario, stamp) => {
  const root = `supportbundle_${CLUSTER_UUID}_${stamp}/`;
  let members: ZipMember[] = [];
  const file = (path: string): ZipMember => {
    const m = members.find((x) => x.name === root + path);
    if (!m) throw new Error(`missing ${path}`);
    return m;
  };

  beforeAll(async () => {
    members = await readZip(join(samples, `${scenario}.zip`));
  });

  it('has a single root folder named after the cluster and creation time, with directory entries', () => {
    expect(members[0].name).toBe(root);
    expect(members.every((m) => m.name.startsWith(root))).toBe(true);
    for (const dir of ['yamls/', 'logs/', 'nodes/']) expect(members.some((m) => m.name === root + dir)).toBe(true);
  });

  it('writes metadata.yaml with the collector struct keys, in order, creation time quoted', () => {
    const text = file('metadata.yaml').data.toString();
    expect(text.split('\n').map((l) => l.split(':')[0])).toEqual(['bundlename', 'bundleversion', 'kubernetesversion', 'projectnamespaceuuid', 'bundlecreatedat', 'issueurl', 'issuedescription', '']);
    expect(text).toContain(`bundlecreatedat: "${stamp.replace(/T(\d\d)-(\d\d)-(\d\d)Z/, 'T$1:$2:$3Z')}"\n`);
    expect(text).toContain(`projectnamespaceuuid: ${CLUSTER_UUID}\n`);
    expect(text).toContain('issueurl: ""\n');
  });

  it('writes every YAML file as one List document in yaml.v2 style', () => {
    const yamls = members.filter((m) => m.name.startsWith(`${root}yamls/`) && m.name.endsWith('.yaml'));
    expect(yamls.length).toBeGreaterThan(30);
    for (const m of yamls) {
      const text = m.data.toString();
      const docs = parseAllDocuments(text);
      expect(docs, m.name).toHaveLength(1);
      expect(docs[0].errors, m.name).toEqual([]);
      const list = docs[0].toJS() as { apiVersion: string; kind: string; items: unknown[]; metadata: { resourceVersion: string } };
      expect([list.apiVersion, list.kind], m.name).toEqual(['v1', 'List']);
      expect(list.items.length, m.name).toBeGreaterThan(0);
      expect(typeof list.metadata.resourceVersion).toBe('string');
      expect(text.startsWith('apiVersion: v1\nitems:\n- '), m.name).toBe(true);
      expect(text, m.name).toMatch(/\nkind: List\nmetadata:\n( {2}continue: "null"\n)? {2}resourceVersion: "\d+"\n$/);
    }
  });

  it('keeps the support-bundle quirks: "null" strings and Go %g floats', () => {
    const upgrades = file('yamls/namespaced/harvester-system/harvesterhci.io/v1beta1/upgrades.yaml').data.toString();
    expect(upgrades).toContain('    image: "null"\n');
    expect(upgrades).toContain('  continue: "null"\n');
    const volumes = file('yamls/namespaced/longhorn-system/longhorn.io/v1beta2/volumes.yaml').data.toString();
    expect(volumes).toMatch(/ actualSize: \d\.\d+e\+\d\d\n/);
    const nodes = file('yamls/cluster/v1/nodes.yaml').data.toString();
    expect(nodes).not.toContain('continue:');
  });

  it('prefixes every pod-log line with the kubelet RFC3339Nano timestamp', () => {
    const logs = members.filter((m) => m.name.startsWith(`${root}logs/`) && /\.log(\.1)?$/.test(m.name));
    expect(logs.length).toBeGreaterThan(100);
    for (const m of logs) for (const l of lines(m)) expect(l, m.name).toMatch(CRI);
  });

  it('nests one stored zip per node with the node folder, configs and the node logs', async () => {
    const zips = members.filter((m) => m.name.startsWith(`${root}nodes/`) && m.name.endsWith('.zip'));
    expect(zips.map((z) => z.name.slice(root.length))).toEqual(expect.arrayContaining(['nodes/harvester-01.zip', 'nodes/harvester-02.zip', 'nodes/harvester-03.zip']));
    for (const z of zips) {
      expect(z.compressionMethod, z.name).toBe(0);
      const node = z.name.slice(root.length + 'nodes/'.length, -'.zip'.length);
      const inner = await readZip(z.data);
      expect(inner[0].name).toBe(`${node}/`);
      expect(inner.every((m) => m.name.startsWith(`${node}/`))).toBe(true);
      const names = inner.map((m) => m.name.slice(node.length + 1));
      for (const f of NODE_LOGS) expect(names, node).toContain(`logs/${f}`);
      for (const f of ['hostname', 'os-release', 'harvester-release.yaml']) expect(names, node).toContain(`configs/etc/${f}`);
      const scc = inner.find((m) => m.name === `${node}/scc/scc_supportconfig_${node}.txz`)!;
      expect(scc.data.subarray(0, 6)).toEqual(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]));
      expect(scc.data.subarray(-2).toString()).toBe('YZ');
      expect(scc.data.includes(Buffer.from(`scc_supportconfig_${node}/hardware.txt`))).toBe(true);
      for (const m of inner) {
        if (!m.name.includes('/logs/') || m.name.endsWith('/')) continue;
        for (const l of lines(m)) if (!isDeliberateNoise(m.name, l)) expect(TIMED.some((r) => r.test(l)), `${m.name}: ${l}`).toBe(true);
      }
    }
  });
});

describe('UpgradeLog archive of the incident', () => {
  let members: ZipMember[] = [];
  beforeAll(async () => {
    members = await readZip(join(samples, 'upgrade-v1.4.2-to-v1.5.0-incident-upgradelog.zip'));
  });

  it('holds gzipped logs/<namespace>.<pod>.<container>.<YYYYMMDD>.log.gz members', () => {
    const files = members.filter((m) => !m.name.endsWith('/'));
    expect(files.length).toBeGreaterThan(50);
    for (const m of files) expect(m.name).toMatch(/^logs\/[a-z0-9-]+\.[a-z0-9.-]+\.[a-z0-9-]+\.20250614\.log\.gz$/);
    const names = files.map((m) => m.name);
    for (const job of ['apply-manifests-', 'pre-drain-harvester-03-', 'post-drain-harvester-01-']) expect(names.some((n) => n.includes(`hvst-upgrade-mzr6k-${job}`)), job).toBe(true);
  });

  it('keeps raw container lines (no CRI prefix), each with its own time unless deliberately untimed', () => {
    for (const m of members.filter((x) => x.name.endsWith('.gz'))) {
      for (const l of lines(m)) {
        expect(l, m.name).not.toMatch(CRI);
        if (!isDeliberateNoise(m.name, l)) expect(TIMED.some((r) => r.test(l)), `${m.name}: ${l}`).toBe(true);
      }
    }
  });
});
