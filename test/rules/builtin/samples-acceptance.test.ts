import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../../src/analyze/analyze-bundle.js';
import { DEFAULT_LIMITS } from '../../../src/bundle/types.js';
import { builtinRules } from '../../../src/rules/builtin/index.js';
import type { Finding } from '../../../src/rules/types.js';
import { groundTruth, type ExpectedFinding } from '../../../src/samples/ground-truth.js';
import type { ScenarioName } from '../../../src/samples/scenarios.js';

/**
 * The acceptance test of the built-in pack: each sample bundle analysed end to end, its findings held against the
 * scenario's ground truth — every seeded problem on the right node at the right time, no other finding above
 * informational, and the benign look-alikes silent.
 */
const analyse = (scenario: ScenarioName): Promise<Finding[]> =>
  analyzeBundle(join(import.meta.dirname, '../../../samples', `${scenario}.zip`), {
    zone: 'UTC',
    limits: DEFAULT_LIMITS,
    rules: builtinRules,
    maxEvidence: 5,
    now: Date.UTC(2025, 5, 15),
  }).then((report) => report.findings);

const describeExpected = (e: ExpectedFinding): string => `${e.ruleId} ${e.node ?? '-'} ${e.subject ?? '-'}`;
const matches = (f: Finding, e: ExpectedFinding, checkNode: boolean): boolean =>
  f.ruleId === e.ruleId && (e.subject === null || f.subject === e.subject) && (!checkNode || f.node === e.node);

/** Findings the ground truth expects, each found once; returns what is missing or wrong and the findings left over. */
function compare(findings: Finding[], expected: ExpectedFinding[], checkNode = true) {
  const problems: string[] = [];
  const left = [...findings];
  for (const e of expected) {
    const at = left.findIndex((f) => matches(f, e, checkNode));
    if (at < 0) {
      problems.push(`missing: ${describeExpected(e)}`);
      continue;
    }
    const [f] = left.splice(at, 1);
    if (f.severity !== e.severity) problems.push(`${describeExpected(e)}: severity ${f.severity}`);
    if (e.time !== null && (f.firstSeen === null || Math.abs(f.firstSeen - e.time) > e.toleranceMs))
      problems.push(`${describeExpected(e)}: first seen ${f.firstSeen === null ? 'never' : new Date(f.firstSeen).toISOString()}`);
  }
  return { problems, extra: left.filter((f) => f.severity !== 'informational') };
}

describe.each(['upgrade-v1.4.2-to-v1.5.0-incident', 'upgrade-v1.4.2-to-v1.5.0-clean', 'upgrade-stalled-pre-drained'] as const)(
  'the built-in pack on %s',
  (scenario) => {
    it('finds every seeded problem where and when it happened, nothing else above informational, and keeps the look-alikes silent', async () => {
      const truth = groundTruth(scenario);
      const findings = await analyse(scenario);
      const { problems, extra } = compare(findings, truth.expected);
      expect(problems).toEqual([]);
      expect(extra.map((f) => `${f.ruleId} ${f.node} ${f.subject}`)).toEqual([]);
      const expectedIds = new Set(findings.filter((f) => truth.expected.some((e) => matches(f, e, true))).map((f) => f.id));
      for (const s of truth.silent) {
        const loud = findings.filter(
          (f) =>
            f.ruleId === s.ruleId &&
            f.severity !== 'informational' &&
            !expectedIds.has(f.id) &&
            (s.subject === null || f.subject === s.subject) &&
            (s.node === null || f.node === s.node),
        );
        expect(loud.map((f) => f.message), s.why).toEqual([]);
      }
    });
  },
);

describe('the built-in pack on the upgrade-log archive of the incident', () => {
  it('finds the killed VMs, the blocked drain and the degraded volume from the archived pod logs alone', async () => {
    const truth = groundTruth('upgrade-v1.4.2-to-v1.5.0-incident-upgradelog');
    const findings = await analyse('upgrade-v1.4.2-to-v1.5.0-incident-upgradelog');
    // The archive keeps no pod objects, so a virt-handler's node is unknown, and the pre-drain's wait for a volume
    // carries no time: the volume is found, not when it degraded.
    const expected = truth.expected.map((e) => (e.ruleId === 'longhorn-volume-unhealthy' ? { ...e, time: null } : e));
    const { problems, extra } = compare(findings, expected, false);
    expect(problems).toEqual([]);
    // The pre-drain of harvester-02 waited for another volume: without times, how long it was degraded is unknown.
    expect(extra.map((f) => `${f.ruleId} ${f.node}`)).toEqual(['longhorn-volume-unhealthy harvester-02']);
    expect(findings.find((f) => f.ruleId === 'longhorn-drain-blocked')?.node).toBe('harvester-03');
  });
});
