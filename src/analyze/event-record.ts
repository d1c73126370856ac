import type { MemberInfo } from '../bundle/types.js';
import type { LogEvent } from '../formats/types.js';

/**
 * The `events --format jsonl` records: one normalised line with its provenance, keys in a fixed order —
 * `{"time","timeSource","file","line","node","namespace","pod","container","component","format","level","message"}`,
 * exactly as JSON.stringify writes that object. Built by hand because `events` writes one per line of the bundle:
 * a member's fields are encoded once per member and times once per minute.
 */
export function createEventRecorder(): (event: LogEvent, member: MemberInfo) => string {
  let lastMember: MemberInfo | null = null;
  let fileJson = '';
  let memberJson = '';
  const isoJson = createIsoJson();
  return (event, member) => {
    if (member !== lastMember) {
      lastMember = member;
      fileJson = JSON.stringify(member.path);
      memberJson =
        `,"node":${JSON.stringify(member.node)},"namespace":${JSON.stringify(member.namespace)},"pod":${JSON.stringify(member.pod)}` +
        `,"container":${JSON.stringify(member.container)},"component":${JSON.stringify(member.component)}`;
    }
    // a member's events all carry its path; should one not, it is still encoded right
    const file = event.file === lastMember.path ? fileJson : JSON.stringify(event.file);
    return (
      `{"time":${isoJson(event.time)},"timeSource":${quoted(event.timeSource)},"file":${file},"line":${event.line}` +
      `${memberJson},"format":${quoted(event.format)},"level":${event.level === null ? 'null' : quoted(event.level)}` +
      `,"message":${JSON.stringify(event.message)}}`
    );
  };
}

/** JSON strings of the few distinct values of timeSource, format and level. */
const quotedCache = new Map<string, string>();
const MAX_QUOTED = 10_000;
function quoted(text: string): string {
  let json = quotedCache.get(text);
  if (json === undefined) {
    json = JSON.stringify(text);
    if (quotedCache.size < MAX_QUOTED) quotedCache.set(text, json);
  }
  return json;
}

/** Last millisecond toISOString writes as `YYYY-…Z` (later years get a sign and six digits). */
const MAX_PLAIN_ISO_MS = 253402300799999;

/** `"2025-06-14T09:35:30.123Z"` for epoch ms (as `new Date(ms).toISOString()` writes it), `null` for null. */
function createIsoJson(): (ms: number | null) => string {
  let minute = Number.NaN;
  let prefix = '';
  return (ms) => {
    if (ms === null) return 'null';
    const whole = Math.trunc(ms); // Date truncates fractions too
    if (whole < 0 || whole > MAX_PLAIN_ISO_MS) return JSON.stringify(new Date(ms).toISOString());
    const thisMinute = Math.floor(whole / 60_000);
    if (thisMinute !== minute) {
      minute = thisMinute;
      prefix = new Date(thisMinute * 60_000).toISOString().slice(0, 17);
    }
    const inMinute = whole - thisMinute * 60_000;
    const seconds = Math.floor(inMinute / 1000);
    const millis = inMinute - seconds * 1000;
    return `"${prefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z"`;
  };
}

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
