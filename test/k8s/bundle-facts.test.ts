import { describe, expect, it } from 'vitest';
import { buildFacts, harvesterSetting, parseHarvesterRelease, readMetadata } from '../../src/k8s/bundle-facts.js';
import { createObjectIndex } from '../../src/k8s/object-index.js';
import { SETTINGS, indexOf, list, nodeItem } from './upgrade-objects.js';

// bundle-layout.md §3, as support-bundle-kit writes it (yaml.v2, lower-cased field names, quoted timestamp).
const METADATA = `bundlename: bundle-pjvcf
bundleversion: 0.1.0
kubernetesversion: v1.32.3+rke2r1
projectnamespaceuuid: 7e8aefe3-479a-4fa4-97d8-af2f283e4577
bundlecreatedat: "2025-07-03T01:15:45Z"
issueurl: ""
issuedescription: upgrade stuck at post-draining
`;

// real-log-samples.md E52: the harvester-release.yaml of v1.4.2 as printed by the apply-manifests job.
const RELEASE_V142 = `harvester: v1.4.2
harvesterChart: 1.4.2
installer: 6fe3c71
os: Harvester v1.4.2
kubernetes: v1.31.4+rke2r1
rancher: v2.10.1
monitoringChart: 103.1.1+up45.31.1
loggingChart: 103.1.0+up4.4.0
kubevirt: 1.3.1-150600.5.9.1
minUpgradableVersion: 'v1.4.1'
rancherDependencies:
  fleet:
    chart: 105.0.2+up0.11.2
    app: 0.11.2
`;

describe('readMetadata', () => {
  it('reads metadata.yaml as in §3', () => {
    expect(readMetadata(METADATA)).toEqual({
      name: 'bundle-pjvcf',
      clusterId: '7e8aefe3-479a-4fa4-97d8-af2f283e4577',
      createdAt: Date.parse('2025-07-03T01:15:45Z'),
      kubernetesVersion: 'v1.32.3+rke2r1',
      issueDescription: 'upgrade stuck at post-draining',
    });
  });

  it('leaves what is empty or unreadable null (v1.1–v1.2 bundles had empty metadata)', () => {
    const empty = { name: null, clusterId: null, createdAt: null, kubernetesVersion: null, issueDescription: null };
    expect(readMetadata('bundlename: ""\nbundleversion: 0.1.0\nkubernetesversion: ""\nprojectnamespaceuuid: ""\nbundlecreatedat: ""\nissueurl: ""\nissuedescription: ""\n')).toEqual(empty);
    expect(readMetadata('\u0000\u0001 not yaml: [')).toEqual(empty);
    expect(readMetadata('bundlecreatedat: yesterday\n').createdAt).toBeNull();
  });
});

describe('parseHarvesterRelease', () => {
  it('reads a node release file', () => {
    expect(parseHarvesterRelease(`# Note: this file is re-formatted by support-bundle-kit collector.\n${RELEASE_V142}`)).toEqual({
      harvester: 'v1.4.2',
      harvesterChart: '1.4.2',
      os: 'Harvester v1.4.2',
      kubernetes: 'v1.31.4+rke2r1',
      rancher: 'v2.10.1',
      monitoringChart: '103.1.1+up45.31.1',
      kubevirt: '1.3.1-150600.5.9.1',
      minUpgradableVersion: 'v1.4.1',
    });
  });

  it('gives all-null fields for a file that does not parse', () => {
    expect(Object.values(parseHarvesterRelease('harvester: [v1.5.0')).every((v) => v === null)).toBe(true);
  });
});

describe('buildFacts', () => {
  it('takes the Harvester version from the server-version setting, never from Rancher’s', () => {
    const index = indexOf({
      'yamls/cluster/harvesterhci.io/v1beta1/settings.yaml': SETTINGS,
      'yamls/cluster/management.cattle.io/v3/settings.yaml': list(['apiVersion: management.cattle.io/v3\nkind: Setting\nmetadata:\n  name: server-version\nvalue: v2.11.0']),
      'yamls/cluster/v1/nodes.yaml': list(['n2', 'n1'].map(nodeItem)),
    });
    const facts = buildFacts(readMetadata(METADATA), index, { n3: 'v1.4.2', n1: 'v1.4.2' }, ['n3', 'n1']);
    expect(facts).toEqual({
      name: 'bundle-pjvcf',
      clusterId: '7e8aefe3-479a-4fa4-97d8-af2f283e4577',
      createdAt: Date.parse('2025-07-03T01:15:45Z'),
      kubernetesVersion: 'v1.32.3+rke2r1',
      harvesterVersion: 'v1.5.0',
      issueDescription: 'upgrade stuck at post-draining',
      nodes: ['n1', 'n2', 'n3'],
      nodeReleases: { n1: 'v1.4.2', n3: 'v1.4.2' },
    });
    expect(harvesterSetting(index, 'upgrade-checker-enabled')?.value).toBe('false');
    expect(harvesterSetting(index, 'no-such-setting')).toBeNull();
  });

  it('falls back to the setting default, then to the most common node release', () => {
    const withDefault = indexOf({
      'yamls/cluster/harvesterhci.io/v1beta1/settings.yaml': list(['apiVersion: harvesterhci.io/v1beta1\ndefault: v1.4.2\nkind: Setting\nmetadata:\n  name: server-version\nvalue: "null"']),
    });
    expect(buildFacts(null, withDefault, {}, []).harvesterVersion).toBe('v1.4.2');

    const none = createObjectIndex([]);
    const releases = { n1: 'v1.5.0', n2: 'v1.4.2', n3: 'v1.5.0' };
    expect(buildFacts(null, none, releases, []).harvesterVersion).toBe('v1.5.0');
    // A tie has no most common value; the answer must still not depend on the order of the nodes.
    expect(buildFacts(null, none, { b: 'v1.5.0', a: 'v1.4.2' }, []).harvesterVersion).toBe(buildFacts(null, none, { a: 'v1.4.2', b: 'v1.5.0' }, []).harvesterVersion);
    expect(buildFacts(null, none, {}, [])).toEqual({
      name: null, clusterId: null, createdAt: null, kubernetesVersion: null, harvesterVersion: null, issueDescription: null, nodes: [], nodeReleases: {},
    });
  });
});
