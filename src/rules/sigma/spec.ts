import type { MemberKind } from '../../bundle/types.js';
import type { Severity } from '../types.js';
import type { ConditionNode } from './condition.js';
import type { CompiledSelection } from './selection.js';

/** What every rule document carries, validated. */
export interface RuleDocument {
  id: string;
  title: string;
  status: string | null;
  description: string;
  level: Severity;
  falsePositives: string[];
  remediation: string;
  references: string[];
  tags: string[];
  /** Finding message template (default: the title); `{{name}}` takes captures, line/member fields, node, subject. */
  message: string | null;
  /** Templates for the finding's subject and node (default: no subject; the member's node). */
  subject: string | null;
  node: string | null;
  file: string;
  /** 1-based line of the document's `id`. */
  line: number;
  /** The document's YAML source, for `rules show`. */
  source: string;
}

export interface Logsource {
  components: string[] | null;
  files: { glob: string; regex: RegExp }[] | null;
  kinds: MemberKind[] | null;
}

export interface DetectionDocument extends RuleDocument {
  kind: 'detection';
  logsource: Logsource;
  selections: ReadonlyMap<string, CompiledSelection>;
  condition: ConditionNode;
  /** Names whose values (captures, line or member fields) are copied into the finding's fields. */
  fields: string[];
  literals: string[];
}

export type CorrelationType = 'temporal_ordered' | 'event_count' | 'absence';

export interface CorrelationDocument extends RuleDocument {
  kind: 'correlation';
  type: CorrelationType;
  rules: { id: string; line: number }[];
  groupBy: string[];
  timespanMs: number;
  /** As written (`10m`), for messages. */
  timespan: string;
  /** event_count only. */
  threshold: { op: 'gte' | 'gt'; value: number } | null;
}
