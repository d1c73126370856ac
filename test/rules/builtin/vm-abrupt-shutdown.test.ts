import { describe, expect, it } from 'vitest';
import { vmAbruptShutdown as rule } from '../../../src/rules/builtin/vm-abrupt-shutdown.js';
import { runRule } from '../../../src/rules/testing/run-rule.js';
import { at, BUNDLE_CREATED, brief, cited, cri, event, iso, k8s, kubevirt, pod, story } from './fixtures.js';

const compute = (vmPod: string) => `logs/default/${vmPod}/compute.log`;
const HANDLER = 'logs/harvester-system/virt-handler-x7k2p/virt-handler.log';
const CONTROLLER = 'logs/harvester-system/virt-controller-6d8f9c7b5-qv2lm/virt-controller.log';
const kubelet = (node: string) => `nodes/${node}.zip!/${node}/logs/kubelet.log`;
const kernel = (node: string) => `nodes/${node}.zip!/${node}/logs/kernel.log`;

const launcher = (name: string, node: string, uid = '00000000-0000-0000-0000-000000000000') =>
  pod('default', name, { metadata: { uid }, spec: { nodeName: node, containers: [{ name: 'compute' }] } });
const handlerPod = pod('harvester-system', 'virt-handler-x7k2p', { spec: { nodeName: 'harvester-01' } });
const facts = { createdAt: at(BUNDLE_CREATED), nodes: ['harvester-01', 'harvester-02', 'harvester-03'] };

/** The lines of a VM killed when its node's kubelet restarted (virt-launcher side). */
const killedDomain = (t: string) => [
  cri(`${t}.412907316Z`, kubevirt('virt-launcher-monitor', `${t}.412871Z`, 'Reaped pid 4711 with status 9')),
  cri(`${t}.413550121Z`, kubevirt('virt-launcher', `${t}.413501Z`, 'DomainLifecycle event Domain event="stopped" detail="failed"')),
  cri(`${t}.414002312Z`, kubevirt('virt-launcher', `${t}.413990Z`, 'kubevirt domain status: Shutoff(5):Crashed(3)')),
];

describe('vm-abrupt-shutdown', () => {
  it('reports each killed VM once, on the node it died on, with its first kill signal', () => {
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [
        launcher('virt-launcher-web-01-abcde', 'harvester-01'),
        launcher('virt-launcher-db-01-k2x9q', 'harvester-02'),
        handlerPod,
        event('default', 'ci-runner-03.1845a', {
          reason: 'Stopped',
          message: 'The VirtualMachineInstance crashed.',
          involved: { kind: 'VirtualMachineInstance', namespace: 'default', name: 'ci-runner-03' },
          first: '2025-06-14T09:41:31Z',
          host: 'harvester-02',
        }),
        event('default', 'virt-launcher-ci-runner-04-h7t2w.1845b', {
          reason: 'SandboxChanged',
          message: 'Pod sandbox changed, it will be killed and re-created.',
          involved: { kind: 'Pod', namespace: 'default', name: 'virt-launcher-ci-runner-04-h7t2w' },
          first: '2025-06-14T09:37:02Z',
          host: 'harvester-01',
        }),
      ],
      members: [
        { path: compute('virt-launcher-web-01-abcde'), lines: killedDomain('2025-06-14T09:36:58') },
        {
          path: kubelet('harvester-02'),
          lines: [
            'I0614 09:41:29.998120    6120 kuberuntime_container.go:809] "Killing container with a grace period" pod="default/virt-launcher-db-01-k2x9q" podUID="5f0e2c1a-8d4b-4c61-9a57-0c3e2b1d4f6a" containerName="compute" containerID="containerd://1f3a" gracePeriod=2',
          ],
        },
        {
          path: HANDLER,
          lines: [
            cri(
              '2025-06-14T09:36:59.101553201Z',
              kubevirt('virt-handler', '2025-06-14T09:36:59.101502Z', 'Grace period expired, killing deleted VirtualMachineInstance web-02', {
                kind: 'VirtualMachineInstance',
                name: 'web-02',
                namespace: 'default',
              }),
            ),
          ],
        },
      ],
    });
    expect(brief(findings).sort((a, b) => (a.subject! < b.subject! ? -1 : 1))).toEqual([
      { rule: 'vm-abrupt-shutdown', severity: 'high', node: 'harvester-02', subject: 'default/ci-runner-03' },
      { rule: 'vm-abrupt-shutdown', severity: 'high', node: 'harvester-01', subject: 'default/ci-runner-04' },
      { rule: 'vm-abrupt-shutdown', severity: 'high', node: 'harvester-02', subject: 'default/db-01' },
      { rule: 'vm-abrupt-shutdown', severity: 'high', node: 'harvester-01', subject: 'default/web-01' },
      { rule: 'vm-abrupt-shutdown', severity: 'high', node: 'harvester-01', subject: 'default/web-02' },
    ]);
    const web01 = findings.find((f) => f.subject === 'default/web-01')!;
    expect(iso(web01.firstSeen)).toBe('2025-06-14T09:36:58.412Z');
    expect(cited(web01)).toEqual([1, 2, 3].map((n) => `${compute('virt-launcher-web-01-abcde')}:${n}`));
    expect(web01.message).toBe(
      'VM default/web-01 on harvester-01 died at 2025-06-14T09:36:58.412Z without a graceful shutdown during the upgrade: ' +
        'qemu reaped after SIGKILL (status 9); domain stopped: failed; domain crashed (Shutoff(5):Crashed(3)).',
    );
    expect(web01.fields.inUpgradeWindow).toBe(true);
    const db01 = findings.find((f) => f.subject === 'default/db-01')!;
    expect(cited(db01)).toEqual([`${kubelet('harvester-02')}:1`]);
    expect(db01.message).toContain('kubelet killed the compute container with gracePeriod=2');
  });

  it('stays silent for graceful stops, even with a kubelet kill of 180 s grace, and for a migration source', () => {
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [
        handlerPod,
        launcher('virt-launcher-graceful-01-q8w2e', 'harvester-03'),
        launcher('virt-launcher-moved-01-z3x4c', 'harvester-03'),
        k8s('VirtualMachineInstanceMigration', 'kubevirt.io/v1', 'default', 'kubevirt-evacuation-abcd1', {
          spec: { vmiName: 'moved-01' },
          status: {
            phase: 'Succeeded',
            migrationState: { completed: true, endTimestamp: '2025-06-14T10:31:20Z', sourceNode: 'harvester-03', targetNode: 'harvester-01' },
          },
        }),
      ],
      members: [
        {
          path: compute('virt-launcher-graceful-01-q8w2e'),
          lines: [
            cri('2025-06-14T10:28:38.189222000Z', kubevirt('virt-launcher', '2025-06-14T10:28:38.189222Z', 'Received signal terminated')),
            cri(
              '2025-06-14T10:28:38.189319000Z',
              kubevirt('virt-launcher', '2025-06-14T10:28:38.189319Z', 'Signaled graceful shutdown', { kind: 'VirtualMachineInstance', name: 'graceful-01', namespace: 'default' }),
            ),
            cri('2025-06-14T10:29:02.551002000Z', kubevirt('virt-launcher', '2025-06-14T10:29:02.550990Z', 'kubevirt domain status: Shutoff(5):Shutdown(1)')),
          ],
        },
        {
          path: HANDLER,
          lines: [
            cri('2025-06-14T10:29:03.551002000Z', kubevirt('virt-handler', '2025-06-14T10:29:03.550990Z', 'Domain is in state Shutoff reason Shutdown', { kind: 'Domain', name: 'graceful-01', namespace: 'default' })),
            cri('2025-06-14T10:29:04.551002000Z', kubevirt('virt-handler', '2025-06-14T10:29:04.550990Z', 'VMI is in phase: Running | Domain status: Shutoff, reason: Shutdown', { kind: 'VirtualMachineInstance', name: 'graceful-01', namespace: 'default' })),
          ],
        },
        {
          path: kubelet('harvester-03'),
          lines: [
            'I0614 10:28:37.998120    7120 kuberuntime_container.go:809] "Killing container with a grace period" pod="default/virt-launcher-graceful-01-q8w2e" podUID="5f0e2c1a-8d4b-4c61-9a57-0c3e2b1d4f6a" containerName="compute" containerID="containerd://2a4b" gracePeriod=180',
          ],
        },
        {
          path: compute('virt-launcher-moved-01-z3x4c'),
          lines: [cri('2025-06-14T10:31:19.004111000Z', kubevirt('virt-launcher', '2025-06-14T10:31:19.004100Z', 'kubevirt domain status: Shutoff(5):Migrated(4)'))],
        },
        {
          path: 'logs/harvester-system/hvst-upgrade-x2hz8-pre-drain-harvester-03-7kq2z/apply.log',
          lines: [cri('2025-06-14T10:28:30.120000000Z', 'time="2025-06-14T10:28:30Z" level=info msg="vm default/graceful-01 was administratively stopped"')],
        },
      ],
    });
    expect(findings).toEqual([]);
  });

  it('names the VM of a qemu OOM kill by the pod UID in its memcg path, and reports an unnamed one apart', () => {
    const uid = '7d3c9b1e-2f4a-4c8d-9e6b-1a2b3c4d5e6f';
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [launcher('virt-launcher-db-07-m4n5b', 'harvester-03', uid)],
      members: [
        {
          path: kernel('harvester-03'),
          lines: [
            'Jun 14 10:44:12.102003 harvester-03 kernel: CPU 2/KVM invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=872',
            `Jun 14 10:44:12.102411 harvester-03 kernel: oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-9f.scope,mems_allowed=0,oom_memcg=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid.replace(/-/g, '_')}.slice,task_memcg=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid.replace(/-/g, '_')}.slice/cri-containerd-9f.scope,task=qemu-system-x86,pid=10381,uid=107`,
            'Jun 14 10:44:12.102530 harvester-03 kernel: Memory cgroup out of memory: Killed process 10381 (qemu-system-x86) total-vm:51318200kB, anon-rss:50107964kB, file-rss:22164kB, shmem-rss:4kB',
            'Jun 14 12:58:40.300101 harvester-03 kernel: Memory cgroup out of memory: Killed process 20555 (qemu-system-x86) total-vm:8318200kB, anon-rss:8107964kB, file-rss:22164kB, shmem-rss:4kB',
          ],
        },
      ],
    });
    expect(brief(findings).sort((a, b) => (a.subject! < b.subject! ? -1 : 1))).toEqual([
      { rule: 'vm-abrupt-shutdown', severity: 'high', node: 'harvester-03', subject: 'default/db-07' },
      { rule: 'vm-abrupt-shutdown', severity: 'high', node: 'harvester-03', subject: 'unknown VM (qemu pid 20555)' },
    ]);
    const db07 = findings.find((f) => f.subject === 'default/db-07')!;
    expect(cited(db07)).toEqual([1, 2, 3].map((n) => `${kernel('harvester-03')}:${n}`));
    expect(iso(db07.firstSeen)).toBe('2025-06-14T10:44:12.102Z');
    const orphan = findings.find((f) => f.subject !== 'default/db-07')!;
    expect(orphan.fields.inUpgradeWindow).toBe(false);
    expect(orphan.message).not.toContain('during the upgrade');
  });

  it('reports a graceful stop whose guest did not finish in time, and counts separate deaths of one VM', () => {
    const [f, ...rest] = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [handlerPod],
      members: [
        {
          path: HANDLER,
          lines: [
            cri('2025-06-14T09:10:00.000100000Z', kubevirt('virt-handler', '2025-06-14T09:10:00.000050Z', 'Signaled graceful shutdown for web-05', { name: 'web-05', namespace: 'default' })),
            cri('2025-06-14T09:12:00.000100000Z', kubevirt('virt-handler', '2025-06-14T09:12:00.000050Z', 'Grace period expired, killing deleted VirtualMachineInstance web-05', { name: 'web-05', namespace: 'default' })),
          ],
        },
        {
          path: HANDLER,
          lines: [
            cri('2025-06-14T11:19:58.000100000Z', kubevirt('virt-handler', '2025-06-14T11:19:58.000050Z', 'Domain is in state Shutoff reason Crashed', { kind: 'Domain', name: 'web-05', namespace: 'default' })),
          ],
        },
        {
          path: CONTROLLER,
          lines: [
            cri('2025-06-14T11:20:00.000100000Z', kubevirt('virt-controller', '2025-06-14T11:20:00.000050Z', 'Stopping VM with VMI in phase Failed and VM runStrategy: RerunOnFailure', { kind: 'VirtualMachine', name: 'web-05', namespace: 'default' })),
          ],
        },
      ],
    });
    expect(rest).toEqual([]);
    expect(f.subject).toBe('default/web-05');
    expect(f.node).toBe('harvester-01');
    expect(f.count).toBe(2);
    expect(iso(f.firstSeen)).toBe('2025-06-14T09:12:00.000Z');
    expect(iso(f.lastSeen)).toBe('2025-06-14T11:19:58.000Z');
  });
});
