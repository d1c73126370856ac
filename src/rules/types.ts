import type { MemberInfo } from '../bundle/types.js';
import type { LogEvent } from '../formats/types.js';
import type { BundleFacts, K8sObject, ObjectIndex } from '../k8s/types.js';
import type { KeyEvent, UpgradeStory } from '../correlate/types.js';

/** Sigma's five levels. `informational` results are signals for the timeline and correlation. */
export type Severity = 'informational' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['informational', 'low', 'medium', 'high', 'critical'];
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/** A pointer to a line (or an object) an engineer can check: file:line, its time and its text. */
export interface EvidenceRef {
  file: string;
  line: number | null;
  time: number | null;
  text: string;
}

export interface RuleMeta {
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  falsePositives: string[];
  references: string[];
  /** Components / member kinds the rule reads, for docs and coverage-aware verdicts. */
  sources: string[];
  /** Message templates with `{{name}}` placeholders, selected by `messageId`. */
  messages: Record<string, string>;
  /** Example evidence lines in their real format, shown in the rule docs. */
  examples?: string[];
}

/** What a rule reports. Reports with the same rule, node and subject merge into one finding. */
export interface FindingInput {
  messageId: string;
  data?: Record<string, string | number>;
  node?: string | null;
  /** What the finding is about: a VM `<ns>/<name>`, a volume, a pod, a container. */
  subject?: string | null;
  time?: number | null;
  /** Overrides meta.severity (e.g. an OOM outside the upgrade window is reported lower). */
  severity?: Severity;
  evidence?: EvidenceRef[];
  fields?: Record<string, string | number | boolean | null>;
}

export interface RuleContext {
  readonly ruleId: string;
  /** Known from the start when metadata.yaml was read first; complete in `end`. */
  facts(): BundleFacts;
  /** Complete only in `end`. */
  objects(): ObjectIndex;
  /** The reconstructed upgrade; available in `end` (null when the bundle shows none). */
  upgrade(): UpgradeStory | null;
  /** Key moments (rke2 stop/start, reboots, job starts, ...) in time order; complete in `end`. */
  keyEvents(): readonly KeyEvent[];
  /** Members that could not be read, for coverage-aware verdicts. */
  unreadable(): readonly { file: string; reason: string }[];
  /** Member paths seen so far (complete in `end`). */
  members(): readonly MemberInfo[];
  report(finding: FindingInput): void;
}

export interface RuleHandlers {
  /** Each log line whose text contains one of the rule's `literals` (none when it has none). */
  event?(event: LogEvent, member: MemberInfo): void;
  /** The first line with a time of its own of each log file, whatever its text: when the file's record begins. */
  fileStart?(event: LogEvent, member: MemberInfo): void;
  object?(object: K8sObject): void;
  end?(): void;
}

export interface RuleModule {
  id: string;
  meta: RuleMeta;
  /** Case-sensitive substrings one of which every line the rule cares about contains (prefilter). Empty: objects only. */
  literals: string[];
  create(context: RuleContext): RuleHandlers;
}

/** A merged finding, as reports show it. */
export interface Finding {
  /** Stable fingerprint: rule + node + subject, no times. */
  id: string;
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  node: string | null;
  subject: string | null;
  firstSeen: number | null;
  lastSeen: number | null;
  count: number;
  remediation: string;
  evidence: EvidenceRef[];
  /** Evidence lines seen in all, of which `evidence` keeps the first few. */
  evidenceTotal: number;
  fields: Record<string, string | number | boolean | null>;
}

export interface RuleFailure {
  ruleId: string;
  error: string;
  /** The file:line being processed when it threw, if any. */
  at: string | null;
}
