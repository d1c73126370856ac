import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/correlate/timeline.js';
import type { Incident, KeyEvent, Stamp, UpgradeStory } from '../../src/correlate/types.js';
import type { EvidenceRef, Finding, Severity } from '../../src/rules/types.js';

const T = (hms: string): number => Date.parse(`2025-06-14T${hms}Z`);
const UPGRADES = 'yamls/namespaced/harvester-system/harvesterhci.io/v1beta1/upgrades.yaml';
const JOBS = 'yamls/namespaced/harvester-system/batch/v1/jobs.yaml';
const journal = (node: string, file: string): string => `nodes/${node}.zip!/${node}/logs/${file}`;

const ref = (file: string, line: number, time: number, text: string): EvidenceRef => ({ file, line, time, text });
const stamp = (time: number, file: string, line: number, text: string): Stamp => ({ time, source: ref(file, line, time, text) });

function event(node: string | null, kind: KeyEvent['kind'], time: number, file: string, line: number, summary: string): KeyEvent {
  return { time, node, kind, summary, evidence: ref(file, line, time, summary) };
}

function finding(ruleId: string, severity: Severity, node: string | null, subject: string | null, firstSeen: number | null, evidence: EvidenceRef[] = []): Finding {
  return {
    id: `${ruleId}:${node ?? '-'}:${subject ?? '-'}`,
    ruleId,
    severity,
    title: ruleId === 'vm-abrupt-shutdown' ? 'VM killed without a graceful shutdown' : ruleId,
    message: '',
    node,
    subject,
    firstSeen,
    lastSeen: firstSeen,
    count: 1,
    remediation: '',
    evidence,
    evidenceTotal: evidence.length,
    fields: {},
  };
}

const preDrainDone = stamp(T('10:05:40'), JOBS, 231, 'Job harvester-system/hvst-upgrade-x2hz8-pre-drain-harvester-03 completionTime 2025-06-14T10:05:40Z');

function upgrade(): UpgradeStory {
  return {
    name: 'hvst-upgrade-x2hz8',
    fromVersion: 'v1.4.2',
    toVersion: 'v1.5.0',
    state: 'Succeeded',
    startedAt: stamp(T('08:02:11'), UPGRADES, 12, 'creationTimestamp'),
    finishedAt: stamp(T('12:02:40'), UPGRADES, 40, 'condition Completed True'),
    durationSeconds: 14429,
    phases: [{ name: 'SystemServicesUpgraded', status: 'True', at: stamp(T('09:34:50'), UPGRADES, 36, 'condition SystemServicesUpgraded True') }],
    nodes: [
      {
        name: 'harvester-03', state: 'Succeeded', imagesPreloadedAt: null, preDrainStartedAt: null, preDrainFinishedAt: preDrainDone,
        rke2UpgradedAt: null, postDrainStartedAt: null, postDrainFinishedAt: null, rebootedAt: null, succeededAt: null,
      },
    ],
    startedBy: { versionObject: 'v1.5.0', upgradeCheckerDisabled: true },
  };
}

describe('buildTimeline', () => {
  it('merges key events, the upgrade story, findings and incidents into one ordered timeline with file:line', () => {
    const rke2Stop = event('harvester-02', 'rke2-stop', T('09:41:19'), journal('harvester-02', 'rke2-server.log'), 88211, 'rke2-server stopping');
    // The same Job completion as the story holds, as a key event (upgradeKeyEvents): shown once, with its own summary.
    const jobDone = event('harvester-03', 'job-complete', T('10:05:40'), JOBS, 231, 'pre-drain job of harvester-03 complete');
    const killed = finding('vm-abrupt-shutdown', 'high', 'harvester-02', 'default/db-01', T('09:41:33'), [
      ref('logs/default/virt-launcher-db-01-x7k2p/compute.log', 212, T('09:41:33'), 'Reaped pid 87 with status 9'),
    ]);
    const incident: Incident = {
      id: 'rke2-without-pre-drain-0123456789ab', title: 'RKE2 upgraded on harvester-02 at 09:41:07 without pre-drain', severity: 'critical',
      start: T('09:41:07'), end: T('09:41:33'), nodes: ['harvester-02'], findingIds: [killed.id], chain: [], verdict: 'confirmed', verdictReason: null,
    };
    const timeline = buildTimeline([killed], [jobDone, rke2Stop, jobDone], upgrade(), [incident]);
    expect(timeline).toEqual([
      { time: T('08:02:11'), node: null, kind: 'upgrade-phase', summary: 'Upgrade hvst-upgrade-x2hz8 started (v1.4.2 → v1.5.0)', findingId: null, file: UPGRADES, line: 12 },
      { time: T('09:34:50'), node: null, kind: 'upgrade-phase', summary: 'SystemServicesUpgraded: True', findingId: null, file: UPGRADES, line: 36 },
      { time: T('09:41:07'), node: 'harvester-02', kind: 'incident', summary: 'critical RKE2 upgraded on harvester-02 at 09:41:07 without pre-drain', findingId: null, file: null, line: null },
      { time: T('09:41:19'), node: 'harvester-02', kind: 'rke2-stop', summary: 'rke2-server stopping', findingId: null, file: journal('harvester-02', 'rke2-server.log'), line: 88211 },
      {
        time: T('09:41:33'), node: 'harvester-02', kind: 'vm-abrupt-shutdown', summary: 'high VM killed without a graceful shutdown: default/db-01',
        findingId: killed.id, file: 'logs/default/virt-launcher-db-01-x7k2p/compute.log', line: 212,
      },
      { time: T('10:05:40'), node: 'harvester-03', kind: 'job-complete', summary: 'pre-drain job of harvester-03 complete', findingId: null, file: JOBS, line: 231 },
      { time: T('12:02:40'), node: null, kind: 'upgrade-phase', summary: 'Upgrade hvst-upgrade-x2hz8 finished: Succeeded, 4 h 00 min', findingId: null, file: UPGRADES, line: 40 },
    ]);
  });

  it('skips findings without a time', () => {
    expect(buildTimeline([finding('collection-gap', 'low', null, 'yamls', null)], [], null, [])).toEqual([]);
  });

  it('folds the entries of one kind on one node beyond the cap into a "(+K more)" entry', () => {
    const kills = Array.from({ length: 25 }, (_, i) =>
      finding('vm-abrupt-shutdown', 'high', 'harvester-02', `default/db-${String(i + 1).padStart(2, '0')}`, T('09:41:33') + i * 1500),
    );
    const other = finding('vm-abrupt-shutdown', 'high', 'harvester-01', 'default/web-01', T('09:39:08'));
    const timeline = buildTimeline([...kills, other], [], null, [], { maxPerKindAndNode: 10 });
    const on02 = timeline.filter((e) => e.node === 'harvester-02');
    expect(on02).toHaveLength(11);
    expect(on02.slice(0, 10).map((e) => e.findingId)).toEqual(kills.slice(0, 10).map((f) => f.id));
    expect(on02[10]).toEqual({
      time: T('09:41:48'), node: 'harvester-02', kind: 'vm-abrupt-shutdown', summary: '(+15 more vm-abrupt-shutdown on harvester-02 until 09:42:09)',
      findingId: null, file: null, line: null,
    });
    expect(timeline.filter((e) => e.node === 'harvester-01')).toHaveLength(1);
  });

  it('keeps entries at the same instant as the last one kept together, folding only what comes after', () => {
    // Eviction retries of three pods logged in the same seconds (rancher's drain output).
    const evictions = Array.from({ length: 6 }, (_, i) =>
      event(null, 'drain', T('09:49:01') + Math.floor(i / 3) * 1000, 'logs/cattle-system/rancher-7d9c8b6f5-qk2lp/rancher.log', 45 + i, `evicting pod longhorn-system/pod-${i}`),
    );
    const timeline = buildTimeline([], evictions, null, [], { maxPerKindAndNode: 2 });
    expect(timeline.map((e) => [e.time, e.summary])).toEqual([
      [T('09:49:01'), 'evicting pod longhorn-system/pod-0'],
      [T('09:49:01'), 'evicting pod longhorn-system/pod-1'],
      [T('09:49:01'), 'evicting pod longhorn-system/pod-2'],
      [T('09:49:02'), '(+3 more drain)'],
    ]);
    expect(buildTimeline([], evictions.slice(0, 3), null, [], { maxPerKindAndNode: 2 })).toHaveLength(3);
  });

  it('never folds upgrade phases', () => {
    const story = upgrade();
    story.phases = Array.from({ length: 14 }, (_, i) => ({ name: `Phase${i}`, status: 'True', at: stamp(T('08:10:00') + i * 60_000, UPGRADES, 100 + i, `Phase${i}`) }));
    const phases = buildTimeline([], [], story, [], { maxPerKindAndNode: 3 }).filter((e) => e.kind === 'upgrade-phase');
    expect(phases).toHaveLength(16);
  });

  it('shows node-local times on the reference clock and says so', () => {
    const kubelet = event('harvester-02', 'kubelet-start', T('09:41:34'), journal('harvester-02', 'kubelet.log'), 310442, 'kubelet v1.32.3+rke2r1 started');
    const podLog = event('harvester-02', 'vm-stop', T('09:41:33'), 'logs/default/virt-launcher-db-01-x7k2p/compute.log', 212, 'VM default/db-01 stopped');
    const skews = [{ node: 'harvester-02', offsetMs: 4000, basis: 'median of 3 pairs' }];
    expect(buildTimeline([], [kubelet, podLog], null, [], { skews }).map((e) => [e.time, e.summary])).toEqual([
      [T('09:41:30'), 'kubelet v1.32.3+rke2r1 started [harvester-02 clock +4 s, corrected]'],
      [T('09:41:33'), 'VM default/db-01 stopped'],
    ]);
  });

  it('is the same for shuffled input', () => {
    const events = [
      event('harvester-01', 'reboot', T('11:58:00'), journal('harvester-01', 'kernel.log'), 1, 'harvester-01 booted'),
      event('harvester-01', 'rke2-start', T('11:58:00'), journal('harvester-01', 'rke2-server.log'), 9, 'rke2-server started'),
      event(null, 'upgrade-phase', T('11:58:00'), UPGRADES, 38, 'NodesUpgraded True'),
      event('harvester-02', 'drain', T('10:00:00'), 'logs/cattle-system/rancher-7d9c8b6f5-qk2lp/rancher.log', 1, 'evicting pod longhorn-system/instance-manager-d80e'),
    ];
    const findings = [finding('node-not-ready', 'medium', 'harvester-01', 'harvester-01', T('11:58:00')), finding('upgrade-stalled', 'high', 'harvester-02', 'Pre-drained', T('10:00:00'))];
    const expected = buildTimeline(findings, events, upgrade(), []);
    expect(buildTimeline([...findings].reverse(), [...events].reverse(), upgrade(), [])).toEqual(expected);
    expect(expected.map((e) => e.kind)).toEqual([
      // Same time: by node (cluster-wide entries last), then kind.
      'upgrade-phase', 'upgrade-phase', 'drain', 'upgrade-stalled', 'job-complete', 'node-not-ready', 'reboot', 'rke2-start', 'upgrade-phase', 'upgrade-phase',
    ]);
  });
});
