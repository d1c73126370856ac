import type { MemberInfo } from '../bundle/types.js';
import type { LogEvent } from '../formats/types.js';
import type { RecordRender, SortedSpool } from './sorted-spool.js';

/**
 * The `events --format jsonl` records: one normalised line with its provenance, keys in a fixed order —
 * `{"time","timeSource","file","line","node","namespace","pod","container","component","format","level","message"}`,
 * exactly as JSON.stringify writes that object. Built by hand because `events` writes one per line of the bundle:
 * a member's fields are encoded once per member and times once per minute.
 */
export function createEventRecorder(): (event: LogEvent, member: MemberInfo) => string {
  const parts = createRecordParts();
  let lastMember: MemberInfo | null = null;
  let fileJson = '';
  let memberJson = '';
  return (event, member) => {
    if (member !== lastMember) {
      lastMember = member;
      fileJson = fileAndLineKeys(member.path);
      memberJson = memberFields(member);
    }
    // a member's events all carry its path; should one not, it is still encoded right
    const file = event.file === lastMember.path ? fileJson : fileAndLineKeys(event.file);
    return `${parts.head(event)}${file}${event.line}${memberJson}${parts.tail(event)}`;
  };
}

/**
 * The records, spooled for the time sort without their member's fields (more than half of a record's bytes) and put
 * back together while they are written out: the run files carry half the bytes. A spooled record is its head and tail
 * (see createRecordParts); its tag names the member and where the head ends, its aux is the line number. A record that
 * cannot be told so (another file than its member's, a line number over 32 bits) is spooled whole, tag 0.
 */
export interface EventSpooler {
  add(spool: SortedSpool, key: number, event: LogEvent, member: MemberInfo): void;
  /** Writes each record as createEventRecorder would have. */
  readonly render: RecordRender;
}

/** The low byte of a tag is the head's length (the head is ASCII: a time and a time source); the rest, member + 1. */
const HEAD_SPAN = 256;
const MAX_TAG = 0xffffffff;
/** The longest line number the digits of a record can take. */
const LINE_DIGITS = 10;

export function createEventSpooler(): EventSpooler {
  const parts = createRecordParts();
  const whole = createEventRecorder();
  const members: { file: Buffer; fields: Buffer }[] = [];
  const indexes = new Map<MemberInfo, number>();
  let lastMember: MemberInfo | null = null;
  let lastIndex = 0;
  const spooledAs = (tag: number): { file: Buffer; fields: Buffer } => members[Math.floor(tag / HEAD_SPAN) - 1];
  return {
    add(spool, key, event, member) {
      if (member !== lastMember) {
        lastMember = member;
        let index = indexes.get(member);
        if (index === undefined) {
          index = members.push({ file: Buffer.from(fileAndLineKeys(member.path)), fields: Buffer.from(memberFields(member)) }) - 1;
          indexes.set(member, index);
        }
        lastIndex = index;
      }
      const head = parts.head(event);
      const tag = (lastIndex + 1) * HEAD_SPAN + head.length;
      const line = event.line;
      const tellable = event.file === member.path && head.length < HEAD_SPAN && tag <= MAX_TAG && Number.isInteger(line) && line >= 0 && line <= MAX_TAG;
      if (tellable) spool.add(key, head + parts.tail(event), tag, line);
      else spool.add(key, whole(event, member));
    },
    render: {
      extraBytes(tag) {
        if (tag === 0) return 1;
        const member = spooledAs(tag);
        return member.file.length + LINE_DIGITS + member.fields.length + 1;
      },
      render(tag, line, bytes, start, end, out, at) {
        let next = at;
        if (tag !== 0) {
          const member = spooledAs(tag);
          const headEnd = start + (tag % HEAD_SPAN);
          next += bytes.copy(out, next, start, headEnd);
          next += member.file.copy(out, next);
          next = writeDigits(out, next, line);
          next += member.fields.copy(out, next);
          next += bytes.copy(out, next, headEnd, end);
        } else next += bytes.copy(out, next, start, end);
        out[next] = 10;
        return next + 1;
      },
    },
  };
}

/** A record without its member's fields: the head (time, time source) and the tail (format, level, message). */
function createRecordParts(): { head(event: LogEvent): string; tail(event: LogEvent): string } {
  const isoJson = createIsoJson();
  return {
    head: (event) => `{"time":${isoJson(event.time)},"timeSource":${quoted(event.timeSource)}`,
    tail: (event) =>
      `,"format":${quoted(event.format)},"level":${event.level === null ? 'null' : quoted(event.level)}` +
      `,"message":${JSON.stringify(event.message)}}`,
  };
}

/** What comes between a record's head and its line number. */
const fileAndLineKeys = (file: string): string => `,"file":${JSON.stringify(file)},"line":`;

/** What comes between a record's line number and its tail. */
const memberFields = (member: MemberInfo): string =>
  `,"node":${JSON.stringify(member.node)},"namespace":${JSON.stringify(member.namespace)},"pod":${JSON.stringify(member.pod)}` +
  `,"container":${JSON.stringify(member.container)},"component":${JSON.stringify(member.component)}`;

/** Writes a whole number's decimal digits at `at`; returns where they end. */
function writeDigits(out: Buffer, at: number, value: number): number {
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  for (let i = at + digits - 1, rest = value; i >= at; i--, rest = Math.floor(rest / 10)) out[i] = 48 + (rest % 10);
  return at + digits;
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
