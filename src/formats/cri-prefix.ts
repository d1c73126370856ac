import { parseRfc3339 } from './fast-time.js';
import { parseInnerLine } from './inner-line.js';
import type { ParsedLine } from './parsed-line.js';
import type { WallClock } from './year-anchor.js';

/**
 * Index of the space ending a kubelet log-API prefix — fixed-width RFC3339Nano
 * `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn(Z|±HH:MM)` — or -1.
 */
export function criPrefixEnd(text: string): number {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(19) !== 46) return -1;
  const zone = text.charCodeAt(29);
  const end = zone === 90 ? 30 : zone === 43 || zone === 45 ? 35 : -1;
  return end > 0 && text.charCodeAt(end) === 32 ? end : -1;
}

const criFormats = new Map<string, string>();

function criFormat(inner: string): string {
  let format = criFormats.get(inner);
  if (format === undefined) {
    format = `cri/${inner}`;
    criFormats.set(inner, format);
  }
  return format;
}

/**
 * A pod log line with the kubelet prefix: the prefix time wins over the line's own; the rest is parsed as the
 * application's line (`cri/<inner>`). The CRI file form of `/var/log/pods` (`<time> stdout F <line>`) is accepted.
 */
export function parseCriLine(text: string, clock: WallClock): ParsedLine | null {
  const end = criPrefixEnd(text);
  if (end < 0) return null;
  const time = parseRfc3339(text, 0, end);
  if (time === null) return null;
  const innerStart = end + 1 + streamTagLength(text, end + 1);
  const inner = parseInnerLine(text.slice(innerStart), clock);
  inner.time = time;
  inner.timeSource = 'cri-prefix';
  inner.format = criFormat(inner.format);
  return inner;
}

/** Length of a CRI `stdout F ` / `stderr P ` tag at `at`, 0 when there is none. */
function streamTagLength(text: string, at: number): number {
  if (!text.startsWith('stdout ', at) && !text.startsWith('stderr ', at)) return 0;
  const tag = text.charCodeAt(at + 7);
  if (tag !== 70 && tag !== 80) return 0;
  if (text.length === at + 8) return 8;
  return text.charCodeAt(at + 8) === 32 ? 9 : 0;
}
