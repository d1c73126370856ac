import { parseKeyValueLine } from './key-values.js';
import type { ParsedLine } from './parsed-line.js';

/** Keys a logfmt log line starts with (go-kit/Prometheus in either key order, KubeVirt's old text format). */
const LEADING_KEYS = ['level=', 'ts=', 'time=', 'caller=', 'timestamp=', 'lvl=', 'msg='];

/** logfmt: `level=warn ts=2022-07-27T21:17:17.094Z caller=db.go:676 msg="..."`, keys in any order. */
export function parseLogfmt(text: string): ParsedLine | null {
  for (const key of LEADING_KEYS) {
    if (text.startsWith(key)) return parseKeyValueLine(text, 'logfmt');
  }
  return null;
}
