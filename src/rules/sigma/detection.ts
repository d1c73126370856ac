import type { MemberInfo } from '../../bundle/types.js';
import type { LogEvent } from '../../formats/types.js';
import type { EvidenceRef, RuleModule } from '../types.js';
import { compileCondition } from './condition.js';
import { type EventView, renderTemplate, resolveField, templateNames } from './event-fields.js';
import type { Captures } from './selection.js';
import type { DetectionDocument, Logsource, RuleDocument } from './spec.js';

/** A line a detection matched, with every value a report or a correlation needs already resolved. */
export interface DetectionMatch {
  time: number | null;
  node: string | null;
  subject: string | null;
  evidence: EvidenceRef;
  /** Captures plus the rule's `fields:`, for the finding. */
  fields: Record<string, string>;
  /** Values of the names asked for (template placeholders, group-by names); null when absent. */
  values: Record<string, string | null>;
}

export interface CompiledDetection {
  document: DetectionDocument;
  accepts(member: MemberInfo): boolean;
  match(event: LogEvent, member: MemberInfo, names: readonly string[]): DetectionMatch | null;
}

export const MESSAGE_ID = 'match';

export function logsourceAccepts(logsource: Logsource, member: MemberInfo): boolean {
  return (
    (logsource.components === null || (member.component !== null && logsource.components.includes(member.component))) &&
    (logsource.files === null || logsource.files.some(({ regex }) => regex.test(member.path))) &&
    (logsource.kinds === null || logsource.kinds.includes(member.kind))
  );
}

export function compileDetection(document: DetectionDocument): CompiledDetection {
  const test = compileCondition<{ view: EventView; captures: Captures }>(document.condition, (name) => {
    const selection = document.selections.get(name)!;
    return ({ view, captures }) => selection.test(view, captures);
  });
  return {
    document,
    accepts: (member) => logsourceAccepts(document.logsource, member),
    match(event, member, names) {
      const view: EventView = { event, member };
      const captures: Captures = {};
      if (!test({ view, captures })) return null;
      const lookup = (name: string): string | null => (Object.hasOwn(captures, name) ? captures[name] : resolveField(name, view));
      const node = (document.node !== null ? renderTemplate(document.node, lookup) : null) ?? member.node;
      const subject = document.subject !== null ? renderTemplate(document.subject, lookup) : null;
      const fields: Record<string, string> = { ...captures };
      for (const name of document.fields) {
        const value = lookup(name);
        if (value !== null) fields[name] = value;
      }
      const values: Record<string, string | null> = {};
      for (const name of names) values[name] = name === 'node' ? node : name === 'subject' ? subject : lookup(name);
      return {
        time: event.time,
        node,
        subject,
        evidence: { file: event.file, line: event.line, time: event.time, text: event.raw },
        fields,
        values,
      };
    },
  };
}

/** The finding's metadata from a rule document. */
export function documentMeta(document: RuleDocument, sources: string[]): RuleModule['meta'] {
  return {
    title: document.title,
    severity: document.level,
    description: document.description,
    remediation: document.remediation,
    falsePositives: document.falsePositives,
    references: document.references,
    sources,
    messages: { [MESSAGE_ID]: document.message ?? document.title },
  };
}

export function logsourceSources(logsource: Logsource): string[] {
  return [...(logsource.components ?? []), ...(logsource.files ?? []).map(({ glob }) => glob), ...(logsource.kinds ?? [])];
}

/** A detection document as a rule module: one report per matching line. */
export function detectionRule(detection: CompiledDetection): RuleModule {
  const { document } = detection;
  const messageNames = templateNames(document.message ?? document.title);
  return {
    id: document.id,
    meta: documentMeta(document, logsourceSources(document.logsource)),
    literals: document.literals,
    create(context) {
      return {
        event(event, member) {
          if (!detection.accepts(member)) return;
          const hit = detection.match(event, member, messageNames);
          if (hit === null) return;
          context.report({
            messageId: MESSAGE_ID,
            data: presentValues(hit.values),
            node: hit.node,
            subject: hit.subject,
            time: hit.time,
            evidence: [hit.evidence],
            fields: hit.fields,
          });
        },
      };
    },
  };
}

export function presentValues(values: Record<string, string | number | null>): Record<string, string | number> {
  const present: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) if (value !== null) present[name] = value;
  return present;
}
