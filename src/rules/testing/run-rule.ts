import type { MemberInfo } from '../../bundle/types.js';
import type { KeyEvent, UpgradeStory } from '../../correlate/types.js';
import { createObjectIndex } from '../../k8s/object-index.js';
import type { BundleFacts, K8sObject } from '../../k8s/types.js';
import { createEngine } from '../engine.js';
import type { Finding, RuleModule } from '../types.js';
import { DEFAULT_FIXTURE_ANCHOR_MS, EMPTY_FACTS, feedLines } from './feed-lines.js';

export interface RunRuleInput {
  /** Bundle members by their path in a real bundle (it decides the parser), with their lines. */
  members?: { path: string; lines: string[] }[];
  objects?: K8sObject[];
  upgrade?: UpgradeStory | null;
  facts?: Partial<BundleFacts>;
  keyEvents?: KeyEvent[];
  /** Year anchor for year-less times; default facts.createdAt, else the end of 2025. Zone-less times are UTC. */
  anchorMs?: number;
}

/**
 * Runs one rule the way an analysis does — objects first (yamls/ precede logs in a bundle), then every member's lines
 * through the real line parser, then `end` — and returns its merged findings. A rule that throws fails the call.
 */
export function runRule(rule: RuleModule, input: RunRuleInput): Finding[] {
  const facts: BundleFacts = { ...EMPTY_FACTS, ...input.facts };
  const objects = input.objects ?? [];
  const index = createObjectIndex(objects);
  const members: MemberInfo[] = [];
  const engine = createEngine([rule], {
    facts: () => facts,
    objects: () => index,
    upgrade: () => input.upgrade ?? null,
    keyEvents: () => input.keyEvents ?? [],
    unreadable: () => [],
    members: () => members,
  });
  for (const object of objects) engine.object(object);
  const time = { anchorMs: input.anchorMs ?? facts.createdAt ?? DEFAULT_FIXTURE_ANCHOR_MS, zone: 'UTC' };
  for (const member of input.members ?? []) members.push(feedLines(engine, member.path, member.lines, time));
  const { findings, failures } = engine.end();
  if (failures.length > 0) {
    const [failure] = failures;
    throw new Error(`rule ${failure.ruleId} failed${failure.at ? ` at ${failure.at}` : ''}: ${failure.error}`);
  }
  return findings;
}
