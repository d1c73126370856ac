import { describe, expect, it } from 'vitest';
import { containerOomKilled as rule } from '../../../src/rules/builtin/container-oom-killed.js';
import { runRule } from '../../../src/rules/testing/run-rule.js';
import { at, BUNDLE_CREATED, brief, cited, iso, pod, story } from './fixtures.js';

const facts = { createdAt: at(BUNDLE_CREATED), nodes: ['harvester-01', 'harvester-02', 'harvester-03'] };
const kernel = (node: string) => `nodes/${node}.zip!/${node}/logs/kernel.log`;
const stress = pod('default', 'stress-test-6f7d9c8b5-q2w3e', {
  spec: { nodeName: 'harvester-01', containers: [{ name: 'stress', resources: { limits: { memory: '1Gi' } } }] },
  status: {
    containerStatuses: [
      { name: 'stress', restartCount: 1, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2025-06-14T04:47:03Z' } }, state: { running: {} } },
    ],
  },
});
const STRESS_KILL = 'Jun 14 04:47:03.512087 harvester-01 kernel: Memory cgroup out of memory: Killed process 90412 (stress) total-vm:1052132kB, anon-rss:1047552kB, file-rss:4kB, shmem-rss:0kB';

describe('container-oom-killed', () => {
  it('reports an OOM before the upgrade window, merged from the pod status and the kernel line, as not tied to it', () => {
    const findings = runRule(rule, { facts, upgrade: story(), objects: [stress], members: [{ path: kernel('harvester-01'), lines: [STRESS_KILL] }] });
    expect(brief(findings)).toEqual([
      { rule: 'container-oom-killed', severity: 'medium', node: 'harvester-01', subject: 'default/stress-test-6f7d9c8b5-q2w3e' },
    ]);
    const [f] = findings;
    expect(f.count).toBe(1);
    expect(iso(f.firstSeen)).toBe('2025-06-14T04:47:03.000Z');
    expect(f.fields).toMatchObject({ inUpgradeWindow: false, oomKills: 1, memoryLimit: '1Gi' });
    expect(f.message).toBe(
      'Container stress of pod default/stress-test-6f7d9c8b5-q2w3e was OOMKilled once (2025-06-14T04:47:03.000Z), 3 h 15 min before the upgrade started: ' +
        'not tied to the upgrade; memory limit 1Gi.',
    );
    expect(cited(f)).toEqual(['yamls/namespaced/default/v1/pods.yaml:' + stress.line, `${kernel('harvester-01')}:1`]);
  });

  it('names the container of a kernel kill by the pod UID and container ID of its memcg path', () => {
    const uid = '3b9d2c41-7e5a-4f08-9c16-2d4e8a7b1f03';
    const id = 'c'.repeat(64);
    const cg = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid.replace(/-/g, '_')}.slice/cri-containerd-${id}.scope`;
    const ng = pod('default', 'stress-test-6f7d9c8b5-q2w3e', {
      metadata: { uid },
      spec: { nodeName: 'harvester-02', containers: [{ name: 'stress', resources: { limits: { memory: '1Gi' } } }] },
      status: { containerStatuses: [{ name: 'stress', restartCount: 1, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2025-06-14T03:12:56Z', containerID: `containerd://${id}` } } }] },
    });
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [ng],
      members: [
        {
          path: kernel('harvester-02'),
          lines: [
            'Jun 14 03:12:44.000001 harvester-02 kernel: stress-ng-vm invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=936',
            `Jun 14 03:12:44.001041 harvester-02 kernel: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-${id}.scope,mems_allowed=0-1,oom_memcg=${cg},task_memcg=${cg},task=stress-ng-vm,pid=41234,uid=0`,
            'Jun 14 03:12:44.001081 harvester-02 kernel: Memory cgroup out of memory: Killed process 41234 (stress-ng-vm) total-vm:1133548kB, anon-rss:1040012kB, file-rss:12000kB, shmem-rss:0kB, UID:0 pgtables:4000kB oom_score_adj:936',
          ],
        },
      ],
    });
    expect(brief(findings)).toEqual([
      { rule: 'container-oom-killed', severity: 'medium', node: 'harvester-02', subject: 'default/stress-test-6f7d9c8b5-q2w3e' },
    ]);
    expect(findings[0].count).toBe(1);
    expect(cited(findings[0])).toEqual([1, 2, 3].map((n) => `${kernel('harvester-02')}:${n}`).concat(`yamls/namespaced/default/v1/pods.yaml:${ng.line}`));
  });

  it('reports a kill during the upgrade, and a kernel kill of an unknown process by its name', () => {
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      members: [
        {
          path: kernel('harvester-02'),
          lines: ['Jun 14 09:50:12.100200 harvester-02 kernel: Memory cgroup out of memory: Killed process 3321 (harvester-netwo) total-vm:912132kB, anon-rss:262144kB, file-rss:4kB, shmem-rss:0kB'],
        },
      ],
    });
    expect(brief(findings)).toEqual([
      { rule: 'container-oom-killed', severity: 'medium', node: 'harvester-02', subject: 'process harvester-netwo on harvester-02' },
    ]);
    expect(findings[0].fields.inUpgradeWindow).toBe(true);
    expect(findings[0].message).toBe(
      'Process harvester-netwo on harvester-02 (its pod is not known) was OOMKilled once during the upgrade (2025-06-14T09:50:12.100Z); memory limit unknown.',
    );
  });

  it('names the pod of a kill from kubelet.log when the pod was deleted before collection', () => {
    const uid = '810cb7ab-0271-4f12-a375-6a8fec14179c';
    const id = '73000b7d0395edd221aaff9963a514dd207dd72fb69faff26d4863ed48407276';
    const cg = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid.replace(/-/g, '_')}.slice/cri-containerd-${id}.scope`;
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      members: [
        {
          path: kernel('harvester-02'),
          lines: [
            `Jun 14 03:12:48.001000 harvester-02 kernel: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-${id}.scope,mems_allowed=0-1,oom_memcg=${cg},task_memcg=${cg},task=stress-ng-vm,pid=54631,uid=0`,
            'Jun 14 03:12:48.001040 harvester-02 kernel: Memory cgroup out of memory: Killed process 54631 (stress-ng-vm) total-vm:1133548kB, anon-rss:1040012kB, file-rss:12000kB, shmem-rss:0kB, UID:0 pgtables:4000kB oom_score_adj:936',
          ],
        },
        {
          path: 'nodes/harvester-02.zip!/harvester-02/logs/kubelet.log',
          lines: [
            `I0614 03:12:48.900000   40604 kubelet.go:2468] "SyncLoop (PLEG): event for pod" pod="default/stress-test-4r9w6l9s8j-xc9pz" event={"ID":"${uid}","Type":"ContainerDied","Data":"${id}"}`,
          ],
        },
      ],
    });
    expect(brief(findings)).toEqual([{ rule: 'container-oom-killed', severity: 'medium', node: 'harvester-02', subject: 'default/stress-test-4r9w6l9s8j-xc9pz' }]);
    expect(findings[0].message).toContain('Process stress-ng-vm of pod default/stress-test-4r9w6l9s8j-xc9pz (deleted since) was OOMKilled once');
  });

  it('leaves Prometheus and the qemu of VMs to their own rules', () => {
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [
        pod('default', 'virt-launcher-db-07-m4n5b', {
          spec: { nodeName: 'harvester-03', containers: [{ name: 'compute' }] },
          status: { containerStatuses: [{ name: 'compute', restartCount: 0, state: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2025-06-14T10:44:12Z' } } }] },
        }),
      ],
      members: [
        {
          path: kernel('harvester-03'),
          lines: [
            'Jun 14 10:44:12.102530 harvester-03 kernel: Memory cgroup out of memory: Killed process 10381 (qemu-system-x86) total-vm:51318200kB, anon-rss:50107964kB, file-rss:22164kB, shmem-rss:4kB',
            'Jun 14 10:12:40.901233 harvester-03 kernel: Memory cgroup out of memory: Killed process 48213 (prometheus) total-vm:6312040kB, anon-rss:2558712kB, file-rss:0kB, shmem-rss:0kB',
          ],
        },
      ],
    });
    expect(findings).toEqual([]);
  });

  it('without an upgrade, reports the kill plainly', () => {
    const [f] = runRule(rule, { facts, upgrade: null, objects: [stress] });
    expect(f.fields.inUpgradeWindow).toBeNull();
    expect(f.message).toBe('Container stress of pod default/stress-test-6f7d9c8b5-q2w3e was OOMKilled once (2025-06-14T04:47:03.000Z); memory limit 1Gi.');
  });
});
