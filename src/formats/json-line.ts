import { epochToMs, parseTimeValue } from './fast-time.js';
import { levelFromWord } from './level.js';
import { newFields, parsedLine, type ParsedLine } from './parsed-line.js';

/**
 * One JSON object per line: KubeVirt (`{"component":..,"level":"info","msg":..,"timestamp":"..Z"}`), zap/etcd
 * (`{"level":..,"ts":"..Z" | epoch seconds,"msg":..}`), logrus JSON (`time`). Other keys become fields
 * (non-strings as JSON text).
 */
export function parseJsonLine(text: string): ParsedLine | null {
  if (text.charCodeAt(0) !== 123 || text.charCodeAt(lastNonBlank(text)) !== 125) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;

  let time: number | null = null;
  let level: string | null = null;
  let message: string | null = null;
  let fields: Record<string, string> | null = null;
  for (const key of Object.keys(record)) {
    const v = record[key];
    switch (key) {
      case 'timestamp':
      case 'ts':
      case 'time':
        time ??= typeof v === 'string' ? parseTimeValue(v) : typeof v === 'number' ? epochToMs(v) : null;
        break;
      case 'level':
      case 'lvl':
      case 'severity':
        if (typeof v === 'string') level ??= v;
        break;
      case 'msg':
      case 'message':
        if (typeof v === 'string') message ??= v;
        break;
      default:
        fields ??= newFields();
        fields[key] = typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
  return parsedLine(
    time,
    time === null ? 'inherited' : 'explicit',
    level === null ? null : levelFromWord(level),
    message ?? text,
    'json',
    fields,
  );
}

function lastNonBlank(text: string): number {
  let i = text.length - 1;
  while (i > 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  return i;
}
