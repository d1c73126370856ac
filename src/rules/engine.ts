import { createHash } from 'node:crypto';
import type { MemberInfo } from '../bundle/types.js';
import type { KeyEvent, UpgradeStory } from '../correlate/types.js';
import type { LogEvent } from '../formats/types.js';
import type { BundleFacts, K8sObject, ObjectIndex } from '../k8s/types.js';
import { compareText, compareTime } from '../util/compare.js';
import { maskSecrets } from './mask-secrets.js';
import { compileLiterals, type LiteralMatcher } from './prefilter.js';
import { SEVERITIES, severityRank } from './types.js';
import type {
  EvidenceRef,
  Finding,
  FindingInput,
  RuleContext,
  RuleFailure,
  RuleHandlers,
  RuleModule,
  Severity,
} from './types.js';

/** What the analysis gives the rules: the lazy accessors of RuleContext, plus engine options. */
export interface EngineEnv {
  facts(): BundleFacts;
  objects(): ObjectIndex;
  upgrade(): UpgradeStory | null;
  keyEvents(): readonly KeyEvent[];
  unreadable(): readonly { file: string; reason: string }[];
  members(): readonly MemberInfo[];
  /** Evidence lines kept per finding, earliest first (default 5; the rule test harness keeps all). */
  maxEvidence?: number;
}

export interface EngineResult {
  findings: Finding[];
  failures: RuleFailure[];
}

/** A consumer of log lines that is not a rule (the key-event collector), matched by the same automaton as the rules. */
export interface LineTap {
  literals: readonly string[];
  event(event: LogEvent, member: MemberInfo): void;
}

export interface Engine {
  /** Every literal of the rules (and taps) that take log lines: a line containing none of them reaches nobody. */
  readonly literals: readonly string[];
  /** Dispatches a log line to the rules (and taps) one of whose literals occurs in `event.raw`: one scan per line. */
  event(event: LogEvent, member: MemberInfo): void;
  /** The first line with a time of its own of a log file, for the rules with a `fileStart` handler. */
  fileStart(event: LogEvent, member: MemberInfo): void;
  object(object: K8sObject): void;
  /** Runs the rules' `end` handlers once and returns the merged findings in a total order. */
  end(): EngineResult;
}

export const DEFAULT_MAX_EVIDENCE = 5;
/** Evidence cites a line; it never carries a whole megabyte-long one. */
const MAX_EVIDENCE_TEXT = 1000;

interface RuleSlot {
  rule: RuleModule;
  handlers: RuleHandlers;
  failed: boolean;
}

export function createEngine(rules: readonly RuleModule[], env: EngineEnv, taps: readonly LineTap[] = []): Engine {
  const maxEvidence = env.maxEvidence ?? DEFAULT_MAX_EVIDENCE;
  const failures: RuleFailure[] = [];
  const findings = new FindingAccumulator(maxEvidence);
  const slots: RuleSlot[] = [];
  let result: EngineResult | null = null;

  const fail = (slot: RuleSlot, error: unknown, at: string | null): void => {
    slot.failed = true;
    failures.push({ ruleId: slot.rule.id, error: error instanceof Error ? error.message : String(error), at });
  };

  for (const rule of rules) {
    const slot: RuleSlot = { rule, handlers: {}, failed: false };
    slots.push(slot);
    try {
      slot.handlers = rule.create(createContext(rule, env, findings));
    } catch (error) {
      fail(slot, error, null);
    }
  }

  // rule slots first, then the taps: an index past the slots is a tap
  const literalSets = [...slots.map((slot) => (slot.handlers.event ? slot.rule.literals : [])), ...taps.map((tap) => tap.literals)];
  // built on the first line: an input without log lines never needs it
  let matcher: LiteralMatcher | null = null;
  const objectSlots = slots.filter((slot) => slot.handlers.object);
  const fileStartSlots = slots.filter((slot) => slot.handlers.fileStart);

  return {
    literals: [...new Set(literalSets.flat())].sort(compareText),
    event(event, member) {
      matcher ??= compileLiterals(literalSets);
      for (const index of matcher.match(event.raw)) {
        if (index >= slots.length) {
          taps[index - slots.length].event(event, member);
          continue;
        }
        const slot = slots[index];
        if (slot.failed) continue;
        try {
          slot.handlers.event!(event, member);
        } catch (error) {
          fail(slot, error, `${event.file}:${event.line}`);
        }
      }
    },
    fileStart(event, member) {
      for (const slot of fileStartSlots) {
        if (slot.failed) continue;
        try {
          slot.handlers.fileStart!(event, member);
        } catch (error) {
          fail(slot, error, `${event.file}:${event.line}`);
        }
      }
    },
    object(object) {
      for (const slot of objectSlots) {
        if (slot.failed) continue;
        try {
          slot.handlers.object!(object);
        } catch (error) {
          fail(slot, error, `${object.file}:${object.line}`);
        }
      }
    },
    end() {
      if (result) return result;
      for (const slot of slots) {
        if (slot.failed || !slot.handlers.end) continue;
        try {
          slot.handlers.end();
        } catch (error) {
          fail(slot, error, null);
        }
      }
      result = {
        findings: findings.build(new Map(rules.map((rule) => [rule.id, rule]))),
        failures: [...failures].sort((a, b) => compareText(a.ruleId, b.ruleId)),
      };
      return result;
    },
  };
}

function createContext(rule: RuleModule, env: EngineEnv, findings: FindingAccumulator): RuleContext {
  return {
    ruleId: rule.id,
    facts: () => env.facts(),
    objects: () => env.objects(),
    upgrade: () => env.upgrade(),
    keyEvents: () => env.keyEvents(),
    unreadable: () => env.unreadable(),
    members: () => env.members(),
    report(input) {
      // Thrown here, inside the rule's handler, so a malformed report disables the rule like any other crash.
      if (!Object.hasOwn(rule.meta.messages, input.messageId)) {
        throw new Error(`report with unknown messageId "${input.messageId}"`);
      }
      if (input.severity !== undefined && !SEVERITIES.includes(input.severity)) {
        throw new Error(`report with unknown severity "${input.severity}"`);
      }
      findings.add(rule, input);
    },
  };
}

/** Orders reports and evidence: by time (untimed last), then arrival. */
interface Stamp {
  time: number | null;
  seq: number;
}

const compareStamp = (a: Stamp, b: Stamp): number => compareTime(a.time, b.time) || a.seq - b.seq;

interface Group {
  ruleId: string;
  node: string | null;
  subject: string | null;
  count: number;
  severity: Severity;
  first: Stamp & { messageId: string; data: Record<string, string | number> };
  firstSeen: number | null;
  lastSeen: number | null;
  evidenceKeys: Set<string>;
  evidence: EvidenceRef[];
  fields: Map<string, Stamp & { value: string | number | boolean | null }>;
}

/** Merges reports with the same (rule, node, subject) into one finding. */
class FindingAccumulator {
  private readonly groups = new Map<string, Group>();
  private seq = 0;

  constructor(private readonly maxEvidence: number) {}

  add(rule: RuleModule, input: FindingInput): void {
    const node = input.node ?? null;
    const subject = input.subject ?? null;
    const key = fingerprintInput(rule.id, node, subject);
    const evidence = input.evidence ?? [];
    const stamp: Stamp = { time: input.time ?? null, seq: this.seq++ };
    const severity = input.severity ?? rule.meta.severity;
    const seenFrom = stamp.time ?? minTime(evidence.map((ref) => ref.time));
    const seenTo = stamp.time ?? maxTime(evidence.map((ref) => ref.time));

    let group = this.groups.get(key);
    if (!group) {
      group = {
        ruleId: rule.id,
        node,
        subject,
        count: 0,
        severity,
        first: { ...stamp, messageId: input.messageId, data: input.data ?? {} },
        firstSeen: seenFrom,
        lastSeen: seenTo,
        evidenceKeys: new Set(),
        evidence: [],
        fields: new Map(),
      };
      this.groups.set(key, group);
    } else {
      if (compareStamp(stamp, group.first) < 0) {
        group.first = { ...stamp, messageId: input.messageId, data: input.data ?? {} };
      }
      if (severityRank(severity) > severityRank(group.severity)) group.severity = severity;
      group.firstSeen = minTime([group.firstSeen, seenFrom]);
      group.lastSeen = maxTime([group.lastSeen, seenTo]);
    }
    group.count++;

    // Fields merge across reports; for a key set by several, the latest report (by time, then arrival) wins.
    for (const [name, value] of Object.entries(input.fields ?? {})) {
      const held = group.fields.get(name);
      if (!held || compareStamp(stamp, held) >= 0) group.fields.set(name, { ...stamp, value });
    }

    for (const ref of evidence) {
      const refKey = ref.line === null ? `${ref.file}\0\0${ref.text}` : `${ref.file}\0${ref.line}`;
      if (group.evidenceKeys.has(refKey)) continue;
      group.evidenceKeys.add(refKey);
      group.evidence.push(ref);
      // Keep memory bounded for rules that cite thousands of lines: trim to the earliest now and then.
      if (group.evidence.length > 2 * this.maxEvidence + 64) {
        group.evidence = group.evidence.sort(compareEvidence).slice(0, this.maxEvidence);
      }
    }
  }

  build(rules: ReadonlyMap<string, RuleModule>): Finding[] {
    const findings: Finding[] = [];
    for (const group of this.groups.values()) {
      const meta = rules.get(group.ruleId)!.meta;
      const fields: Finding['fields'] = {};
      for (const name of [...group.fields.keys()].sort(compareText)) {
        const { value } = group.fields.get(name)!;
        fields[name] = typeof value === 'string' ? maskSecrets(value) : value;
      }
      findings.push({
        id: fingerprint(group.ruleId, group.node, group.subject),
        ruleId: group.ruleId,
        severity: group.severity,
        title: meta.title,
        message: maskSecrets(renderMessage(meta.messages[group.first.messageId], group.first.data)),
        node: group.node,
        subject: group.subject,
        firstSeen: group.firstSeen,
        lastSeen: group.lastSeen,
        count: group.count,
        remediation: meta.remediation,
        evidence: group.evidence
          .sort(compareEvidence)
          .slice(0, this.maxEvidence)
          .map((ref) => ({ ...ref, text: maskSecrets(clip(ref.text)) })),
        evidenceTotal: group.evidenceKeys.size,
        fields,
      });
    }
    return findings.sort(compareFindings);
  }
}

/** Stable finding id: the first 12 hex digits of sha1(ruleId \0 node \0 subject). */
export function fingerprint(ruleId: string, node: string | null, subject: string | null): string {
  return createHash('sha1').update(fingerprintInput(ruleId, node, subject)).digest('hex').slice(0, 12);
}

const fingerprintInput = (ruleId: string, node: string | null, subject: string | null): string =>
  `${ruleId}\0${node ?? ''}\0${subject ?? ''}`;

/** Fills `{{name}}` placeholders; unknown names stay visible rather than vanish. */
export function renderMessage(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) =>
    Object.hasOwn(data, name) ? String(data[name]) : whole,
  );
}

const clip = (text: string): string => (text.length > MAX_EVIDENCE_TEXT ? `${text.slice(0, MAX_EVIDENCE_TEXT)}…` : text);

function minTime(times: readonly (number | null)[]): number | null {
  let min: number | null = null;
  for (const time of times) if (time !== null && (min === null || time < min)) min = time;
  return min;
}

function maxTime(times: readonly (number | null)[]): number | null {
  let max: number | null = null;
  for (const time of times) if (time !== null && (max === null || time > max)) max = time;
  return max;
}

const compareEvidence = (a: EvidenceRef, b: EvidenceRef): number =>
  compareTime(a.time, b.time) ||
  compareText(a.file, b.file) ||
  (a.line ?? 0) - (b.line ?? 0) ||
  compareText(a.text, b.text);

const compareFindings = (a: Finding, b: Finding): number =>
  severityRank(b.severity) - severityRank(a.severity) ||
  compareTime(a.firstSeen, b.firstSeen) ||
  compareText(a.ruleId, b.ruleId) ||
  compareText(a.node, b.node) ||
  compareText(a.subject, b.subject) ||
  compareText(a.id, b.id);
