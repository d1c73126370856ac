import type { RuleModule } from '../types.js';

/** Where a declarative rule came from: its file, the line of its id, its kind and its YAML source. */
export interface RuleOrigin {
  file: string;
  line: number;
  kind: 'detection' | 'correlation';
  source: string;
}

const origins = new WeakMap<RuleModule, RuleOrigin>();

export function setRuleOrigin(rule: RuleModule, origin: RuleOrigin): void {
  origins.set(rule, origin);
}

/** The origin of a rule loaded from YAML; undefined for a built-in TypeScript rule. */
export function ruleOrigin(rule: RuleModule): RuleOrigin | undefined {
  return origins.get(rule);
}
