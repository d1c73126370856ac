import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groundTruth } from '../../src/samples/ground-truth.js';
import type { ScenarioName } from '../../src/samples/generate.js';

const readme = readFileSync(join(import.meta.dirname, '../../samples/README.md'), 'utf8');
const section = (name: ScenarioName): string => {
  const start = readme.indexOf(`## \`${name}\``);
  const next = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, next < 0 ? undefined : next);
};
const hms = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

describe('samples/README.md states the ground truth', () => {
  for (const name of ['upgrade-v1.4.2-to-v1.5.0-incident', 'upgrade-v1.4.2-to-v1.5.0-clean', 'upgrade-stalled-pre-drained'] as const) {
    it(`${name}: times and subjects of the expected findings and node phases`, () => {
      const text = section(name);
      const truth = groundTruth(name);
      expect(text).toContain(hms(truth.bundleCreatedAt));
      if (truth.upgrade.finishedAt) expect(text).toContain(hms(truth.upgrade.finishedAt));
      for (const n of truth.upgrade.nodes) {
        if (n.succeededAt) expect(text, `${n.node} succeeded`).toContain(hms(n.succeededAt));
        if (n.preDrain) expect(text, `${n.node} pre-drain`).toContain(hms(n.preDrain.start));
      }
      for (const e of truth.expected) {
        if (e.time !== null && e.ruleId !== 'vm-abrupt-shutdown') expect(text, e.ruleId).toContain(hms(e.time));
        if (e.subject && !e.subject.startsWith('default/') && !e.subject.startsWith('logs/')) expect(text, e.ruleId).toContain(e.subject.replace(/^longhorn-system\//, '').replace(/^harvester-system\//, '').replace(/^cattle-monitoring-system\//, ''));
        if (e.subject?.startsWith('default/stress-test')) expect(text).toContain(e.subject);
      }
    });
  }
});
