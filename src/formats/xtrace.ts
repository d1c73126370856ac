import { parsedLine, type ParsedLine } from './parsed-line.js';

/** bash `set -x` trace of the upgrade job scripts: `+ cmd`, `++ cmd` (nesting depth = number of `+`). */
export function parseXtrace(text: string): ParsedLine | null {
  let i = 0;
  while (text.charCodeAt(i) === 43) i++;
  if (i === 0 || text.charCodeAt(i) !== 32) return null;
  return parsedLine(null, 'inherited', null, text.slice(i + 1), 'xtrace', null);
}
