import type { MemberInfo } from '../../bundle/types.js';
import type { LogEvent } from '../../formats/types.js';

/** A log line as declarative rules see it. */
export interface EventView {
  event: LogEvent;
  member: MemberInfo;
}

const MEMBER_FIELDS = ['node', 'namespace', 'pod', 'container', 'component'] as const;
const LINE_FIELDS = ['message', 'raw', 'level', 'format', 'file'] as const;
/** Names that never refer to a parsed event field, so `fields.<name>` is the way to reach one spelled the same. */
export const RESERVED_FIELDS: readonly string[] = [...LINE_FIELDS, ...MEMBER_FIELDS];

/**
 * Resolves a field name: `message`, `raw`, `level`, `format`, `file` (the member path), the member's `node`,
 * `namespace`, `pod`, `container`, `component`; `fields.<key>` or any other name: a key the line's format carried
 * (logrus/logfmt/JSON keys, journald `ident`/`host`/`pid`, ...). Absent: null.
 */
export function resolveField(name: string, { event, member }: EventView): string | null {
  switch (name) {
    case 'message':
      return event.message;
    case 'raw':
      return event.raw;
    case 'level':
      return event.level;
    case 'format':
      return event.format;
    case 'file':
      return member.path;
    case 'node':
    case 'namespace':
    case 'pod':
    case 'container':
    case 'component':
      return member[name];
  }
  const key = name.startsWith('fields.') ? name.slice('fields.'.length) : name;
  return event.fields?.[key] ?? null;
}

/** Names of `{{name}}` placeholders in a template. */
export function templateNames(template: string): string[] {
  return [...new Set([...template.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)].map((match) => match[1]))];
}

/** Renders a template; null when a placeholder has no value (a subject half-filled is worse than none). */
export function renderTemplate(template: string, lookup: (name: string) => string | null): string | null {
  let missing = false;
  const text = template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_whole, name: string) => {
    const value = lookup(name);
    if (value === null || value === '') missing = true;
    return value ?? '';
  });
  return missing ? null : text;
}
