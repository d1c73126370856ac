import { expect } from 'vitest';
import { loadRuleSources } from '../../src/rules/sigma/load-rule-files.js';
import { runRule } from '../../src/rules/testing/run-rule.js';
import type { Finding, RuleModule } from '../../src/rules/types.js';

/** Loads rule documents that must be valid; returns the rule with `id` (default: the only one). */
export function loadRule(yaml: string, id?: string): RuleModule {
  const { rules, errors } = loadRuleSources([{ file: 'rules/test.yaml', text: yaml }]);
  expect(errors).toEqual([]);
  const rule = id === undefined ? rules[0] : rules.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

export const loadErrors = (yaml: string) => loadRuleSources([{ file: 'rules/test.yaml', text: yaml }]).errors;

export const run = (rule: RuleModule, members: { path: string; lines: string[] }[]): Finding[] => runRule(rule, { members });

/** A support-bundle pod log line: the kubelet log-API prefix, then the application's line. */
export function cri(iso: string, text: string): string {
  const [seconds, fraction = ''] = iso.replace('Z', '').split('.');
  return `${seconds}.${fraction.padEnd(9, '0')}Z ${text}`;
}

export const VIRT_HANDLER = 'logs/harvester-system/virt-handler-k49lw/virt-handler.log';
export const APPLY_MANIFESTS = 'logs/harvester-system/hvst-upgrade-bcq9d-apply-manifests-5chxg/apply.log';
export const PRE_DRAIN_N2 = 'logs/harvester-system/hvst-upgrade-bcq9d-pre-drain-harvester-02-x7k2p/apply.log';
export const journal = (node: string, unit: string): string => `nodes/${node}.zip!/${node}/logs/${unit}.log`;

/** Evidence as `file:line` strings, for compact assertions. */
export const cited = (finding: Finding): string[] => finding.evidence.map((ref) => `${ref.file}:${ref.line}`);
