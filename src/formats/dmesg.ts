import { parseCtime } from './fast-time.js';
import { newFields, parsedLine, type ParsedLine } from './parsed-line.js';
import type { WallClock } from './year-anchor.js';

/**
 * dmesg: `[  407.202854] msg` (seconds since boot: no wall time, the line inherits; `uptime` field kept) and
 * `dmesg -T`: `[Sun Feb  9 00:15:09 2025] msg` (local time of the node, zone from context).
 */
export function parseDmesg(text: string, clock: WallClock): ParsedLine | null {
  if (text.charCodeAt(0) !== 91) return null;
  const close = text.indexOf(']', 1);
  if (close < 0) return null;
  const messageStart = text.charCodeAt(close + 1) === 32 ? close + 2 : close + 1;

  let uptimeStart = 1;
  while (text.charCodeAt(uptimeStart) === 32) uptimeStart++;
  if (isDecimal(text, uptimeStart, close)) {
    const fields = newFields();
    fields.uptime = text.slice(uptimeStart, close);
    return parsedLine(null, 'inherited', null, text.slice(messageStart), 'dmesg', fields);
  }
  const wall = parseCtime(text, 1, close);
  if (wall === null) return null;
  return parsedLine(clock.wallToUtc(wall), 'assumed-zone', null, text.slice(messageStart), 'dmesg', null);
}

/** `digits.digits` exactly spanning [from, to). */
function isDecimal(text: string, from: number, to: number): boolean {
  let dot = -1;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && dot < 0 && i > from) dot = i;
    else if (c < 48 || c > 57) return false;
  }
  return dot > 0 && dot < to - 1;
}
