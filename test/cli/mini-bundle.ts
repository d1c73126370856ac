import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A tiny extracted support bundle in the real layout (metadata.yaml, a YAML List, a CRI-prefixed pod log and node
 * logs), for CLI tests that must not depend on the generated samples.
 */
export function writeMiniBundle(dir: string): string {
  const root = join(dir, 'supportbundle_0b6d3e2e-1111-4222-8333-944445555666_2025-06-14T12-31-05Z');
  const file = (path: string, text: string): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  file(
    'metadata.yaml',
    [
      'bundlename: bundle-x7k2p',
      'bundleversion: 0.1.0',
      'kubernetesversion: v1.31.4+rke2r1',
      'projectnamespaceuuid: 0b6d3e2e-1111-4222-8333-944445555666',
      'bundlecreatedat: "2025-06-14T12:31:05Z"',
      'issueurl: ""',
      'issuedescription: prometheus restarts',
      '',
    ].join('\n'),
  );
  file('bundleGenerationError.log', '');
  file(
    'yamls/namespaced/cattle-monitoring-system/v1/pods.yaml',
    [
      'apiVersion: v1',
      'items:',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata:',
      '    creationTimestamp: "2025-06-01T08:00:00Z"',
      '    name: prometheus-rancher-monitoring-prometheus-0',
      '    namespace: cattle-monitoring-system',
      '  spec:',
      '    containers:',
      '    - name: prometheus',
      '      resources:',
      '        limits:',
      '          memory: 2500Mi',
      '    nodeName: harvester-01',
      '  status:',
      '    containerStatuses:',
      '    - lastState:',
      '        terminated:',
      '          exitCode: 137',
      '          finishedAt: "2025-06-14T10:02:11Z"',
      '          reason: OOMKilled',
      '          startedAt: "2025-06-14T09:40:01Z"',
      '      name: prometheus',
      '      restartCount: 3',
      '      state:',
      '        running:',
      '          startedAt: "2025-06-14T10:02:40Z"',
      'kind: List',
      'metadata:',
      '  continue: "null"',
      '  resourceVersion: "15380285"',
      '',
    ].join('\n'),
  );
  file(
    'logs/cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0/prometheus.log',
    '2025-06-14T10:02:41.120000000Z ts=2025-06-14T10:02:41.119Z caller=main.go:1 level=info msg="Starting Prometheus Server"\n',
  );
  file(
    'nodes/harvester-01/logs/kernel.log',
    [
      'Jun 14 10:02:10.998811 harvester-01 kernel: prometheus invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=997',
      'Jun 14 10:02:11.000120 harvester-01 kernel: Memory cgroup out of memory: Killed process 40211 (prometheus) total-vm:4183420kB, anon-rss:2553012kB, file-rss:0kB, shmem-rss:0kB',
      '',
    ].join('\n'),
  );
  return root;
}
