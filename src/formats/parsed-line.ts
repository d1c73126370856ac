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

/**
 * Field records inherit from a prototype-less object: no Object.prototype keys (`__proto__`, `constructor`) to
 * collide with field names, while V8 keeps them fast-mode objects (Object.create(null) objects are dictionaries,
 * about twice as slow to fill).
 */
function FieldRecord(): void {}
FieldRecord.prototype = Object.create(null) as object;
const FieldRecordConstructor = FieldRecord as unknown as new () => Record<string, string>;

export function newFields(): Record<string, string> {
  return new FieldRecordConstructor();
}
