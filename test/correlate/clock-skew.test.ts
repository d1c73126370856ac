import { describe, expect, it } from 'vitest';
import {
  applySkew,
  clockSide,
  estimateClockSkew,
  matchSkewPairs,
  referenceTime,
  type SkewPair,
} from '../../src/correlate/clock-skew.js';
import type { KeyEvent } from '../../src/correlate/types.js';
import type { Finding } from '../../src/rules/types.js';

const T = (hms: string): number => Date.parse(`2025-06-14T${hms}Z`);
const KUBELET_02 = 'nodes/harvester-02.zip!/harvester-02/logs/kubelet.log';
const JOBS = 'yamls/namespaced/harvester-system/batch/v1/jobs.yaml';
const EVENTS = 'yamls/namespaced/default/v1/events.yaml';

function event(node: string | null, kind: KeyEvent['kind'], time: number, file: string, line: number, text: string, summary: string = kind): KeyEvent {
  return { time, node, kind, summary, evidence: { file, line, time, text } };
}

/** kubelet killing a virt-launcher's compute container (klog, node clock). */
const kubeletKill = (vm: string, time: number, line: number): KeyEvent =>
  event('harvester-02', 'vm-stop', time, KUBELET_02, line,
    `I0614 09:41:37.120044    3411 kuberuntime_container.go:809] "Killing container with a grace period" pod="default/virt-launcher-${vm}-x7k2p" podUID="3c8d0f7e" containerName="compute" containerID="containerd://9f1c" gracePeriod=2`,
    `kubelet kills default/virt-launcher-${vm}-x7k2p`);

/** The same VM's virt-launcher reaping qemu (pod log, CRI clock). */
const launcherReaped = (vm: string, time: number): KeyEvent =>
  event('harvester-02', 'vm-stop', time, `logs/default/virt-launcher-${vm}-x7k2p/compute.log`, 212,
    '2025-06-14T09:41:33.004118000Z {"component":"virt-launcher","level":"info","msg":"Reaped pid 87 with status 9","pos":"virt-launcher-monitor.go:199","timestamp":"2025-06-14T09:41:33.004118Z"}',
    `VM default/${vm} stopped`);

describe('clockSide', () => {
  it('tells node-local logs from API objects and CRI-prefixed pod logs', () => {
    expect(clockSide(KUBELET_02)).toBe('node');
    expect(clockSide('nodes/harvester-02.zip!/harvester-02/logs/rke2-server.log')).toBe('node');
    expect(clockSide('nodes/harvester-03.zip!/harvester-03/logs/kernel.log.1')).toBe('node');
    expect(clockSide(JOBS)).toBe('reference');
    expect(clockSide('logs/harvester-system/hvst-upgrade-x2hz8-apply-manifests-5chxg/apply.log')).toBe('reference');
    // containerd's own times carry a zone; upgrade-log archive lines carry the application's time.
    expect(clockSide('nodes/harvester-02.zip!/harvester-02/logs/containerd.log')).toBeNull();
    expect(clockSide('logs/harvester-system.hvst-upgrade-x2hz8-apply-manifests-5chxg.apply.20250614.log.gz')).toBeNull();
  });
});

describe('estimateClockSkew', () => {
  const pair = (node: string, nodeTime: number, apiTime: number, basis: string): SkewPair => ({ node, nodeTime, apiTime, basis });

  it('takes the median of node time minus API time per node, positive when the node runs ahead', () => {
    const skews = estimateClockSkew([
      pair('harvester-02', T('09:41:37.010'), T('09:41:33'), 'vm-stop of default/db-01'),
      pair('harvester-02', T('09:41:38.900'), T('09:41:35'), 'vm-stop of default/db-02'),
      pair('harvester-02', T('11:50:04.100'), T('11:50:00'), 'job-start of hvst-upgrade-x2hz8-post-drain-harvester-02'),
      pair('harvester-01', T('10:00:00.200'), T('10:00:00'), 'vm-stop of default/web-01'),
      pair('harvester-01', T('10:05:00'), T('10:05:00.100'), 'vm-stop of default/web-02'),
    ]);
    expect(skews).toEqual([
      {
        node: 'harvester-01',
        offsetMs: 50,
        basis: 'median of 2 pairs (node log time − API/CRI time): vm-stop of default/web-01; vm-stop of default/web-02',
      },
      {
        node: 'harvester-02',
        offsetMs: 4010,
        basis:
          'median of 3 pairs (node log time − API/CRI time): job-start of hvst-upgrade-x2hz8-post-drain-harvester-02; vm-stop of default/db-01; vm-stop of default/db-02',
      },
    ]);
  });

  it('reports nothing for nodes without pairs, and shortens a long basis', () => {
    expect(estimateClockSkew([])).toEqual([]);
    const many = ['a', 'b', 'c', 'd', 'e'].map((vm, i) => pair('harvester-03', T('10:00:00') - 2000 + i, T('10:00:00'), `vm-stop of default/${vm}`));
    const [skew] = estimateClockSkew(many);
    expect(skew.offsetMs).toBe(-1998);
    expect(skew.basis).toBe('median of 5 pairs (node log time − API/CRI time): vm-stop of default/a; vm-stop of default/b; vm-stop of default/c; +2 more');
  });
});

describe('applySkew and referenceTime', () => {
  const skews = [
    { node: 'harvester-01', offsetMs: 400, basis: 'median of 2 pairs' },
    { node: 'harvester-02', offsetMs: 4000, basis: 'median of 3 pairs' },
  ];

  it('moves node times onto the reference clock, leaving offsets under 1 s alone', () => {
    expect(applySkew(T('09:41:34'), 'harvester-02', skews)).toBe(T('09:41:30'));
    expect(applySkew(T('09:41:34'), 'harvester-01', skews)).toBe(T('09:41:34'));
    expect(applySkew(T('09:41:34'), 'harvester-03', skews)).toBe(T('09:41:34'));
    expect(applySkew(T('09:41:34'), null, skews)).toBe(T('09:41:34'));
  });

  it('applies only to times read from node-local logs', () => {
    expect(referenceTime(T('09:41:34'), null, KUBELET_02, skews)).toBe(T('09:41:30'));
    expect(referenceTime(T('09:41:34'), 'harvester-02', 'logs/default/virt-launcher-db-01-x7k2p/compute.log', skews)).toBe(T('09:41:34'));
    expect(referenceTime(T('09:41:34'), 'harvester-02', null, skews)).toBe(T('09:41:34'));
  });
});

describe('matchSkewPairs', () => {
  it('pairs a VM stop in kubelet.log with the same VM in its virt-launcher log', () => {
    const pairs = matchSkewPairs([kubeletKill('db-01', T('09:41:37'), 310500), launcherReaped('db-01', T('09:41:33'))]);
    expect(pairs).toEqual([
      {
        node: 'harvester-02',
        nodeTime: T('09:41:37'),
        apiTime: T('09:41:33'),
        basis: 'vm-stop of default/db-01 (harvester-02/logs/kubelet.log:310500 vs logs/default/virt-launcher-db-01-x7k2p/compute.log:212)',
      },
    ]);
  });

  it("pairs a Job's startTime with kubelet's first sight of the job's pod", () => {
    const job = event('harvester-02', 'job-start', T('11:50:00'), JOBS, 190,
      'Job harvester-system/hvst-upgrade-x2hz8-post-drain-harvester-02 startTime 2025-06-14T11:50:00Z',
      'post-drain job of harvester-02 started');
    const kubelet = event('harvester-02', 'job-start', T('11:50:04.100'), KUBELET_02, 402113,
      'I0614 11:50:04.100231    3411 kubelet.go:2432] "SyncLoop ADD" source="api" pods=["harvester-system/hvst-upgrade-x2hz8-post-drain-harvester-02-5xk2d"]');
    const [p] = matchSkewPairs([kubelet], [job]);
    // Job times are whole seconds: the node time is compared at that resolution.
    expect(p.nodeTime - p.apiTime).toBe(4000);
    expect(p.basis).toBe('job-start of hvst-upgrade-x2hz8-post-drain-harvester-02 (harvester-02/logs/kubelet.log:402113 vs yamls/namespaced/harvester-system/batch/v1/jobs.yaml:190)');
  });

  it("pairs kubelet's kill of a container with the Killing Event it records, from findings' evidence and object times", () => {
    const vmKilled = (vm: string, at: number, line: number): Finding => ({
      id: `vm-abrupt-shutdown:harvester-02:default/${vm}`, ruleId: 'vm-abrupt-shutdown', severity: 'high', title: 'VM killed', message: '',
      node: 'harvester-02', subject: `default/${vm}`, firstSeen: at, lastSeen: at, count: 1, remediation: '', evidenceTotal: 2, fields: {},
      evidence: [
        kubeletKill(vm, at + 4000, line).evidence,
        // The rules' own wording of the Event.
        { file: EVENTS, line: line / 10, time: Math.floor(at / 1000) * 1000, text: `Event Killing Pod default/virt-launcher-${vm}-x7k2p: Stopping container compute` },
      ],
    });
    // The object-times wording of another VM's Event, given as an object time.
    const killing = event('harvester-02', 'other', T('09:41:35'), EVENTS, 9120,
      'Event default/virt-launcher-db-03-x7k2p.18a7c2e5d0f1b2c3 Normal Killing on Pod default/virt-launcher-db-03-x7k2p: Stopping container compute at 2025-06-14T09:41:35.000Z');
    const pairs = matchSkewPairs([], [killing], [
      vmKilled('db-01', T('09:41:33.250'), 310500),
      vmKilled('db-02', T('09:41:34.900'), 310510),
      { ...vmKilled('db-03', T('09:41:35.420'), 310520), evidence: [kubeletKill('db-03', T('09:41:39.420'), 310520).evidence] },
    ]);
    expect(pairs.map((p) => [p.basis, p.nodeTime - p.apiTime])).toEqual([
      ['container-kill of default/virt-launcher-db-01-x7k2p/compute (harvester-02/logs/kubelet.log:310500 vs yamls/namespaced/default/v1/events.yaml:31050)', 4000],
      ['container-kill of default/virt-launcher-db-02-x7k2p/compute (harvester-02/logs/kubelet.log:310510 vs yamls/namespaced/default/v1/events.yaml:31051)', 4000],
      ['container-kill of default/virt-launcher-db-03-x7k2p/compute (harvester-02/logs/kubelet.log:310520 vs yamls/namespaced/default/v1/events.yaml:9120)', 4000],
    ]);
  });

  it('stays silent without a common subject, kind and node, or when the sightings are too far apart', () => {
    const rke2Stop = event('harvester-02', 'rke2-stop', T('09:41:19'), 'nodes/harvester-02.zip!/harvester-02/logs/rke2-server.log', 88211,
      'Jun 14 09:41:19.002317 harvester-02 systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...');
    const otherVm = launcherReaped('db-02', T('09:41:33'));
    const otherNode = { ...launcherReaped('db-01', T('09:41:33')), node: 'harvester-01' };
    const otherKind = { ...launcherReaped('db-01', T('09:41:33')), kind: 'vm-start' as KeyEvent['kind'] };
    const muchLater = launcherReaped('db-01', T('11:41:33'));
    expect(matchSkewPairs([kubeletKill('db-01', T('09:41:37'), 310500), rke2Stop, otherVm, otherNode, otherKind, muchLater])).toEqual([]);
  });

  it('pairs the first sighting on each clock, not the closest, whatever the input order', () => {
    const events = [
      kubeletKill('db-01', T('09:41:37'), 310500),
      kubeletKill('db-01', T('09:41:39'), 310512),
      launcherReaped('db-01', T('09:41:33')),
      // The same kill's later launcher line is closer to kubelet's but is not where the happening began.
      { ...launcherReaped('db-01', T('09:41:35')), evidence: { ...launcherReaped('db-01', T('09:41:35')).evidence, line: 214 } },
      kubeletKill('db-02', T('09:41:38'), 310520),
      launcherReaped('db-02', T('09:41:34.200')),
    ];
    const pairs = matchSkewPairs(events);
    expect(pairs.map((p) => p.nodeTime - p.apiTime)).toEqual([4000, 3800]);
    expect(matchSkewPairs([...events].reverse())).toEqual(pairs);
    expect(estimateClockSkew(pairs)).toMatchObject([{ node: 'harvester-02', offsetMs: 3900 }]);
  });
});
