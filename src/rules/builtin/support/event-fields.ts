import type { LogEvent } from '../../../formats/types.js';

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const patterns = new Map<string, RegExp>();

const valuePattern = (key: string): RegExp => {
  let re = patterns.get(key);
  if (!re) {
    // key="value" (klog, logrus), "key":"value" (JSON) or key=value (logfmt, klog numbers)
    const k = escapeRegExp(key);
    re = new RegExp(`(?:^|[\\s{,])(?:${k}=\\\\?"((?:[^"\\\\]|\\\\.)*?)\\\\?"|"${k}":"((?:[^"\\\\]|\\\\.)*)"|${k}=([^\\s",}]+))`);
    patterns.set(key, re);
  }
  return re;
};

/** A key's value from the parsed fields of a line, else read from the raw text (parsers keep fields only when cheap). */
export const fieldOf = (event: LogEvent, key: string): string | null => {
  const parsed = event.fields?.[key];
  if (parsed !== undefined && parsed !== '') return parsed;
  const m = valuePattern(key).exec(event.raw);
  if (!m) return null;
  const value = m[1] ?? m[2] ?? m[3] ?? null;
  return value === null || value === '' ? null : value;
};

/** The message with JSON-escaped quotes undone, so patterns match whether or not a parser unescaped it. */
export const plainMessage = (event: LogEvent): string =>
  event.message.includes('\\"') ? event.message.replace(/\\"/g, '"') : event.message;
