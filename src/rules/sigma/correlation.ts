import type { EvidenceRef, RuleContext, RuleModule } from '../types.js';
import { compareText, compareTime } from '../../util/compare.js';
import {
  type CompiledDetection,
  type DetectionMatch,
  MESSAGE_ID,
  documentMeta,
  logsourceSources,
  presentValues,
} from './detection.js';
import { renderTemplate, templateNames } from './event-fields.js';
import type { CorrelationDocument } from './spec.js';

/** Values a correlation computes, available to its templates and copied into the finding's fields. */
const COMPUTED = new Set(['count', 'timespan', 'verdict']);

interface Match extends DetectionMatch {
  base: number;
  seq: number;
}

/**
 * A correlation document as a rule module. It carries its base detections and records their matches itself, per
 * analysis, then relates them in `end` — over the few matched lines, never over all events. Matches without a time
 * cannot be placed in a timespan and are left out.
 */
export function correlationRule(document: CorrelationDocument, bases: readonly CompiledDetection[]): RuleModule {
  const message = document.message ?? document.title;
  const names = [
    ...new Set([
      ...document.groupBy,
      ...[message, document.subject ?? '', document.node ?? ''].flatMap(templateNames).filter((name) => !COMPUTED.has(name)),
    ]),
  ];
  const sources = [...new Set(bases.flatMap((base) => logsourceSources(base.document.logsource)))];
  return {
    id: document.id,
    meta: documentMeta(document, sources),
    literals: [...new Set(bases.flatMap((base) => base.document.literals))],
    create(context) {
      const matches: Match[] = [];
      return {
        event(event, member) {
          bases.forEach((base, index) => {
            if (!base.accepts(member)) return;
            const hit = base.match(event, member, names);
            if (hit !== null && hit.time !== null) matches.push({ ...hit, base: index, seq: matches.length });
          });
        },
        end() {
          const report = createReporter(document, context, message);
          const precursors = bases.slice(0, -1);
          const covered =
            document.type === 'absence' &&
            context.members().some((member) => precursors.some((base) => base.accepts(member)));
          for (const group of groupMatches(matches, document.groupBy)) {
            if (document.type === 'event_count') eventCount(document, group, report);
            else if (document.type === 'temporal_ordered') temporalOrdered(document, bases.length, group, report);
            else absence(document, bases.length, group, covered, report);
          }
        },
      };
    },
  };
}

type Reporter = (trigger: Match, evidence: EvidenceRef[], computed: Record<string, string | number>) => void;

function createReporter(document: CorrelationDocument, context: RuleContext, message: string): Reporter {
  const messageNames = templateNames(message);
  return (trigger, evidence, computed) => {
    const lookup = (name: string): string | null =>
      Object.hasOwn(computed, name) ? String(computed[name]) : (trigger.values[name] ?? null);
    const node = (document.node !== null ? renderTemplate(document.node, lookup) : null) ?? trigger.node;
    const subject = document.subject !== null ? renderTemplate(document.subject, lookup) : trigger.subject;
    const data: Record<string, string | null> = {};
    for (const name of messageNames) data[name] = name === 'node' ? node : name === 'subject' ? subject : lookup(name);
    const groupValues: Record<string, string | null> = {};
    for (const name of document.groupBy) if (name !== 'node' && name !== 'subject') groupValues[name] = trigger.values[name];
    context.report({
      messageId: MESSAGE_ID,
      data: presentValues(data),
      node,
      subject,
      time: trigger.time,
      evidence,
      fields: { ...trigger.fields, ...presentValues(groupValues), ...computed },
    });
  };
}

const compareMatches = (a: Match, b: Match): number =>
  compareTime(a.time, b.time) ||
  compareText(a.evidence.file, b.evidence.file) ||
  (a.evidence.line ?? 0) - (b.evidence.line ?? 0) ||
  a.seq - b.seq;

/** Matches split by their group-by values, each group in time order. */
function groupMatches(matches: readonly Match[], groupBy: readonly string[]): Match[][] {
  const groups = new Map<string, Match[]>();
  for (const match of matches) {
    const key = JSON.stringify(groupBy.map((name) => match.values[name] ?? null));
    const group = groups.get(key);
    if (group) group.push(match);
    else groups.set(key, [match]);
  }
  return [...groups.keys()].sort(compareText).map((key) => groups.get(key)!.sort(compareMatches));
}

const sameLine = (a: Match, b: Match): boolean => a.evidence.file === b.evidence.file && a.evidence.line === b.evidence.line;

/** At least N matches within one timespan: every match inside such a window is reported, with the densest count. */
function eventCount(document: CorrelationDocument, group: readonly Match[], report: Reporter): void {
  const { op, value } = document.threshold!;
  const enough = (count: number): boolean => (op === 'gte' ? count >= value : count > value);
  const inWindow = new Int32Array(group.length + 1);
  let densest = 0;
  let left = 0;
  for (let right = 0; right < group.length; right++) {
    while (group[right].time! - group[left].time! > document.timespanMs) left++;
    const count = right - left + 1;
    densest = Math.max(densest, count);
    if (enough(count)) {
      inWindow[left]++;
      inWindow[right + 1]--;
    }
  }
  let depth = 0;
  group.forEach((match, index) => {
    depth += inWindow[index];
    if (depth > 0) report(match, [match.evidence], { count: densest, timespan: document.timespan });
  });
}

/** Rule 1, then rule 2, ... within the timespan: reported at the last rule's match, citing the whole sequence. */
function temporalOrdered(document: CorrelationDocument, ruleCount: number, group: readonly Match[], report: Reporter): void {
  const byBase = Array.from({ length: ruleCount }, (_, base) => group.filter((match) => match.base === base));
  for (const last of byBase[ruleCount - 1]) {
    const chain = [last];
    for (let base = ruleCount - 2; base >= 0; base--) {
      const next = chain[0];
      // The latest possible predecessor keeps the sequence as short as it can be.
      const before = byBase[base].filter((match) => match.time! <= next.time! && !sameLine(match, next)).at(-1);
      if (before === undefined) break;
      chain.unshift(before);
    }
    if (chain.length === ruleCount && last.time! - chain[0].time! <= document.timespanMs) {
      report(last, chain.map((match) => match.evidence), { count: ruleCount, timespan: document.timespan });
    }
  }
}

/**
 * The last rule's match with no match of an earlier rule in the timespan before it. When no bundle member could have
 * held the earlier rules' lines, the absence proves nothing: the verdict says so.
 */
function absence(document: CorrelationDocument, ruleCount: number, group: readonly Match[], covered: boolean, report: Reporter): void {
  const precursors = group.filter((match) => match.base < ruleCount - 1);
  for (const trigger of group.filter((match) => match.base === ruleCount - 1)) {
    const preceded = precursors.some(
      (match) => match.time! <= trigger.time! && trigger.time! - match.time! <= document.timespanMs && !sameLine(match, trigger),
    );
    if (!preceded) {
      report(trigger, [trigger.evidence], { timespan: document.timespan, verdict: covered ? 'confirmed' : 'inconclusive' });
    }
  }
}
