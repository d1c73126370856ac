import type { Level, LogEvent, TimeSource } from './types.js';

/**
 * What a format parser reads from one line; parse-line.ts adds provenance and resolves inheritance.
 * `timeSource: 'inherited'` with `time: null` asks for the previous line's time; `'none'` with `time: null` means
 * the line has a time that cannot be placed (year-less without an anchor) and must not borrow one.
 */
export type ParsedLine = Omit<LogEvent, 'file' | 'line' | 'raw'>;

/** One constructor, so every parsed line shares a single object shape. */
export function parsedLine(
  time: number | null,
  timeSource: TimeSource,
  level: Level | null,
  message: string,
  format: string,
  fields: Record<string, string> | null,
): ParsedLine {
  return { time, timeSource, level, message, format, fields };
}

/** A line with no recognised layout: the text is the message, the time comes from the line before. */
export function plainLine(text: string): ParsedLine {
  return parsedLine(null, 'inherited', null, text, 'plain', null);
}

/** An empty field record that cannot collide with Object.prototype keys (`__proto__`, `constructor`). */
export function newFields(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}
