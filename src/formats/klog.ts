import { parseKlogTime } from './fast-time.js';
import { closingQuote, unescapeGo } from './go-quoted.js';
import { scanKeyValues } from './key-values.js';
import { levelFromKlogLetter } from './level.js';
import { newFields, parsedLine, type ParsedLine } from './parsed-line.js';
import type { WallClock } from './year-anchor.js';

/**
 * klog: `[IWEF]MMDD HH:MM:SS.uuuuuu <thread id, right-aligned> <file>:<line>] <msg>` (year-less, node zone).
 * A structured message (`"Observed pod startup duration" pod="ns/name" k=v`) gives the quoted text as the message
 * and the pairs as fields; `source` is `<file>:<line>`.
 */
export function parseKlog(text: string, clock: WallClock): ParsedLine | null {
  const level = levelFromKlogLetter(text.charCodeAt(0));
  if (level === null || text.charCodeAt(5) !== 32) return null;
  const timeEnd = text.charCodeAt(14) === 46 ? wordEnd(text, 15) : 14;
  if (text.charCodeAt(timeEnd) !== 32) return null;
  const stamp = parseKlogTime(text, 1, timeEnd);
  if (stamp === null) return null;

  let i = timeEnd;
  while (text.charCodeAt(i) === 32) i++;
  let messageStart = i;
  let source: string | null = null;
  const threadStart = i;
  while (isDigit(text.charCodeAt(i))) i++;
  if (i > threadStart && text.charCodeAt(i) === 32) {
    const bracket = text.indexOf(']', i + 1);
    const space = text.indexOf(' ', i + 1);
    if (bracket > i + 1 && (space < 0 || space > bracket)) {
      source = text.slice(i + 1, bracket);
      messageStart = text.charCodeAt(bracket + 1) === 32 ? bracket + 2 : bracket + 1;
    }
  }

  let fields: Record<string, string> | null = null;
  if (source !== null) {
    fields = newFields();
    fields.source = source;
  }
  let message: string;
  if (text.charCodeAt(messageStart) === 34) {
    const close = closingQuote(text, messageStart);
    message = unescapeGo(text, messageStart + 1, close);
    const pairs = scanKeyValues(text, close + 1);
    if (pairs.length > 0) {
      fields ??= newFields();
      for (let p = 0; p < pairs.length; p += 2) {
        if (!(pairs[p] in fields)) fields[pairs[p]] = pairs[p + 1];
      }
    }
  } else {
    message = text.slice(messageStart);
  }
  const time = clock.yearlessToUtc(stamp);
  return parsedLine(time, time === null ? 'none' : 'inferred-year', level, message, 'klog', fields);
}

function wordEnd(text: string, from: number): number {
  const space = text.indexOf(' ', from);
  return space < 0 ? text.length : space;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
