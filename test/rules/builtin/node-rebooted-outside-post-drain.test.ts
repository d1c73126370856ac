import { describe, expect, it } from 'vitest';
import type { KeyEvent } from '../../../src/correlate/types.js';
import { nodeRebootedOutsidePostDrain as rule } from '../../../src/rules/builtin/node-rebooted-outside-post-drain.js';
import { runRule } from '../../../src/rules/testing/run-rule.js';
import { at, BUNDLE_CREATED, brief, cited, iso, k8s, stamp, story } from './fixtures.js';

const facts = { createdAt: at(BUNDLE_CREATED), nodes: ['harvester-01', 'harvester-02', 'harvester-03'] };
const reboot = (node: string, isoTime: string, file: string, line: number): KeyEvent => ({
  time: at(isoTime),
  node,
  kind: 'reboot',
  summary: 'node booted (kernel 5.14.21-150500.55.83-default)',
  evidence: { file: `nodes/${node}.zip!/${node}/logs/${file}`, line, time: at(isoTime), text: `${isoTime} ${node} kernel: Linux version 5.14.21-150500.55.83-default` },
});

describe('node-rebooted-outside-post-drain', () => {
  it('reports a boot during the upgrade before the node\'s post-drain, once per reboot seen in several journals', () => {
    const findings = runRule(rule, {
      facts,
      upgrade: story({
        nodes: [
          { name: 'harvester-02', state: 'Succeeded', postDrainStartedAt: stamp('2025-06-14T11:40:00Z') },
          { name: 'harvester-03', state: 'Succeeded', postDrainStartedAt: stamp('2025-06-14T12:00:00Z') },
        ],
      }),
      keyEvents: [
        reboot('harvester-02', '2025-06-14T09:20:31Z', 'kernel.log.1', 1),
        reboot('harvester-02', '2025-06-14T09:20:44Z', 'rke2-server.log', 2201),
        reboot('harvester-02', '2025-06-14T11:52:10Z', 'kernel.log', 1),
        reboot('harvester-03', '2025-06-14T12:03:05Z', 'kernel.log', 1),
      ],
    });
    expect(brief(findings)).toEqual([{ rule: 'node-rebooted-outside-post-drain', severity: 'medium', node: 'harvester-02', subject: null }]);
    const [f] = findings;
    expect(f.count).toBe(1);
    expect(iso(f.firstSeen)).toBe('2025-06-14T09:20:31.000Z');
    expect(cited(f)).toEqual([
      'nodes/harvester-02.zip!/harvester-02/logs/kernel.log.1:1',
      'nodes/harvester-02.zip!/harvester-02/logs/rke2-server.log:2201',
      'yamls/namespaced/harvester-system/batch/v1/jobs.yaml:7',
    ]);
    expect(f.message).toBe('Node harvester-02 rebooted at 2025-06-14T09:20:31.000Z during the upgrade, before its post-drain started (2025-06-14T11:40:00.000Z).');
  });

  it('stays silent for boots outside the window, without an upgrade and on single-node upgrades', () => {
    const early = [reboot('harvester-01', '2025-06-13T22:00:00Z', 'kernel.log.1', 1)];
    expect(runRule(rule, { facts, upgrade: story({ nodes: [{ name: 'harvester-01' }] }), keyEvents: early })).toEqual([]);
    expect(runRule(rule, { facts, upgrade: null, keyEvents: [reboot('harvester-01', '2025-06-14T09:00:00Z', 'kernel.log', 1)] })).toEqual([]);
    const single = k8s('Upgrade', 'harvesterhci.io/v1beta1', 'harvester-system', 'hvst-upgrade-x2hz8', { status: { singleNode: 'harvester-01' } });
    expect(
      runRule(rule, { facts, objects: [single], upgrade: story({ nodes: [{ name: 'harvester-01' }] }), keyEvents: [reboot('harvester-01', '2025-06-14T09:00:00Z', 'kernel.log', 1)] }),
    ).toEqual([]);
  });
});
