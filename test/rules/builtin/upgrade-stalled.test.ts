import { describe, expect, it } from 'vitest';
import { upgradeStalled as rule } from '../../../src/rules/builtin/upgrade-stalled.js';
import { runRule } from '../../../src/rules/testing/run-rule.js';
import { at, BUNDLE_CREATED, brief, cited, cri, iso, k8s, stamp, story } from './fixtures.js';

const facts = { createdAt: at(BUNDLE_CREATED), nodes: ['harvester-01', 'harvester-02', 'harvester-03'] };
const RANCHER = 'logs/cattle-system/rancher-7c9d8b6f5-2xkqz/rancher.log';
const MANIFESTS = 'logs/harvester-system/hvst-upgrade-x2hz8-apply-manifests-5chxg/apply.log';
const IM = 'instance-manager-5c1b9c3e8a0c4b27e1f8d6a2b9c0e4f1';
const PRE_DRAINED = stamp('2025-06-14T09:58:20Z', 'Job harvester-system/hvst-upgrade-x2hz8-pre-drain-harvester-02 completionTime 2025-06-14T09:58:20.000Z');
const evictionError = (t: string) =>
  cri(`${t.replace('Z', '')}.120000000Z`, `${t.slice(0, 19).replace('T', ' ').replace(/-/g, '/')} [INFO] error when evicting pods/"${IM}" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`);
const running = { state: 'UpgradingNodes', finishedAt: null };

describe('upgrade-stalled', () => {
  it('reports a node held in Pre-drained for hours, citing the latest refused eviction', () => {
    const findings = runRule(rule, {
      facts,
      upgrade: story({
        ...running,
        nodes: [
          { name: 'harvester-01', state: 'Succeeded', preDrainFinishedAt: stamp('2025-06-14T09:10:00Z'), succeededAt: stamp('2025-06-14T09:55:00Z') },
          { name: 'harvester-02', state: 'Pre-drained', preDrainStartedAt: stamp('2025-06-14T09:56:00Z'), preDrainFinishedAt: PRE_DRAINED },
          { name: 'harvester-03', state: 'Images preloaded' },
        ],
      }),
      members: [{ path: RANCHER, lines: [evictionError('2025-06-14T10:00:05Z'), evictionError('2025-06-14T13:04:55Z')] }],
    });
    expect(brief(findings)).toEqual([{ rule: 'upgrade-stalled', severity: 'high', node: 'harvester-02', subject: 'harvester-system/hvst-upgrade-x2hz8' }]);
    const [f] = findings;
    expect(iso(f.firstSeen)).toBe('2025-06-14T09:58:20.000Z');
    expect(f.fields).toMatchObject({ nodeState: 'Pre-drained', heldMinutes: 187 });
    expect(f.message).toContain('node harvester-02 was in state Pre-drained for 3 h 07 min (since 2025-06-14T09:58:20.000Z, normal is under 60 min)');
    expect(f.message).toContain(
      `latest sign at 2025-06-14T13:04:55.120Z (seen 2 times): error when evicting pods/"${IM}" -n "longhorn-system" (will retry after 5s)`,
    );
    expect(cited(f)).toEqual(['yamls/namespaced/harvester-system/batch/v1/jobs.yaml:7', `${RANCHER}:2`]);
  });

  it('reports a phase held too long with what the apply-manifests job was waiting for', () => {
    const [f, ...rest] = runRule(rule, {
      facts,
      upgrade: story({
        state: 'UpgradingSystemServices',
        finishedAt: null,
        phases: [{ name: 'NodesPrepared', status: 'True', at: stamp('2025-06-14T09:00:00Z', 'Upgrade condition NodesPrepared') }],
      }),
      members: [{ path: MANIFESTS, lines: [cri('2025-06-14T13:01:12.000000001Z', 'Wait for Rancher to be upgraded...')] }],
    });
    expect(rest).toEqual([]);
    expect(f.node).toBeNull();
    expect(f.message).toBe(
      'Upgrade hvst-upgrade-x2hz8 was in phase UpgradingSystemServices for 4 h 05 min (since 2025-06-14T09:00:00.000Z, normal is under 90 min) ' +
        'when the bundle was collected; latest sign at 2025-06-14T13:01:12.000Z: Wait for Rancher to be upgraded....',
    );
  });

  it('reports a failed upgrade and the node that failed it', () => {
    const upgrade = k8s('Upgrade', 'harvesterhci.io/v1beta1', 'harvester-system', 'hvst-upgrade-x2hz8', {
      status: { nodeStatuses: { 'harvester-03': { state: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' } } },
    });
    const findings = runRule(rule, {
      facts,
      objects: [upgrade],
      upgrade: story({ state: 'Failed', nodes: [{ name: 'harvester-03', state: 'Failed' }] }),
    });
    expect(brief(findings)).toEqual([
      { rule: 'upgrade-stalled', severity: 'high', node: 'harvester-03', subject: 'harvester-system/hvst-upgrade-x2hz8' },
      { rule: 'upgrade-stalled', severity: 'high', node: null, subject: 'harvester-system/hvst-upgrade-x2hz8' },
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Upgrade hvst-upgrade-x2hz8: node harvester-03 failed: BackoffLimitExceeded: Job has reached the specified backoff limit.',
      'Upgrade hvst-upgrade-x2hz8 failed on harvester-03.',
    ]);
  });

  it('stays silent for a step within its normal time, and for a finished upgrade whatever its history', () => {
    const busy = runRule(rule, {
      facts,
      upgrade: story({ ...running, nodes: [{ name: 'harvester-02', state: 'Pre-draining', preDrainStartedAt: stamp('2025-06-14T12:40:00Z') }] }),
    });
    expect(busy).toEqual([]);
    const done = runRule(rule, {
      facts,
      upgrade: story({
        nodes: [{ name: 'harvester-03', state: 'Succeeded', preDrainFinishedAt: stamp('2025-06-14T10:40:00Z'), postDrainStartedAt: stamp('2025-06-14T12:00:00Z') }],
      }),
    });
    expect(done).toEqual([]);
  });
});
