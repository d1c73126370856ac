import { describe, expect, it } from 'vitest';
import { nodeNotReady as rule } from '../../../src/rules/builtin/node-not-ready.js';
import { runRule } from '../../../src/rules/testing/run-rule.js';
import { at, BUNDLE_CREATED, brief, cited, iso, node, story } from './fixtures.js';

const facts = { createdAt: at(BUNDLE_CREATED), nodes: ['harvester-01', 'harvester-02'] };
const unknown = node('harvester-02', {
  status: {
    conditions: [
      { type: 'MemoryPressure', status: 'Unknown' },
      { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: '2025-06-14T12:48:03Z' },
    ],
  },
});

describe('node-not-ready', () => {
  it('reports a node whose Ready condition is Unknown, in readiness terms before an upgrade', () => {
    const findings = runRule(rule, { facts, upgrade: null, objects: [node('harvester-01'), unknown] });
    expect(brief(findings)).toEqual([{ rule: 'node-not-ready', severity: 'medium', node: 'harvester-02', subject: null }]);
    const [f] = findings;
    expect(iso(f.firstSeen)).toBe('2025-06-14T12:48:03.000Z');
    expect(cited(f)).toEqual([`${unknown.file}:${unknown.line}`]);
    expect(f.message).toBe(
      'Node harvester-02 was not Ready at collection (Ready=Unknown since 2025-06-14T12:48:03.000Z, NodeStatusUnknown: Kubelet stopped posting node status.): ' +
        'the upgrade webhook will refuse to start until it is Ready.',
    );
  });

  it('stays silent for Ready nodes', () => {
    expect(runRule(rule, { facts, upgrade: story(), objects: [node('harvester-01'), node('harvester-02')] })).toEqual([]);
  });
});
