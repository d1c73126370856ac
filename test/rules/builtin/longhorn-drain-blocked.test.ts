import { describe, expect, it } from 'vitest';
import { longhornDrainBlocked as rule } from '../../../src/rules/builtin/longhorn-drain-blocked.js';
import { runRule } from '../../../src/rules/testing/run-rule.js';
import { at, BUNDLE_CREATED, brief, cited, cri, iso, k8s, story } from './fixtures.js';

const RANCHER = 'logs/cattle-system/rancher-7c9d8b6f5-2xkqz/rancher.log';
const MANAGER = 'logs/longhorn-system/longhorn-manager-b7k2q/longhorn-manager.log';
const IM = 'instance-manager-5c1b9c3e8a0c4b27e1f8d6a2b9c0e4f1';
const facts = { createdAt: at(BUNDLE_CREATED), nodes: ['harvester-01', 'harvester-02', 'harvester-03'] };

const nano = (ms: number) => new Date(ms).toISOString().replace('Z', '000000Z');
const rancherClock = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/');

/** The drain helper's eviction loop as the rancher pod prints it: a refused eviction every 5 s from `from` to `to`. */
const evictionLoop = (from: string, to: string): string[] => {
  const lines: string[] = [];
  for (let t = at(from); t <= at(to); t += 5_000) {
    lines.push(cri(nano(t), `${rancherClock(t)} [INFO] evicting pod longhorn-system/${IM}`));
    lines.push(
      cri(
        nano(t + 120),
        `${rancherClock(t)} [INFO] error when evicting pods/"${IM}" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`,
      ),
    );
  }
  return lines;
};
const pdbBlocked = (t: string) =>
  cri(
    `${t.replace('Z', '')}.009312443Z`,
    `time="${t}" level=info msg="Node ${IM} is marked unschedulable but removing harvester-03 PDB is blocked: some volumes are still attached InstanceEngines count 1 pvc-9ae0e9a5-a630-4f0c-98cc-b14893c74f9e-e-0 " func="controller.(*InstanceManagerController).syncInstanceManagerPDB" file="instance_manager_controller.go:823" controller=longhorn-instance-manager node=harvester-03`,
  );
const pdbRemoved = (t: string) =>
  cri(
    `${t.replace('Z', '')}.101010101Z`,
    `time="${t}" level=info msg="Removing ${IM} PDB since Node harvester-03 is marked unschedulable" func="controller.(*InstanceManagerController).syncInstanceManagerPDB" file="instance_manager_controller.go:801" controller=longhorn-instance-manager node=harvester-03`,
  );
const imObject = k8s('InstanceManager', 'longhorn.io/v1beta2', 'longhorn-system', IM, { spec: { nodeID: 'harvester-03' } });

describe('longhorn-drain-blocked', () => {
  it('reports a 75-minute block with its start, end and reason', () => {
    const rancherLines = evictionLoop('2025-06-14T11:08:35Z', '2025-06-14T12:23:30Z');
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [imObject],
      members: [
        { path: RANCHER, lines: rancherLines },
        { path: MANAGER, lines: [pdbBlocked('2025-06-14T11:08:41Z'), pdbBlocked('2025-06-14T12:23:11Z'), pdbRemoved('2025-06-14T12:23:41Z')] },
      ],
    });
    expect(brief(findings)).toEqual([
      { rule: 'longhorn-drain-blocked', severity: 'high', node: 'harvester-03', subject: `longhorn-system/${IM}` },
    ]);
    const [f] = findings;
    expect(iso(f.firstSeen)).toBe('2025-06-14T11:08:35.120Z');
    expect(iso(f.lastSeen)).toBe('2025-06-14T12:23:41.101Z');
    expect(f.fields).toMatchObject({ durationMinutes: 75, evictionErrors: 900, stillBlockedAtCollection: false, blockedUntil: '2025-06-14T12:23:41.101Z' });
    expect(f.message).toBe(
      `Drain of harvester-03 was blocked by the Longhorn instance-manager PDB ${IM} for 75 min ` +
        '(2025-06-14T11:08:35.120Z – 2025-06-14T12:23:41.101Z): some volumes are still attached InstanceEngines count 1 pvc-9ae0e9a5-a630-4f0c-98cc-b14893c74f9e-e-0.',
    );
    expect(cited(f)).toEqual([`${RANCHER}:2`, `${MANAGER}:1`, `${RANCHER}:${rancherLines.length}`, `${MANAGER}:3`]);
  });

  it('says when the block was still going on at collection', () => {
    const [f] = runRule(rule, {
      facts,
      upgrade: story({ state: 'UpgradingNodes', finishedAt: null }),
      objects: [imObject, k8s('PodDisruptionBudget', 'policy/v1', 'longhorn-system', IM, { spec: { minAvailable: 1 } })],
      members: [{ path: RANCHER, lines: evictionLoop('2025-06-14T10:05:00Z', '2025-06-14T13:03:00Z') }],
    });
    expect(f.fields.stillBlockedAtCollection).toBe(true);
    expect(f.message).toContain(', still blocked when the bundle was collected: the PDB still protected engines or replicas on the node.');
  });

  it('stays silent for a PDB that clears within seconds', () => {
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [imObject],
      members: [
        { path: RANCHER, lines: evictionLoop('2025-06-14T10:40:00Z', '2025-06-14T10:40:20Z') },
        { path: MANAGER, lines: [pdbBlocked('2025-06-14T10:40:03Z'), pdbRemoved('2025-06-14T10:40:24Z')] },
      ],
    });
    expect(findings).toEqual([]);
  });
});
