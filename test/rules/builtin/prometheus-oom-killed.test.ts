import { describe, expect, it } from 'vitest';
import { prometheusOomKilled as rule } from '../../../src/rules/builtin/prometheus-oom-killed.js';
import { runRule } from '../../../src/rules/testing/run-rule.js';
import { at, BUNDLE_CREATED, brief, cited, event, iso, pod, story } from './fixtures.js';

const facts = { createdAt: at(BUNDLE_CREATED), nodes: ['harvester-01', 'harvester-02', 'harvester-03'] };
const KERNEL = 'nodes/harvester-03.zip!/harvester-03/logs/kernel.log';
const prometheus = pod('cattle-monitoring-system', 'prometheus-rancher-monitoring-prometheus-0', {
  spec: {
    nodeName: 'harvester-03',
    containers: [{ name: 'prometheus', resources: { limits: { cpu: '1000m', memory: '2500Mi' }, requests: { cpu: '750m', memory: '1750Mi' } } }, { name: 'config-reloader' }],
  },
  status: {
    containerStatuses: [
      {
        name: 'prometheus',
        restartCount: 6,
        lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, startedAt: '2025-06-14T10:31:02Z', finishedAt: '2025-06-14T10:52:18Z', containerID: 'containerd://8c1d' } },
        state: { waiting: { reason: 'CrashLoopBackOff' } },
      },
      { name: 'config-reloader', restartCount: 0, state: { running: { startedAt: '2025-06-14T09:00:00Z' } } },
    ],
  },
});
const kill = (clock: string, pid: number) => [
  `Jun 14 ${clock}.901102 harvester-03 kernel: prometheus invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=997`,
  `Jun 14 ${clock}.901233 harvester-03 kernel: Memory cgroup out of memory: Killed process ${pid} (prometheus) total-vm:6312040kB, anon-rss:2558712kB, file-rss:0kB, shmem-rss:0kB`,
];

describe('prometheus-oom-killed', () => {
  it('counts the kills of the Prometheus container, with their times and the memory limit', () => {
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [prometheus],
      members: [{ path: KERNEL, lines: [...kill('10:12:40', 48213), ...kill('10:31:01', 51877), ...kill('10:52:18', 55102)] }],
    });
    expect(brief(findings)).toEqual([
      { rule: 'prometheus-oom-killed', severity: 'high', node: 'harvester-03', subject: 'cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0' },
    ]);
    const [f] = findings;
    expect(f.count).toBe(3);
    expect(iso(f.firstSeen)).toBe('2025-06-14T10:12:40.901Z');
    expect(iso(f.lastSeen)).toBe('2025-06-14T10:52:18.901Z');
    expect(f.fields).toMatchObject({ oomKills: 3, oomKillsInUpgradeWindow: 3, restartCount: 6, memoryLimit: '2500Mi' });
    expect(f.message).toBe(
      'Prometheus cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0 was OOMKilled 3 times during the upgrade ' +
        '(2025-06-14T10:12:40.901Z, 2025-06-14T10:31:01.901Z, 2025-06-14T10:52:18.901Z); restartCount 6, memory limit 2500Mi.',
    );
    expect(cited(f).slice(0, 2)).toEqual([`${KERNEL}:1`, `${KERNEL}:2`]);
  });

  it('reads a kill from the pod status and a SystemOOM event when the kernel log says nothing', () => {
    const [f, ...rest] = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [
        prometheus,
        event('default', 'harvester-03.18459', {
          reason: 'SystemOOM',
          message: 'System OOM encountered, victim process: prometheus, pid: 48213',
          involved: { kind: 'Node', name: 'harvester-03' },
          first: '2025-06-14T10:12:41Z',
          host: 'harvester-03',
        }),
      ],
    });
    expect(rest).toEqual([]);
    expect(f.count).toBe(2);
    expect(f.fields.lastOomAt).toBe('2025-06-14T10:52:18.000Z');
    expect(f.evidence.map((e) => e.text)).toEqual([
      'Event SystemOOM Node harvester-03: System OOM encountered, victim process: prometheus, pid: 48213',
      'Pod cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0 container prometheus: lastState.terminated.reason OOMKilled, exitCode 137, restartCount 6, finishedAt 2025-06-14T10:52:18Z',
    ]);
  });

  it('stays silent for other processes and a Prometheus that restarted for another reason', () => {
    const healthy = pod('cattle-monitoring-system', 'prometheus-rancher-monitoring-prometheus-0', {
      spec: { nodeName: 'harvester-03', containers: [{ name: 'prometheus' }] },
      status: { containerStatuses: [{ name: 'prometheus', restartCount: 1, lastState: { terminated: { reason: 'Error', exitCode: 1 } } }] },
    });
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [healthy],
      members: [{ path: KERNEL, lines: ['Jun 14 04:47:03.512087 harvester-03 kernel: Memory cgroup out of memory: Killed process 90412 (stress) total-vm:1052132kB, anon-rss:1047552kB, file-rss:4kB, shmem-rss:0kB'] }],
    });
    expect(findings).toEqual([]);
  });
});
