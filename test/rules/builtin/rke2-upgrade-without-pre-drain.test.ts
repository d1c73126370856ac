import { describe, expect, it } from 'vitest';
import type { KeyEvent } from '../../../src/correlate/types.js';
import { rke2UpgradeWithoutPreDrain as rule } from '../../../src/rules/builtin/rke2-upgrade-without-pre-drain.js';
import { runRule } from '../../../src/rules/testing/run-rule.js';
import { at, BUNDLE_CREATED, brief, cited, iso, k8s, stamp, story } from './fixtures.js';

const agentLog = (node: string) => `nodes/${node}.zip!/${node}/logs/rancher-system-agent.log`;
const serverLog = (node: string) => `nodes/${node}.zip!/${node}/logs/rke2-server.log`;
const kubeletLog = (node: string) => `nodes/${node}.zip!/${node}/logs/kubelet.log`;

/** A node's RKE2 upgrade as its journals and kubelet.log show it, starting at hh:mm. */
const rke2Upgrade = (node: string, hhmm: string) => [
  {
    path: agentLog(node),
    lines: [
      `Jun 14 ${hhmm}:02.118734 ${node} rancher-system-agent[3121]: time="2025-06-14T${hhmm}:02Z" level=info msg="Detected first start, force-applying one-time instruction set"`,
      `Jun 14 ${hhmm}:03.204512 ${node} rancher-system-agent[3121]: time="2025-06-14T${hhmm}:03Z" level=info msg="[Applyinator] Extracting image rancher/system-agent-installer-rke2:v1.32.3-rke2r1 to directory /var/lib/rancher/agent/work/20250614-${hhmm.replace(':', '')}03/0b1c2d_0"`,
    ],
  },
  {
    path: serverLog(node),
    lines: [
      `Jun 14 ${hhmm}:41.502811 ${node} systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...`,
      `Jun 14 ${hhmm}:41.613408 ${node} rke2[2210]: time="2025-06-14T${hhmm}:41Z" level=info msg="Shutting down /v1, Kind=Node workers"`,
      `Jun 14 ${hhmm}:47.009127 ${node} systemd[1]: Starting Rancher Kubernetes Engine v2 (server)...`,
      `Jun 14 ${hhmm}:47.301556 ${node} rke2[40121]: time="2025-06-14T${hhmm}:47Z" level=info msg="Starting rke2 v1.32.3+rke2r1 (0f2f4b4e)"`,
    ],
  },
  {
    path: kubeletLog(node),
    lines: [`I0614 ${hhmm}:58.118220    5120 server.go:484] "Kubelet version" kubeletVersion="v1.32.3+rke2r1"`],
  },
];

const upgradeObject = k8s('Upgrade', 'harvesterhci.io/v1beta1', 'harvester-system', 'hvst-upgrade-x2hz8', {
  status: { repoInfo: 'release:\n  harvester: v1.5.0\n  os: Harvester v1.5.0\n  kubernetes: v1.32.3+rke2r1\n', singleNode: '' },
});
const facts = { createdAt: at(BUNDLE_CREATED), nodes: ['harvester-01', 'harvester-02', 'harvester-03'] };

describe('rke2-upgrade-without-pre-drain', () => {
  it('fires for a node whose RKE2 restarted with no pre-drain, and not for one pre-drained first', () => {
    const findings = runRule(rule, {
      facts,
      objects: [upgradeObject],
      members: [...rke2Upgrade('harvester-01', '09:36'), ...rke2Upgrade('harvester-03', '11:50')],
      upgrade: story({
        nodes: [
          { name: 'harvester-01', state: 'Images preloaded' },
          {
            name: 'harvester-03',
            state: 'Succeeded',
            preDrainStartedAt: stamp('2025-06-14T10:05:00Z'),
            preDrainFinishedAt: stamp('2025-06-14T10:20:00Z'),
          },
        ],
      }),
    });
    expect(brief(findings)).toEqual([
      { rule: 'rke2-upgrade-without-pre-drain', severity: 'critical', node: 'harvester-01', subject: null },
    ]);
    const [f] = findings;
    expect(iso(f.firstSeen)).toBe('2025-06-14T09:36:41.502Z');
    expect(cited(f)).toEqual([
      `${agentLog('harvester-01')}:1`,
      `${agentLog('harvester-01')}:2`,
      `${serverLog('harvester-01')}:1`,
      `${kubeletLog('harvester-01')}:1`,
    ]);
    expect(f.fields).toMatchObject({ verdict: 'confirmed', nodeState: 'Images preloaded', preDrainFinishedAt: null });
    expect(f.message).toContain('RKE2 was upgraded on harvester-01 at 2025-06-14T09:36:41.502Z');
    expect(f.message).toContain('node state Images preloaded');
  });

  it('fires when the pre-drain completed only after the RKE2 restart', () => {
    const [f, ...rest] = runRule(rule, {
      facts,
      objects: [upgradeObject],
      members: rke2Upgrade('harvester-02', '09:41'),
      upgrade: story({
        nodes: [{ name: 'harvester-02', state: 'Succeeded', preDrainFinishedAt: stamp('2025-06-14T11:30:00Z', 'Job harvester-system/hvst-upgrade-x2hz8-pre-drain-harvester-02 completionTime') }],
      }),
    });
    expect(rest).toEqual([]);
    expect(f.node).toBe('harvester-02');
    expect(f.fields).toMatchObject({ preDrainFinishedAt: '2025-06-14T11:30:00.000Z', minutesBeforePreDrain: 108 });
    expect(f.message).toContain('108 min before its pre-drain Job completed at 2025-06-14T11:30:00.000Z');
    expect(f.evidence.map((e) => e.text)).toContain('Job harvester-system/hvst-upgrade-x2hz8-pre-drain-harvester-02 completionTime');
  });

  it('stays silent when the pre-drain completed before the RKE2 install', () => {
    const findings = runRule(rule, {
      facts,
      objects: [upgradeObject],
      members: rke2Upgrade('harvester-03', '11:50'),
      upgrade: story({ nodes: [{ name: 'harvester-03', state: 'Succeeded', preDrainFinishedAt: stamp('2025-06-14T11:42:10Z') }] }),
    });
    expect(findings).toEqual([]);
  });

  it('stays silent for an agent restart that reinstalls nothing and for restarts before the upgrade', () => {
    const findings = runRule(rule, {
      facts,
      objects: [upgradeObject],
      members: [
        { path: agentLog('harvester-01'), lines: [rke2Upgrade('harvester-01', '08:30')[0].lines[0]] },
        { path: serverLog('harvester-02'), lines: ['Jun 12 03:10:41.502811 harvester-02 systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...'] },
      ],
      upgrade: story({ nodes: [{ name: 'harvester-01', state: 'Images preloaded' }, { name: 'harvester-02', state: 'Images preloaded' }] }),
    });
    expect(findings).toEqual([]);
  });

  it('reads the restart from key events when the journal lines are not its own', () => {
    const stop: KeyEvent = {
      time: at('2025-06-14T09:41:07Z'),
      node: 'harvester-02',
      kind: 'rke2-stop',
      summary: 'rke2-server stopping',
      evidence: { file: serverLog('harvester-02'), line: 812, time: at('2025-06-14T09:41:07Z'), text: 'Jun 14 09:41:07.000000 harvester-02 systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...' },
    };
    const [f, ...rest] = runRule(rule, {
      facts,
      objects: [upgradeObject],
      keyEvents: [stop],
      upgrade: story({ nodes: [{ name: 'harvester-02', state: 'Images preloaded' }] }),
    });
    expect(rest).toEqual([]);
    expect(cited(f)).toEqual([`${serverLog('harvester-02')}:812`]);
    expect(iso(f.firstSeen)).toBe('2025-06-14T09:41:07.000Z');
  });

  it('stays silent on single-node upgrades, whose job stops the VMs itself', () => {
    const single = k8s('Upgrade', 'harvesterhci.io/v1beta1', 'harvester-system', 'hvst-upgrade-x2hz8', { status: { singleNode: 'harvester-01' } });
    const findings = runRule(rule, {
      facts: { ...facts, nodes: ['harvester-01'] },
      objects: [single],
      members: rke2Upgrade('harvester-01', '09:36'),
      upgrade: story({ nodes: [{ name: 'harvester-01', state: 'Waiting Reboot' }] }),
    });
    expect(findings).toEqual([]);
  });

  it('is inconclusive without objects, and silent when objects show no upgrade at all', () => {
    const noYamls = runRule(rule, { facts, members: rke2Upgrade('harvester-01', '09:36'), upgrade: null });
    expect(brief(noYamls)).toEqual([{ rule: 'rke2-upgrade-without-pre-drain', severity: 'medium', node: 'harvester-01', subject: null }]);
    expect(noYamls[0].fields.verdict).toBe('inconclusive');
    expect(noYamls[0].message).toContain('the bundle holds no yamls/');

    const installOnly = runRule(rule, { facts, members: [rke2Upgrade('harvester-02', '09:41')[0]], upgrade: null });
    expect(installOnly.map((f) => [f.node, iso(f.firstSeen)])).toEqual([['harvester-02', '2025-06-14T09:41:03.204Z']]);

    const readiness = runRule(rule, {
      facts,
      members: [...rke2Upgrade('harvester-01', '09:36'), { path: 'yamls/cluster/v1/nodes.yaml', lines: [] }],
      upgrade: null,
    });
    expect(readiness).toEqual([]);
  });
});
