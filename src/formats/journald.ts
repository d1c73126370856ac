import { parseMonthDayTime } from './fast-time.js';
import { parseJsonLine } from './json-line.js';
import { parseKlog } from './klog.js';
import { parseLogrus } from './logrus.js';
import { newFields, parsedLine, plainLine, type ParsedLine } from './parsed-line.js';
import type { WallClock } from './year-anchor.js';

const WRAPPED_FORMATS: Record<string, string> = {
  logrus: 'journald/logrus',
  json: 'journald/json',
  klog: 'journald/klog',
};

/**
 * journalctl `short-precise` / `short`: `Mon DD HH:MM:SS[.uuuuuu] <host> <ident>[<pid>]: <msg>` (year-less, node
 * zone). A logrus/JSON/klog message (rke2, rancher-system-agent) gives level, message and fields, while the time
 * stays the journal's (the emission time): format `journald/<inner>`. Fields: `host`, `ident`, `pid`.
 */
export function parseJournald(text: string, clock: WallClock): ParsedLine | null {
  if (text.charCodeAt(3) !== 32) return null;
  const timeEnd = text.charCodeAt(15) === 46 ? text.indexOf(' ', 16) : 15;
  if (timeEnd < 0 || text.charCodeAt(timeEnd) !== 32) return null;
  const stamp = parseMonthDayTime(text, 0, timeEnd);
  if (stamp === null) return null;
  const hostEnd = text.indexOf(' ', timeEnd + 1);
  if (hostEnd <= timeEnd + 1) return null;
  const colon = identEnd(text, hostEnd + 1);
  if (colon < 0) return null;

  const fields = newFields();
  fields.host = text.slice(timeEnd + 1, hostEnd);
  const open = text.charCodeAt(colon - 1) === 93 ? text.lastIndexOf('[', colon) : -1;
  if (open > hostEnd + 1) {
    fields.ident = text.slice(hostEnd + 1, open);
    fields.pid = text.slice(open + 1, colon - 1);
  } else {
    fields.ident = text.slice(hostEnd + 1, colon);
  }
  const message = text.slice(Math.min(colon + 2, text.length));
  const time = clock.yearlessToUtc(stamp);
  const timeSource = time === null ? 'none' : 'inferred-year';

  const inner = fields.ident === 'kernel' ? null : parseWrapped(message, clock);
  if (inner === null) return parsedLine(time, timeSource, null, message, 'journald', fields);
  if (inner.fields !== null) {
    for (const key in inner.fields) if (!(key in fields)) fields[key] = inner.fields[key];
  }
  return parsedLine(time, timeSource, inner.level, inner.message, WRAPPED_FORMATS[inner.format], fields);
}

/** Index of the `:` ending `<ident>[<pid>]:` (followed by a space or the end of the line), or -1. */
function identEnd(text: string, from: number): number {
  const colon = text.indexOf(': ', from);
  if (colon >= 0) return colon;
  return text.charCodeAt(text.length - 1) === 58 && text.length - 1 > from ? text.length - 1 : -1;
}

function parseWrapped(message: string, clock: WallClock): ParsedLine | null {
  switch (message.charCodeAt(0)) {
    case 116: // t
      return parseLogrus(message);
    case 123: // {
      return parseJsonLine(message);
    case 73:
    case 87:
    case 69:
    case 70:
      return parseKlog(message, clock);
    default:
      return null;
  }
}

export type JournalMarker = 'reboot' | 'boot' | 'no-entries' | 'logs-begin';

/**
 * journalctl separator lines: `-- Reboot --`, `-- Boot <id> --`, `-- No entries --`, `-- Logs begin at ... --`
 * (`-- Journal begins at ... --` on newer systemd). The message is the text between the dashes.
 */
export function parseJournalMarker(text: string): ParsedLine | null {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  if (end < 6 || !text.startsWith('-- ') || !text.startsWith(' --', end - 3)) return null;
  const body = text.slice(3, end - 3);
  const marker = markerKind(body);
  if (marker === null) return null;
  const fields = newFields();
  fields.marker = marker;
  if (marker === 'boot') fields.boot = body.slice(5);
  return parsedLine(null, 'inherited', null, body, 'journal-marker', fields);
}

function markerKind(body: string): JournalMarker | null {
  if (body === 'Reboot') return 'reboot';
  if (body === 'No entries') return 'no-entries';
  if (body.startsWith('Boot ')) return 'boot';
  if (body.startsWith('Logs begin at ') || body.startsWith('Journal begins at ')) return 'logs-begin';
  return null;
}

/**
 * One line of a journal dump. Indented lines continue the previous message (unless they are whole entries that a
 * paste indented); anything else without a header — the cut first line of `tail -c` — is plain. Both inherit.
 */
export function parseJournalLine(text: string, clock: WallClock): ParsedLine {
  const c0 = text.charCodeAt(0);
  if (c0 === 45) return parseJournalMarker(text) ?? plainLine(text);
  if (c0 === 32 || c0 === 9) {
    const content = text.trimStart();
    return parseJournald(content, clock) ?? parsedLine(null, 'inherited', null, content, 'journald-continuation', null);
  }
  return parseJournald(text, clock) ?? plainLine(text);
}
