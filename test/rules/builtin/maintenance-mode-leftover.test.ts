import { describe, expect, it } from 'vitest';
import { maintenanceModeLeftover as rule } from '../../../src/rules/builtin/maintenance-mode-leftover.js';
import { runRule } from '../../../src/rules/testing/run-rule.js';
import { at, BUNDLE_CREATED, brief, cited, cri, iso, k8s, node, story } from './fixtures.js';

const facts = { createdAt: at(BUNDLE_CREATED), nodes: ['harvester-01', 'harvester-02', 'harvester-03'] };
const HARVESTER_LOG = 'logs/harvester-system/harvester-5d9f8c7b6-k2x9q/apiserver.log';
const leftover = node('harvester-02', { metadata: { annotations: { 'harvesterhci.io/maintain-status': 'completed' } } });
const inMaintenance = node('harvester-03', {
  metadata: { annotations: { 'harvesterhci.io/maintain-status': 'running', 'harvesterhci.io/drain-requested': 'true' } },
  spec: { unschedulable: true, taints: [{ key: 'kubevirt.io/drain', value: 'draining', effect: 'NoSchedule' }] },
});
const clean = node('harvester-01');
const stoppedVm = k8s('VirtualMachine', 'kubevirt.io/v1', 'default', 'batch-02', {
  metadata: { annotations: { 'harvesterhci.io/maintain-mode-strategy-node-name': 'harvester-02' } },
});
const maintenanceLines = {
  path: HARVESTER_LOG,
  lines: [
    cri('2025-06-10T14:05:51.337019412Z', 'time="2025-06-10T14:05:51Z" level=info msg="attempting to place node in maintenance mode" node_name=harvester-02'),
    cri('2025-06-12T09:00:02.118000000Z', 'time="2025-06-12T09:00:02Z" level=info msg="attempting to place node in maintenance mode" node_name=harvester-01'),
  ],
};

describe('maintenance-mode-leftover', () => {
  it('reports a node still carrying maintenance state after the upgrade, since the maintenance began', () => {
    const findings = runRule(rule, { facts, upgrade: story(), objects: [clean, leftover, stoppedVm], members: [maintenanceLines] });
    expect(brief(findings)).toEqual([{ rule: 'maintenance-mode-leftover', severity: 'high', node: 'harvester-02', subject: null }]);
    const [f] = findings;
    expect(f.message).toBe(
      'Node harvester-02 still carried harvesterhci.io/maintain-status=completed after the upgrade ended (maintenance mode entered 2025-06-10T14:05:51.337Z).',
    );
    expect(iso(f.firstSeen)).toBe('2025-06-10T14:05:51.337Z');
    expect(cited(f)).toContain(`${HARVESTER_LOG}:1`);
    expect(f.evidence.map((e) => e.text)).toContain('VirtualMachine default/batch-02: harvesterhci.io/maintain-mode-strategy-node-name=harvester-02');
    expect(f.fields).toMatchObject({ maintainStatus: 'completed', unschedulable: false, vmsStoppedByMaintenance: 1 });
  });

  it('while an upgrade runs, reports maintenance annotations but not the upgrade\'s own cordon and taint', () => {
    const draining = node('harvester-01', {
      spec: { unschedulable: true, taints: [{ key: 'kubevirt.io/drain', value: 'draining', effect: 'NoSchedule' }] },
    });
    const findings = runRule(rule, {
      facts,
      upgrade: story({ state: 'UpgradingNodes', finishedAt: null }),
      objects: [draining, leftover],
    });
    expect(brief(findings)).toEqual([{ rule: 'maintenance-mode-leftover', severity: 'high', node: 'harvester-02', subject: null }]);
    expect(findings[0].message).toContain('while the upgrade ran');
  });

  it('before an upgrade, reports an active planned maintenance at low and a stale annotation at high', () => {
    const findings = runRule(rule, { facts, upgrade: null, objects: [clean, leftover, inMaintenance] });
    expect(brief(findings)).toEqual([
      { rule: 'maintenance-mode-leftover', severity: 'high', node: 'harvester-02', subject: null },
      { rule: 'maintenance-mode-leftover', severity: 'low', node: 'harvester-03', subject: null },
    ]);
    expect(findings[0].message).toContain('although it is schedulable');
    expect(findings[1].message).toContain('the upgrade webhook will refuse to start');
  });

  it('stays silent when a planned maintenance was cleaned up, whatever its log lines say', () => {
    const findings = runRule(rule, { facts, upgrade: story(), objects: [clean, node('harvester-02'), node('harvester-03')], members: [maintenanceLines] });
    expect(findings).toEqual([]);
  });
});
