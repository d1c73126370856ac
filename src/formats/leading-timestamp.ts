import { parseRfc3339 } from './fast-time.js';
import { parsedLine, type ParsedLine } from './parsed-line.js';

/**
 * A line that starts with its own RFC 3339 time and a space, then free text: shell entrypoints that print `$(date -Iseconds)`
 * (rke2-multus: `2025-06-14T09:36:45+00:00 Generating Multus configuration file ...`).
 */
export function parseLeadingTimestamp(text: string): ParsedLine | null {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(10) !== 84) return null;
  const space = text.indexOf(' ', 19);
  if (space < 0 || space > 40) return null;
  const time = parseRfc3339(text, 0, space);
  if (time === null) return null;
  return parsedLine(time, 'explicit', null, text.slice(space + 1), 'timestamped', null);
}
