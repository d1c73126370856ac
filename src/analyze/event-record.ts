import type { MemberInfo } from '../bundle/types.js';
import type { LogEvent } from '../formats/types.js';
import { toIso } from '../util/time.js';

/** The `events --format jsonl` record: one normalised line with its provenance. Keys in a fixed order. */
export const eventRecord = (event: LogEvent, member: MemberInfo): string =>
  JSON.stringify({
    time: toIso(event.time),
    timeSource: event.timeSource,
    file: event.file,
    line: event.line,
    node: member.node,
    namespace: member.namespace,
    pod: member.pod,
    container: member.container,
    component: member.component,
    format: event.format,
    level: event.level,
    message: event.message,
  });

export interface EventFilter {
  since?: number;
  until?: number;
  node?: string;
  component?: string;
  grep?: RegExp;
}

/** Whether an event passes the `events` filters; a time filter drops events without a time. */
export function matchesFilter(event: LogEvent, member: MemberInfo, filter: EventFilter): boolean {
  if (filter.since !== undefined && (event.time === null || event.time < filter.since)) return false;
  if (filter.until !== undefined && (event.time === null || event.time > filter.until)) return false;
  if (filter.node !== undefined && member.node !== filter.node) return false;
  if (filter.component !== undefined && member.component !== filter.component) return false;
  if (filter.grep !== undefined && !filter.grep.test(event.raw)) return false;
  return true;
}
