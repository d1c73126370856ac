import { describe, expect, it } from 'vitest';
import { loadYamlList } from '../../../src/k8s/load-yaml-list.js';
import { prometheusMemoryNearLimit as rule } from '../../../src/rules/builtin/prometheus-memory-near-limit.js';
import { runRule } from '../../../src/rules/testing/run-rule.js';
import { at, BUNDLE_CREATED, brief, cited, pod } from './fixtures.js';

const facts = { createdAt: at(BUNDLE_CREATED), nodes: ['harvester-03'] };
const METRICS = 'yamls/namespaced/cattle-monitoring-system/metrics.k8s.io/v1beta1/pods.yaml';
/** PodMetrics as support-bundle-kit writes them: one List, keys sorted, `"null"` for empty values. */
const podMetrics = (memory: string) => `apiVersion: v1
items:
- apiVersion: metrics.k8s.io/v1beta1
  containers:
  - name: config-reloader
    usage:
      cpu: 1m
      memory: 15692Ki
  - name: prometheus
    usage:
      cpu: 312m
      memory: ${memory}
  kind: PodMetrics
  metadata:
    creationTimestamp: "2025-06-14T13:04:58Z"
    labels:
      app.kubernetes.io/name: prometheus
    name: prometheus-rancher-monitoring-prometheus-0
    namespace: cattle-monitoring-system
  timestamp: "2025-06-14T13:04:41Z"
  window: 10.043s
kind: List
metadata:
  continue: "null"
  resourceVersion: "null"
`;
const prometheus = pod('cattle-monitoring-system', 'prometheus-rancher-monitoring-prometheus-0', {
  spec: { nodeName: 'harvester-03', containers: [{ name: 'prometheus', resources: { limits: { memory: '2500Mi' } } }] },
});

describe('prometheus-memory-near-limit', () => {
  it('reports Prometheus above 80% of its memory limit, as a readiness risk before an upgrade', () => {
    const { objects } = loadYamlList(podMetrics('2254148Ki'), METRICS);
    const findings = runRule(rule, { facts, upgrade: null, objects: [...objects, prometheus] });
    expect(brief(findings)).toEqual([
      { rule: 'prometheus-memory-near-limit', severity: 'low', node: 'harvester-03', subject: 'cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0' },
    ]);
    const [f] = findings;
    expect(f.fields).toMatchObject({ percentOfLimit: 88 });
    expect(f.message).toBe(
      'Prometheus cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0 used 2.1 GiB of its 2500Mi memory limit (88%) at 2025-06-14T13:04:41.000Z: ' +
        'an upgrade is likely to OOM-kill it; raise its memory first.',
    );
    expect(cited(f)[0]).toBe(`${METRICS}:3`);
  });

  it('stays silent below the threshold and without a limit', () => {
    const { objects } = loadYamlList(podMetrics('1843928Ki'), METRICS);
    expect(runRule(rule, { facts, upgrade: null, objects: [...objects, prometheus] })).toEqual([]);
    const { objects: high } = loadYamlList(podMetrics('2454148Ki'), METRICS);
    const unlimited = pod('cattle-monitoring-system', 'prometheus-rancher-monitoring-prometheus-0', { spec: { containers: [{ name: 'prometheus' }] } });
    expect(runRule(rule, { facts, upgrade: null, objects: [...high, unlimited] })).toEqual([]);
  });
});
