import { describe, expect, it } from 'vitest';
import { longhornVolumeUnhealthy as rule } from '../../../src/rules/builtin/longhorn-volume-unhealthy.js';
import { runRule } from '../../../src/rules/testing/run-rule.js';
import { at, BUNDLE_CREATED, brief, cited, cri, event, iso, k8s, story } from './fixtures.js';

const facts = { createdAt: at(BUNDLE_CREATED), nodes: ['harvester-01', 'harvester-02', 'harvester-03'] };
const PVC = 'pvc-2d047b5c-cc51-4775-8a22-0eadc9d9656f';
const volume = (name: string, robustness: string, state = 'attached', node = 'harvester-01') =>
  k8s('Volume', 'longhorn.io/v1beta2', 'longhorn-system', name, { status: { robustness, state, currentNodeID: node } }, 'yamls/namespaced/longhorn-system/longhorn.io/v1beta2/volumes.yaml');
const became = (name: string, health: 'degraded' | 'healthy', t: string) =>
  event('longhorn-system', `${name}.${health}`, {
    reason: health === 'degraded' ? 'Degraded' : 'Healthy',
    message: `volume ${name} became ${health}`,
    involved: { kind: 'Volume', namespace: 'longhorn-system', name },
    first: t,
  });
const PRE_DRAIN = 'logs/harvester-system/hvst-upgrade-x2hz8-pre-drain-harvester-02-9xk2w/apply.log';
const waiting = (t: string) => [
  cri(`${t}.554120981Z`, `+ echo 'Waiting for volume ${PVC} to be healthy...'`),
  cri(`${t}.554230112Z`, `Waiting for volume ${PVC} to be healthy...`),
  cri(`${t}.554300001Z`, '+ sleep 10'),
];

describe('longhorn-volume-unhealthy', () => {
  it('reports a degraded volume that recovered, when and for how long, on the node whose pre-drain waited', () => {
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [volume(PVC, 'healthy'), became(PVC, 'degraded', '2025-06-14T12:25:10Z'), became(PVC, 'healthy', '2025-06-14T12:56:40Z')],
      members: [{ path: PRE_DRAIN, lines: [...waiting('2025-06-14T12:31:07'), ...waiting('2025-06-14T12:31:17')] }],
    });
    expect(brief(findings)).toEqual([{ rule: 'longhorn-volume-unhealthy', severity: 'medium', node: 'harvester-02', subject: PVC }]);
    const [f] = findings;
    expect(f.message).toBe(`Longhorn volume ${PVC} was degraded from 2025-06-14T12:25:10.000Z until it recovered at 2025-06-14T12:56:40.000Z (32 min).`);
    expect(f.fields).toMatchObject({ recovered: true, durationMinutes: 32, robustnessAtCollection: 'healthy' });
    expect(iso(f.firstSeen)).toBe('2025-06-14T12:25:10.000Z');
    expect(iso(f.lastSeen)).toBe('2025-06-14T12:56:40.000Z');
    expect(cited(f)).toContain(`${PRE_DRAIN}:5`);
    expect(cited(f)).not.toContain(`${PRE_DRAIN}:4`);
  });

  it('reports a volume still degraded at collection, and in readiness terms when no upgrade runs', () => {
    const during = runRule(rule, { facts, upgrade: story({ state: 'UpgradingNodes', finishedAt: null }), objects: [volume(PVC, 'degraded'), became(PVC, 'degraded', '2025-06-14T10:02:00Z')] });
    expect(during[0].message).toBe(`Longhorn volume ${PVC} became degraded at 2025-06-14T10:02:00.000Z and was still degraded when the bundle was collected.`);
    expect(during[0].fields.recovered).toBe(false);

    const relapse = runRule(rule, {
      facts,
      upgrade: story({ state: 'UpgradingNodes', finishedAt: null }),
      objects: [
        k8s('Volume', 'longhorn.io/v1beta2', 'longhorn-system', PVC, { status: { robustness: 'degraded', state: 'attached', lastDegradedAt: '2025-06-14T09:51:21Z' } }),
        became(PVC, 'degraded', '2025-06-14T09:39:30Z'),
        became(PVC, 'healthy', '2025-06-14T09:57:50Z'),
      ],
    });
    expect(relapse.map((f) => [f.severity, iso(f.firstSeen), f.message])).toEqual([
      ['medium', '2025-06-14T09:51:21.000Z', `Longhorn volume ${PVC} became degraded at 2025-06-14T09:51:21.000Z and was still degraded when the bundle was collected.`],
    ]);

    const before = runRule(rule, { facts, upgrade: null, objects: [volume(PVC, 'faulted', 'detached')] });
    expect(brief(before)).toEqual([{ rule: 'longhorn-volume-unhealthy', severity: 'medium', node: null, subject: PVC }]);
    expect(before[0].message).toContain('is faulted: the upgrade webhook refuses to start with degraded volumes');
  });

  it('reads the end of a wait from the pre-drain log when no event is left, even without times', () => {
    const ARCHIVE = 'logs/harvester-system.hvst-upgrade-x2hz8-pre-drain-harvester-01-5vbjm.apply.20250614.log.gz';
    const [f, ...rest] = runRule(rule, {
      facts,
      upgrade: null,
      members: [
        {
          path: ARCHIVE,
          lines: [
            `+ echo 'Waiting for volume ${PVC} to be healthy...'`,
            `Waiting for volume ${PVC} to be healthy...`,
            '+ sleep 10',
            `+ echo 'Volume ${PVC} is healthy.'`,
            `Volume ${PVC} is healthy.`,
          ],
        },
      ],
    });
    expect(rest).toEqual([]);
    expect([f.node, f.fields.recovered, cited(f)]).toEqual(['harvester-01', true, [`${ARCHIVE}:2`, `${ARCHIVE}:5`]]);
    expect(f.message).toBe(`Longhorn volume ${PVC} was degraded from an unknown time until it recovered at an unknown time.`);
  });

  it('reports only the lasting stretch of a volume degraded twice', () => {
    const [f, ...rest] = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [
        volume(PVC, 'healthy'),
        became(PVC, 'degraded', '2025-06-14T11:07:26Z'),
        became(PVC, 'healthy', '2025-06-14T11:38:20Z'),
        became(PVC, 'degraded', '2025-06-14T12:13:40Z'),
        became(PVC, 'healthy', '2025-06-14T12:31:00Z'),
      ],
    });
    expect(rest).toEqual([]);
    expect(f.count).toBe(1);
    expect(f.message).toBe(`Longhorn volume ${PVC} was degraded from 2025-06-14T11:07:26.000Z until it recovered at 2025-06-14T11:38:20.000Z (31 min).`);
  });

  it('stays silent for a rebuild within the replenishment wait and for healthy and detached volumes', () => {
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [
        volume('pvc-quick', 'healthy'),
        became('pvc-quick', 'degraded', '2025-06-14T10:40:00Z'),
        became('pvc-quick', 'healthy', '2025-06-14T11:02:00Z'),
        volume('pvc-fine', 'healthy'),
        volume('pvc-parked', 'unknown', 'detached'),
      ],
    });
    expect(findings).toEqual([]);
  });
});
