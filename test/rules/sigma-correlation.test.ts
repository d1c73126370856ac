import { describe, expect, it } from 'vitest';
import { APPLY_MANIFESTS, cited, cri, journal, loadRule, run } from './sigma-helpers.js';

// Base rules over real line formats: the pre-drain job's last wait line names its node (upgrade-mechanics.md §5), the
// system-agent installer extraction marks an RKE2 install (§4.4), the rke2-server stop sequence (real-log-samples.md E27),
// the apply-manifests instance-manager retry loop (E25).
const BASES = `
title: Pre-drain finished
id: pre-drain-finished
description: The pre-drain job saw every VM of its node migrated or shut down.
level: informational
logsource:
  component: pre-drain
detection:
  done:
    message|re: '^all VMs on node (?<target>\\S+) have been live-migrated or shutdown$'
  condition: done
node: '{{target}}'
---
title: RKE2 installer extracted
id: rke2-installer-extracted
description: rancher-system-agent extracted the RKE2 installer image.
level: informational
logsource:
  component: rancher-system-agent
detection:
  extract:
    message|re: '^\\[Applyinator\\] Extracting image rancher/system-agent-installer-rke2:(?<version>\\S+)'
  condition: extract
fields: [version]
---
title: rke2-server stopping
id: rke2-server-stopping
description: systemd stops rke2-server.
level: informational
logsource:
  component: rke2-server
detection:
  stop:
    message|startswith: 'Stopping Rancher Kubernetes Engine v2'
  condition: stop
---
title: rke2 shutting down workers
id: rke2-shutting-down
description: rke2 shuts its controllers down.
level: informational
logsource:
  component: rke2-server
detection:
  shutdown:
    message|contains: 'Shutting down /v1, Kind=Node workers'
  condition: shutdown
---
title: instance-manager retry
id: im-retry
description: apply-manifests waits for one instance-manager per node.
level: informational
logsource:
  component: apply-manifests
detection:
  retry:
    message|re: '^instance-manager.* count is not 1 on node (?<target>\\S+), will retry\\.\\.\\.$'
  condition: retry
node: '{{target}}'
`;

const correlation = (body: string, extra = '') =>
  loadRule(`${BASES}---\ntitle: Correlated\nid: correlated\ndescription: For tests.\nlevel: high\n${extra}\ncorrelation:\n${body}\n`, 'correlated');

const PRE_DRAIN = (node: string) => `logs/harvester-system/hvst-upgrade-bcq9d-pre-drain-${node}-x7k2p/apply.log`;
const preDrainDone = (iso: string, node: string) => cri(iso, `all VMs on node ${node} have been live-migrated or shutdown`);
const agent = (node: string) => journal(node, 'rancher-system-agent');
const extracted = (month: string, time: string, node: string) =>
  `${month} ${time}.000001 ${node} rancher-system-agent[6473]: time="2025-07-03T${time}Z" level=info msg="[Applyinator] Extracting image rancher/system-agent-installer-rke2:v1.32.3-rke2r1"`;

describe('correlation: absence (B with no A before it in the span, same group)', () => {
  const rule = () =>
    correlation(
      `  type: absence\n  rules: [pre-drain-finished, rke2-installer-extracted]\n  group-by: [node]\n  timespan: 2h`,
      "message: 'RKE2 {{version}} installed on {{node}} with no pre-drain in the {{timespan}} before ({{verdict}})'",
    );

  it('fires for the node whose RKE2 install had no pre-drain, and stays silent for the node that had one', () => {
    const findings = run(rule(), [
      { path: PRE_DRAIN('harvester-01'), lines: [preDrainDone('2025-07-03T10:00:00.000Z', 'harvester-01')] },
      { path: agent('harvester-01'), lines: [extracted('Jul 03', '10:05:00', 'harvester-01')] },
      { path: agent('harvester-02'), lines: [extracted('Jul 03', '10:06:00', 'harvester-02')] },
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'correlated',
      severity: 'high',
      node: 'harvester-02',
      message: 'RKE2 v1.32.3-rke2r1 installed on harvester-02 with no pre-drain in the 2h before (confirmed)',
      firstSeen: Date.UTC(2025, 6, 3, 10, 6),
      fields: { version: 'v1.32.3-rke2r1', timespan: '2h', verdict: 'confirmed' },
    });
    expect(cited(findings[0])).toEqual([`${agent('harvester-02')}:1`]);
  });

  it('a pre-drain after the install, too long before it, or of another node does not count', () => {
    const findings = run(rule(), [
      { path: PRE_DRAIN('harvester-01'), lines: [preDrainDone('2025-07-03T10:30:00.000Z', 'harvester-01')] }, // after
      { path: PRE_DRAIN('harvester-02'), lines: [preDrainDone('2025-07-03T07:00:00.000Z', 'harvester-02')] }, // 3h before
      { path: PRE_DRAIN('harvester-03'), lines: [preDrainDone('2025-07-03T09:59:00.000Z', 'harvester-03')] }, // other node
      { path: agent('harvester-01'), lines: [extracted('Jul 03', '10:05:00', 'harvester-01')] },
      { path: agent('harvester-02'), lines: [extracted('Jul 03', '10:06:00', 'harvester-02')] },
      { path: agent('harvester-04'), lines: [extracted('Jul 03', '10:07:00', 'harvester-04')] },
    ]);
    expect(findings.map((f) => f.node)).toEqual(['harvester-01', 'harvester-02', 'harvester-04']);
  });

  it('says inconclusive when the bundle holds no member the precursor could have been logged in', () => {
    const [finding] = run(rule(), [{ path: agent('harvester-02'), lines: [extracted('Jul 03', '10:06:00', 'harvester-02')] }]);
    expect(finding.fields.verdict).toBe('inconclusive');
    expect(finding.message).toMatch(/\(inconclusive\)$/);
  });
});

describe('correlation: temporal_ordered (A then B within the span, same group)', () => {
  const rule = () =>
    correlation(`  type: temporal_ordered\n  rules: [rke2-server-stopping, rke2-shutting-down]\n  group-by: [node]\n  timespan: 30s`);
  const stop = (time: string, host: string) => `Mar 03 ${time}.101010 ${host} systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...`;
  const shutdown = (time: string, host: string) =>
    `Mar 03 ${time}.202020 ${host} rke2[1284524]: time="2025-03-03T${time}Z" level=info msg="Shutting down /v1, Kind=Node workers"`;

  it('fires on the sequence and cites both lines', () => {
    const path = journal('bat05', 'rke2-server');
    const [finding, ...others] = run(rule(), [{ path, lines: [stop('19:33:30', 'bat05'), shutdown('19:33:30', 'bat05')] }]);
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ node: 'bat05', count: 1, firstSeen: Date.UTC(2025, 2, 3, 19, 33, 30, 202) });
    expect(cited(finding)).toEqual([`${path}:1`, `${path}:2`]);
  });

  it('stays silent when B comes first, when the span is exceeded, or when A and B are on different nodes', () => {
    const reversed = run(rule(), [{ path: journal('bat05', 'rke2-server'), lines: [shutdown('19:33:00', 'bat05'), stop('19:33:30', 'bat05')] }]);
    const tooLate = run(rule(), [{ path: journal('bat05', 'rke2-server'), lines: [stop('19:33:00', 'bat05'), shutdown('19:34:00', 'bat05')] }]);
    const split = run(rule(), [
      { path: journal('bat05', 'rke2-server'), lines: [stop('19:33:30', 'bat05')] },
      { path: journal('bat06', 'rke2-server'), lines: [shutdown('19:33:31', 'bat06')] },
    ]);
    expect([reversed, tooLate, split]).toEqual([[], [], []]);
  });
});

describe('correlation: event_count (at least N in one span)', () => {
  const retry = (iso: string, node: string) =>
    cri(iso, `instance-manager (aio)(v1) (image=longhornio/longhorn-instance-manager:v1.8.1) count is not 1 on node ${node}, will retry...`);
  const rule = () =>
    correlation(
      `  type: event_count\n  rules: [im-retry]\n  group-by: [node]\n  timespan: 20s\n  condition:\n    gte: 4`,
      "message: '{{count}} retries within {{timespan}} on {{node}}'",
    );

  it('fires for the node with a dense run of retries, citing the lines inside qualifying windows', () => {
    const lines = [
      retry('2025-07-03T10:00:00.000Z', 'harvester-01'), // 1: alone, 60 s before the run
      retry('2025-07-03T10:01:00.000Z', 'harvester-01'), // 2
      retry('2025-07-03T10:01:05.000Z', 'harvester-01'), // 3
      retry('2025-07-03T10:01:10.000Z', 'harvester-02'), // 4: another node
      retry('2025-07-03T10:01:10.000Z', 'harvester-01'), // 5
      retry('2025-07-03T10:01:15.000Z', 'harvester-01'), // 6
      retry('2025-07-03T10:01:20.000Z', 'harvester-01'), // 7: five within 20 s
      retry('2025-07-03T10:05:00.000Z', 'harvester-02'), // 8
    ];
    const findings = run(rule(), [{ path: APPLY_MANIFESTS, lines }]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ node: 'harvester-01', message: '5 retries within 20s on harvester-01', count: 5, evidenceTotal: 5 });
    expect(findings[0].fields).toMatchObject({ count: 5, timespan: '20s', target: 'harvester-01' });
    expect(findings[0].evidence.map((ref) => ref.line)).toEqual([2, 3, 5, 6, 7]);
  });

  it('stays silent below the threshold and when the retries are spread out', () => {
    const sparse = ['10:00:00', '10:00:30', '10:01:00', '10:01:30', '10:02:00', '10:02:30'].map((t) => retry(`2025-07-03T${t}.000Z`, 'harvester-01'));
    const few = ['10:00:00', '10:00:01', '10:00:02'].map((t) => retry(`2025-07-03T${t}.000Z`, 'harvester-01'));
    expect(run(rule(), [{ path: APPLY_MANIFESTS, lines: sparse }])).toEqual([]);
    expect(run(rule(), [{ path: APPLY_MANIFESTS, lines: few }])).toEqual([]);
  });

  it('gt is strict', () => {
    const strict = correlation(`  type: event_count\n  rules: [im-retry]\n  timespan: 1m\n  condition:\n    gt: 3`);
    const lines = ['10:00:00', '10:00:01', '10:00:02'].map((t) => retry(`2025-07-03T${t}.000Z`, 'harvester-01'));
    expect(run(strict, [{ path: APPLY_MANIFESTS, lines }])).toEqual([]);
    expect(run(strict, [{ path: APPLY_MANIFESTS, lines: [...lines, retry('2025-07-03T10:00:03.000Z', 'harvester-01')] }])).toHaveLength(1);
  });
});

describe('correlation rules as modules', () => {
  it('use the literals of their base rules', () => {
    const rule = correlation(`  type: temporal_ordered\n  rules: [rke2-server-stopping, rke2-shutting-down]\n  timespan: 1m`);
    expect(rule.literals).toEqual(['Stopping Rancher Kubernetes Engine v2', 'Shutting down /v1, Kind=Node workers']);
    expect(rule.meta.sources).toEqual(['rke2-server']);
  });
});
