import type { MemberInfo } from '../../src/bundle/types.js';
import type { LogEvent } from '../../src/formats/types.js';
import type { ObjectIndex } from '../../src/k8s/types.js';
import type { EngineEnv } from '../../src/rules/engine.js';
import type { RuleModule, RuleMeta } from '../../src/rules/types.js';
import { EMPTY_FACTS } from '../../src/rules/testing/feed-lines.js';


const EMPTY_INDEX: ObjectIndex = { all: () => [], byKind: () => [], get: () => undefined };

export function env(overrides: Partial<EngineEnv> = {}): EngineEnv {
  return {
    facts: () => EMPTY_FACTS,
    objects: () => EMPTY_INDEX,
    upgrade: () => null,
    keyEvents: () => [],
    unreadable: () => [],
    members: () => [],
    ...overrides,
  };
}

export function meta(overrides: Partial<RuleMeta> = {}): RuleMeta {
  return {
    title: 'Test rule',
    severity: 'medium',
    description: 'For tests.',
    remediation: 'None.',
    falsePositives: [],
    references: [],
    sources: [],
    messages: { hit: 'Hit on {{thing}}' },
    ...overrides,
  };
}

export function rule(id: string, literals: string[], create: RuleModule['create'], metaOverrides?: Partial<RuleMeta>): RuleModule {
  return { id, meta: meta(metaOverrides), literals, create };
}

export const MEMBER: MemberInfo = {
  path: 'logs/harvester-system/virt-handler-k49lw/virt-handler.log',
  node: null,
  namespace: 'harvester-system',
  pod: 'virt-handler-k49lw',
  container: 'virt-handler',
  previous: false,
  component: 'virt-handler',
  kind: 'pod-log',
  criPrefixed: true,
};

/** A parsed line as the format parsers produce it; only what the engine reads matters here. */
export function event(raw: string, line: number, time: number | null, file = MEMBER.path): LogEvent {
  return { time, timeSource: time === null ? 'none' : 'cri-prefix', level: 'info', message: raw, format: 'plain', fields: null, file, line, raw };
}
