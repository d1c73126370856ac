import type { MemberInfo } from '../bundle/types.js';
import type { LogEvent } from '../formats/types.js';
import type { RecordRender, SortedSpool } from './sorted-spool.js';

/**
 * The `events --format jsonl` records: one normalised line with its provenance, keys in a fixed order —
 * `{"time","timeSource","file","line","node","namespace","pod","container","component","format","level","message"}`,
 * exactly as JSON.stringify writes that object. Encoded by hand because `events` writes one per line of the bundle.
 *
 * They are spooled for the time sort without their member's fields (more than half of a record's bytes) and put back
 * together while they are written out: the run files carry half the bytes. A spooled record is its head (time, time
 * source) and tail (format, level, message); its tag names the member and where the head ends, its aux is the line
 * number. A record that cannot be told so (another file than its member's, a line number over 32 bits) is spooled
 * whole, tag 0.
 */
export interface EventSpooler {
  add(spool: SortedSpool, key: number, event: LogEvent, member: MemberInfo): void;
  /** Writes each record whole. */
  readonly render: RecordRender;
}

/** The low byte of a tag is the head's length (the head is ASCII: a time and a time source); the rest, member + 1. */
const HEAD_SPAN = 256;
const MAX_TAG = 0xffffffff;
/** The longest line number the digits of a record can take. */
const LINE_DIGITS = 10;

export function createEventSpooler(): EventSpooler {
  const encode = createRecordEncoder();
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
      const tagBase = (lastIndex + 1) * HEAD_SPAN;
      const line = event.line;
      const tellable = event.file === member.path && tagBase + HEAD_SPAN - 1 <= MAX_TAG && Number.isInteger(line) && line >= 0 && line <= MAX_TAG;
      if (tellable) {
        const at = spool.reserve(encode.mostBytes(event));
        const out = spool.buffer;
        const headEnd = encode.head(event, out, at);
        if (headEnd - at < HEAD_SPAN) {
          spool.commit(key, encode.tail(event, out, headEnd), tagBase + headEnd - at, line);
          return;
        }
      }
      // rare: the part between head and tail written as text, once
      const middle = `${fileAndLineKeys(event.file)}${line}${memberFields(member)}`;
      const at = spool.reserve(encode.mostBytes(event) + middle.length * 3);
      const out = spool.buffer;
      const middleEnd = encode.head(event, out, at);
      spool.commit(key, encode.tail(event, out, middleEnd + out.write(middle, middleEnd, 'utf8')));
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

/**
 * A record's head and tail written as UTF-8 straight into a buffer: the pieces that recur (keys, time source, format,
 * level, the minute of the time) are encoded once, and a message that needs no escaping is copied as it is.
 */
function createRecordEncoder(): {
  /** Most bytes head and tail of this event take; head and tail then write this event. */
  mostBytes(event: LogEvent): number;
  /** Writes the head at `at`; returns where it ends. */
  head(event: LogEvent, out: Buffer, at: number): number;
  /** Writes the tail at `at`; returns where it ends. */
  tail(event: LogEvent, out: Buffer, at: number): number;
} {
  // formats, levels and time sources are small fixed sets: these maps stay small
  const timeSources = new Map<string, Buffer>();
  const tails = new Map<string, Map<string | null, Buffer>>();
  const minuteJson = createMinuteJson();
  const timeSourcePiece = (timeSource: string): Buffer => {
    let piece = timeSources.get(timeSource);
    if (piece === undefined) {
      piece = Buffer.from(`,"timeSource":${JSON.stringify(timeSource)}`);
      timeSources.set(timeSource, piece);
    }
    return piece;
  };
  const tailPiece = (format: string, level: string | null): Buffer => {
    let byLevel = tails.get(format);
    if (byLevel === undefined) tails.set(format, (byLevel = new Map()));
    let piece = byLevel.get(level);
    if (piece === undefined) {
      piece = Buffer.from(`,"format":${JSON.stringify(format)},"level":${JSON.stringify(level)},"message":`);
      byLevel.set(level, piece);
    }
    return piece;
  };
  // the pieces of the event mostBytes measured, looked up once for head and tail
  let timeSource: Buffer = TIME_KEY;
  let tailStart: Buffer = TIME_KEY;
  return {
    mostBytes(event) {
      timeSource = timeSourcePiece(event.timeSource);
      tailStart = tailPiece(event.format, event.level);
      return TIME_KEY.length + MOST_TIME_BYTES + timeSource.length + tailStart.length + event.message.length * MOST_BYTES_PER_UNIT + 3;
    },
    head(event, out, at) {
      // the time as new Date(ms).toISOString() writes it
      let next = putBytes(out, at, TIME_KEY);
      const ms = event.time;
      if (ms === null) next = putBytes(out, next, NULL);
      else {
        const whole = Math.trunc(ms); // Date truncates fractions too
        if (whole < 0 || whole > MAX_PLAIN_ISO_MS) next += out.write(JSON.stringify(new Date(ms).toISOString()), next, 'latin1');
        else {
          const minute = Math.floor(whole / 60_000);
          next = putBytes(out, next, minuteJson(minute));
          const inMinute = whole - minute * 60_000;
          const seconds = Math.floor(inMinute / 1000);
          const millis = inMinute - seconds * 1000;
          out[next] = 48 + Math.floor(seconds / 10);
          out[next + 1] = 48 + (seconds % 10);
          out[next + 2] = 46; // .
          out[next + 3] = 48 + Math.floor(millis / 100);
          out[next + 4] = 48 + (Math.floor(millis / 10) % 10);
          out[next + 5] = 48 + (millis % 10);
          out[next + 6] = 90; // Z
          out[next + 7] = 34; // "
          next += 8;
        }
      }
      return putBytes(out, next, timeSource);
    },
    tail(event, out, at) {
      const next = putJsonString(out, putBytes(out, at, tailStart), event.message);
      out[next] = 125; // }
      return next + 1;
    },
  };
}

/** Copies `piece` to `at`; returns where it ends. A loop: the pieces are short, and Buffer#copy costs more to call. */
function putBytes(out: Buffer, at: number, piece: Buffer): number {
  const length = piece.length;
  for (let i = 0; i < length; i++) out[at + i] = piece[i];
  return at + length;
}

const TIME_KEY = Buffer.from('{"time":');
const NULL = Buffer.from('null');
/** The longest JSON of a time: `"+275760-09-13T00:00:00.000Z"`. */
const MOST_TIME_BYTES = 32;
/** A UTF-16 unit takes at most 6 bytes in a JSON string (`\u001f`, a lone surrogate's `\udfff`). */
const MOST_BYTES_PER_UNIT = 6;

/** `"YYYY-MM-DDTHH:MM:` of the minute last asked for, as bytes. */
function createMinuteJson(): (minute: number) => Buffer {
  let last = Number.NaN;
  let bytes = Buffer.alloc(0);
  return (minute) => {
    if (minute !== last) {
      last = minute;
      bytes = Buffer.from(`"${new Date(minute * 60_000).toISOString().slice(0, 17)}`, 'latin1');
    }
    return bytes;
  };
}

/**
 * Writes `text` as JSON.stringify would, as UTF-8, at `at`; returns where it ends. Most log messages are printable
 * ASCII without `"` or `\`, whose UTF-8 is their JSON text: they are written as they are and checked; anything else
 * (every non-ASCII character encodes to bytes over 0x7e) is written again through JSON.stringify.
 */
function putJsonString(out: Buffer, at: number, text: string): number {
  out[at] = 34;
  const end = at + 1 + out.write(text, at + 1, 'utf8');
  for (let i = at + 1; i < end; i++) {
    const byte = out[i];
    if (byte < 0x20 || byte > 0x7e || byte === 34 || byte === 92) return at + out.write(JSON.stringify(text), at, 'utf8');
  }
  out[end] = 34;
  return end + 1;
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

/** Last millisecond toISOString writes as `YYYY-…Z` (later years get a sign and six digits). */
const MAX_PLAIN_ISO_MS = 253402300799999;

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
