import { parseTimeValue } from './fast-time.js';
import { closingQuote, unescapeGo } from './go-quoted.js';
import { levelFromWord } from './level.js';
import { newFields, parsedLine, type ParsedLine } from './parsed-line.js';

/**
 * `key=value key="quoted value" ...` from `start` as a flat [key, value, key, value, ...] list, in line order.
 * Values end at a space unless Go-quoted; a bare word is a key with an empty value (logfmt); an unterminated
 * quote (a line cut at the length limit) runs to the end.
 */
export function scanKeyValues(text: string, start: number): string[] {
  const pairs: string[] = [];
  const n = text.length;
  const tabs = text.includes('\t', start);
  // next '=' and '\\' at or after i, found once and reused until passed: each line is searched once, not per pair
  let equals = -1;
  let backslash = -1;
  let i = start;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const space = wordEnd(text, i, tabs);
    if (equals < i && equals !== n) equals = indexOrEnd(text, '=', i);
    if (equals >= space) {
      pairs.push(text.slice(i, space), '');
      i = space;
      continue;
    }
    const key = text.slice(i, equals);
    let value: string;
    if (text.charCodeAt(equals + 1) === 34) {
      const close = closingQuote(text, equals + 1);
      if (backslash < equals && backslash !== n) backslash = indexOrEnd(text, '\\', equals);
      value = backslash < close ? unescapeGo(text, equals + 2, close) : text.slice(equals + 2, close);
      i = close + 1;
    } else {
      i = wordEnd(text, equals + 1, tabs);
      value = text.slice(equals + 1, i);
    }
    if (key !== '') pairs.push(key, value);
  }
  return pairs;
}

function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index < 0 ? text.length : index;
}

/** Index of the next blank from `from`, or text.length (native indexOf: far faster than a char loop). */
function wordEnd(text: string, from: number, tabs: boolean): number {
  const space = text.indexOf(' ', from);
  const end = space < 0 ? text.length : space;
  if (!tabs) return end;
  const tab = text.indexOf('\t', from);
  return tab >= 0 && tab < end ? tab : end;
}

/** The pairs as a field record (first occurrence of a key wins), leaving out the keys `skip` accepts; null when empty. */
export function pairsToFields(pairs: string[], skip: (key: string) => boolean): Record<string, string> | null {
  let fields: Record<string, string> | null = null;
  for (let i = 0; i < pairs.length; i += 2) {
    const key = pairs[i];
    if (skip(key)) continue;
    fields ??= newFields();
    if (!(key in fields)) fields[key] = pairs[i + 1];
  }
  return fields;
}

/** Keys that carry the time, level and message in logrus, go-kit logfmt and KubeVirt's old text format. */
function isStandardKey(key: string): boolean {
  switch (key) {
    case 'time':
    case 'ts':
    case 'timestamp':
    case 'level':
    case 'lvl':
    case 'msg':
    case 'message':
      return true;
    default:
      return false;
  }
}

/**
 * A whole line of key/value pairs (logrus text, logfmt) in any key order. Null when none of the time, level or
 * message keys is present: then it is not a log line of this kind. Without `msg` the line is the message.
 */
export function parseKeyValueLine(text: string, format: string): ParsedLine | null {
  const pairs = scanKeyValues(text, 0);
  let timeValue: string | null = null;
  let levelValue: string | null = null;
  let message: string | null = null;
  for (let i = 0; i < pairs.length; i += 2) {
    const value = pairs[i + 1];
    switch (pairs[i]) {
      case 'time':
      case 'ts':
      case 'timestamp':
        timeValue ??= value;
        break;
      case 'level':
      case 'lvl':
        levelValue ??= value;
        break;
      case 'msg':
      case 'message':
        message ??= value;
        break;
    }
  }
  if (timeValue === null && levelValue === null && message === null) return null;
  const time = timeValue === null ? null : parseTimeValue(timeValue);
  return parsedLine(
    time,
    time === null ? 'inherited' : 'explicit',
    levelValue === null ? null : levelFromWord(levelValue),
    message ?? text,
    format,
    pairsToFields(pairs, isStandardKey),
  );
}
