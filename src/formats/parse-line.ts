import type { MemberInfo } from '../bundle/types.js';
import { parseCriLine } from './cri-prefix.js';
import { parseInnerLine } from './inner-line.js';
import { parseJournald, parseJournalLine, parseJournalMarker } from './journald.js';
import { plainLine, type ParsedLine } from './parsed-line.js';
import type { LogEvent, TimeContext } from './types.js';
import { createWallClock, type WallClock } from './year-anchor.js';

/** Parses the lines of one member in order; keeps the last known time for lines without one. */
export interface LineParser {
  /**
   * `skipped`: the lines before this one that were not parsed, nearest first; a line without a time of its own
   * inherits the time of the nearest of them that has one (else of the last line parsed).
   */
  parse(raw: string, lineNo: number, skipped?: Iterable<string>): LogEvent;
  /** The time the line carries itself, if any; the parser's state is untouched. */
  ownTime(raw: string): number | null;
}

type Layout = (text: string, clock: WallClock) => ParsedLine;

/**
 * The parser for one member: the layout follows from the member (kubelet-prefixed pod log, journal dump, an
 * application's own lines, a loose log of unknown layout, or no log at all); the inner format is sniffed per line.
 * Throws a RangeError only for an unknown `time.zone` (see `isKnownZone`); never for a line.
 */
export function createLineParser(member: MemberInfo, time: TimeContext): LineParser {
  const clock = createWallClock(time);
  const layout = layoutFor(member);
  const file = member.path;
  let lastTime: number | null = null;
  return {
    parse(raw, lineNo, skipped) {
      const parsed = parseSafely(layout, raw, clock);
      let { time: eventTime, timeSource } = parsed;
      if (eventTime !== null) lastTime = eventTime;
      else if (timeSource === 'inherited') {
        if (skipped) lastTime = nearestTime(layout, skipped, clock) ?? lastTime;
        if (lastTime === null) timeSource = 'none';
        else eventTime = lastTime;
      }
      return {
        time: eventTime,
        timeSource,
        level: parsed.level,
        message: parsed.message,
        format: parsed.format,
        fields: parsed.fields,
        file,
        line: lineNo,
        raw,
      };
    },
    ownTime: (raw) => parseSafely(layout, raw, clock).time,
  };
}

/** A time read from the line itself, not inherited from the lines before it. */
export const hasOwnTime = (event: LogEvent): boolean =>
  event.time !== null && event.timeSource !== 'inherited' && event.timeSource !== 'none';

function parseSafely(layout: Layout, raw: string, clock: WallClock): ParsedLine {
  const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
  try {
    return layout(text, clock);
  } catch {
    // A parser bug must cost one line's structure, not the analysis: data problems never throw.
    return plainLine(text);
  }
}

/** The time of the first of `lines` that has one of its own. */
function nearestTime(layout: Layout, lines: Iterable<string>, clock: WallClock): number | null {
  for (const line of lines) {
    const { time } = parseSafely(layout, line, clock);
    if (time !== null) return time;
  }
  return null;
}

function layoutFor(member: MemberInfo): Layout {
  if (member.criPrefixed) return parseKubeletPrefixed;
  switch (member.kind) {
    case 'node-journal':
    case 'kernel-log':
      return parseJournalLine;
    case 'pod-log': // upgrade-log archive: fluentd `single_value`, the bare application line
    case 'node-log':
      return parseInnerLine;
    case 'log':
    case 'unknown':
      return parseAnyLine;
    default:
      // tables, YAML and JSON documents, configs, the generation error list: text without times
      return plainLine;
  }
}

/** Support-bundle pod log: every line should carry the kubelet prefix; one without it is read as it stands. */
function parseKubeletPrefixed(text: string, clock: WallClock): ParsedLine {
  return parseCriLine(text, clock) ?? parseInnerLine(text, clock);
}

/** A log of unknown origin: kubelet/CRI-prefixed, journal or application lines, decided per line. */
function parseAnyLine(text: string, clock: WallClock): ParsedLine {
  const c0 = text.charCodeAt(0);
  let parsed: ParsedLine | null = null;
  if (c0 >= 48 && c0 <= 57) parsed = parseCriLine(text, clock);
  else if (c0 >= 65 && c0 <= 90) parsed = parseJournald(text, clock);
  else if (c0 === 45) parsed = parseJournalMarker(text);
  return parsed ?? parseInnerLine(text, clock);
}
