import { describe, expect, it } from 'vitest';
import { classifyPath } from '../../../src/bundle/classify-path.js';
import { createObjectIndex } from '../../../src/k8s/object-index.js';
import { collectionGap as rule } from '../../../src/rules/builtin/collection-gap.js';
import { createEngine } from '../../../src/rules/engine.js';
import { runRule } from '../../../src/rules/testing/run-rule.js';
import { at, BUNDLE_CREATED, brief, cited, pod, story } from './fixtures.js';

const facts = { createdAt: at(BUNDLE_CREATED), nodes: ['harvester-01', 'harvester-02', 'harvester-03'] };
const journal = (node: string, file: string) => `nodes/${node}.zip!/${node}/logs/${file}`;
const bundleSkeleton = [
  { path: 'metadata.yaml', lines: ['bundlename: bundle-pjvcf', 'bundlecreatedat: "2025-06-14T13:05:00Z"'] },
  { path: 'yamls/cluster/v1/nodes.yaml', lines: [] },
];
const GENERATION = 'bundleGenerationError.log';

describe('collection-gap', () => {
  it('reports a missing node zip, a journal starting after the upgrade began and uncollected previous logs', () => {
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [pod('kube-system', 'etcd-harvester-02', { spec: { nodeName: 'harvester-02' } })],
      members: [
        ...bundleSkeleton,
        {
          path: GENERATION,
          lines: [
            'Failed to get /api/v1/namespaces/default/bindings: the server does not allow this method on the requested resource',
            'BUG: Support bundle: cannot get log for pod etcd-harvester-02 container etcd: previous terminated container "etcd" in pod "etcd-harvester-02" not found',
          ],
        },
        { path: journal('harvester-01', 'rke2-server.log'), lines: ['Jun 11 07:00:01.000100 harvester-01 systemd[1]: Started Rancher Kubernetes Engine v2 (server).'] },
        {
          path: journal('harvester-02', 'rke2-server.log'),
          lines: ['er=etcd-client msg="Auto sync endpoints failed."', 'Jun 14 09:30:12.500100 harvester-02 rke2[2210]: time="2025-06-14T09:30:12Z" level=info msg="Updating load balancer server addresses"'],
        },
        // The current boot starts late, but kernel.log.1 holds the boot before it: not a gap.
        { path: journal('harvester-02', 'kernel.log'), lines: ['Jun 14 10:10:00.000100 harvester-02 kernel: Linux version 5.14.21-150500.55.83-default'] },
        { path: journal('harvester-02', 'kernel.log.1'), lines: ['Jun 10 06:00:00.000100 harvester-02 kernel: Linux version 5.14.21-150500.55.65-default'] },
      ],
    });
    expect(brief(findings)).toEqual([
      { rule: 'collection-gap', severity: 'low', node: 'harvester-02', subject: journal('harvester-02', 'rke2-server.log') },
      { rule: 'collection-gap', severity: 'low', node: 'harvester-02', subject: 'logs/kube-system/etcd-harvester-02/etcd.log.1' },
      { rule: 'collection-gap', severity: 'low', node: 'harvester-03', subject: 'nodes/harvester-03.zip' },
    ]);
    const [late, previous, missing] = findings;
    expect(late.message).toBe(
      `${journal('harvester-02', 'rke2-server.log')} starts at 2025-06-14T09:30:12.500Z, 88 min after the upgrade began (2025-06-14T08:02:11.000Z): ` +
        'what happened on harvester-02 before that is not recorded.',
    );
    expect(cited(late)).toEqual([`${journal('harvester-02', 'rke2-server.log')}:2`]);
    expect(missing.message).toContain('has no nodes/harvester-03.zip');
    expect(cited(previous)).toEqual([`${GENERATION}:2`]);
    expect(previous.message).toBe(
      'logs/kube-system/etcd-harvester-02/etcd.log.1 is not in the bundle: the previous container instance was already gone when the bundle was taken.',
    );
  });

  it('reports an empty node zip and a bundle without yamls/', () => {
    const findings = runRule(rule, {
      facts: { ...facts, nodes: ['harvester-01'] },
      upgrade: null,
      members: [{ path: 'metadata.yaml', lines: [] }, { path: 'nodes/harvester-01.zip', lines: [] }],
    });
    expect(findings.map((f) => [f.node, f.subject, f.message])).toEqual([
      ['harvester-01', 'nodes/harvester-01.zip', "nodes/harvester-01.zip holds no logs: the node's journals, kubelet and kernel logs are not in the bundle."],
      [null, 'yamls/', 'The bundle has no yamls/: no Node, Upgrade, Job, VM or volume objects could be read.'],
    ]);
  });

  it('lists the members that could not be read in one finding', () => {
    const engine = createEngine([rule], {
      facts: () => ({ ...facts, name: null, clusterId: null, kubernetesVersion: null, harvesterVersion: null, issueDescription: null, nodes: [], nodeReleases: {} }),
      objects: () => createObjectIndex([]),
      upgrade: () => null,
      keyEvents: () => [],
      unreadable: () => [
        { file: 'nodes/harvester-02.zip', reason: 'corrupt nested zip: invalid central directory' },
        { file: 'logs/default/web-01/compute.log', reason: 'binary content' },
      ],
      members: () => [classifyPath('metadata.yaml'), classifyPath('yamls/cluster/v1/nodes.yaml')],
    });
    const { findings } = engine.end();
    expect(findings).toHaveLength(1);
    expect(findings[0].count).toBe(2);
    expect(findings[0].message).toBe('2 member(s) could not be read: logs/default/web-01/compute.log (binary content).');
  });

  it('stays silent for a complete bundle and for inputs that are not support bundles', () => {
    const complete = runRule(rule, {
      facts: { ...facts, nodes: ['harvester-01'] },
      upgrade: story(),
      members: [...bundleSkeleton, { path: journal('harvester-01', 'rke2-server.log'), lines: ['Jun 11 07:00:01.000100 harvester-01 systemd[1]: Started Rancher Kubernetes Engine v2 (server).'] }],
    });
    expect(complete).toEqual([]);
    const looseLogs = runRule(rule, { facts, upgrade: null, members: [{ path: 'rke2-server.log', lines: [] }] });
    expect(looseLogs).toEqual([]);
  });
});
