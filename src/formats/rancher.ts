import { parseSlashDateTime } from './fast-time.js';
import { levelFromWord } from './level.js';
import { parsedLine, type ParsedLine } from './parsed-line.js';
import type { Level } from './types.js';
import type { WallClock } from './year-anchor.js';

/**
 * Rancher (Go `log`): `YYYY/MM/DD HH:MM:SS [LEVEL] msg`. No zone in the line: the context's zone applies
 * (`assumed-zone`). Go `log` lines without a level bracket keep level null.
 */
export function parseRancher(text: string, clock: WallClock): ParsedLine | null {
  if (text.charCodeAt(4) !== 47) return null;
  const timeEnd = text.charCodeAt(19) === 46 ? wordEnd(text, 20) : 19;
  if (timeEnd !== text.length && text.charCodeAt(timeEnd) !== 32) return null;
  const wall = parseSlashDateTime(text, 0, timeEnd);
  if (wall === null) return null;

  let messageStart = Math.min(timeEnd + 1, text.length);
  let level: Level | null = null;
  if (text.charCodeAt(messageStart) === 91) {
    const close = text.indexOf(']', messageStart);
    if (close > 0 && close - messageStart <= 8) {
      level = levelFromWord(text.slice(messageStart + 1, close).trim());
      if (level !== null) messageStart = text.charCodeAt(close + 1) === 32 ? close + 2 : close + 1;
    }
  }
  return parsedLine(clock.wallToUtc(wall), 'assumed-zone', level, text.slice(messageStart), 'rancher', null);
}

function wordEnd(text: string, from: number): number {
  const space = text.indexOf(' ', from);
  return space < 0 ? text.length : space;
}
