import { parseRfc3339 } from './fast-time.js';
import { levelFromWord } from './level.js';
import { newFields, parsedLine, type ParsedLine } from './parsed-line.js';
import type { WallClock } from './year-anchor.js';

/**
 * Calico (calico-node / felix in rke2-canal): `2025-06-14 09:37:35.230 [INFO][73] felix/summary.go 100: msg`.
 * No zone in the line: the context's zone applies (`assumed-zone`).
 */
export function parseCalico(text: string, clock: WallClock): ParsedLine | null {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(10) !== 32 || text.charCodeAt(23) !== 32 || text.charCodeAt(24) !== 91) return null;
  const wall = parseRfc3339(`${text.slice(0, 10)}T${text.slice(11, 23)}Z`);
  const levelEnd = text.indexOf(']', 25);
  if (wall === null || levelEnd < 0) return null;
  const level = levelFromWord(text.slice(25, levelEnd));
  let messageStart = levelEnd + 1;
  const fields = newFields();
  if (text.charCodeAt(messageStart) === 91) {
    const pidEnd = text.indexOf(']', messageStart);
    if (pidEnd > 0) {
      fields.pid = text.slice(messageStart + 1, pidEnd);
      messageStart = pidEnd + 1;
    }
  }
  if (text.charCodeAt(messageStart) === 32) messageStart++;
  return parsedLine(clock.wallToUtc(wall), 'assumed-zone', level, text.slice(messageStart), 'calico', fields);
}
