import { parseCalico } from './calico.js';
import { parseDmesg } from './dmesg.js';
import { parseJsonLine } from './json-line.js';
import { parseKlog } from './klog.js';
import { parseLeadingTimestamp } from './leading-timestamp.js';
import { parseLogfmt } from './logfmt.js';
import { parseLogrus } from './logrus.js';
import { newFields, plainLine, type ParsedLine } from './parsed-line.js';
import { parseRancher } from './rancher.js';
import { parseXtrace } from './xtrace.js';
import type { WallClock } from './year-anchor.js';

/**
 * An application's own line (after the kubelet prefix, in an upgrade-log archive, in a node log file), its format
 * sniffed from the first characters. Never null: an unrecognised line is `plain` and inherits its time.
 */
export function parseInnerLine(text: string, clock: WallClock): ParsedLine {
  return sniff(text, clock, true) ?? plainLine(text);
}

function sniff(text: string, clock: WallClock, allowProcessPrefix: boolean): ParsedLine | null {
  const c0 = text.charCodeAt(0);
  switch (c0) {
    case 123: // {
      return parseJsonLine(text);
    case 116: // t
      return parseLogrus(text) ?? parseLogfmt(text);
    case 73: // I
    case 87: // W
    case 69: // E
    case 70: // F
      return parseKlog(text, clock);
    case 91: // [
      return parseDmesg(text, clock) ?? (allowProcessPrefix ? parseProcessPrefixed(text, clock) : null);
    case 43: // +
      return parseXtrace(text);
    case 32:
    case 9:
      return parseIndented(text);
    default:
      if (c0 >= 48 && c0 <= 57) return parseRancher(text, clock) ?? parseCalico(text, clock) ?? parseLeadingTimestamp(text);
      if (c0 >= 97 && c0 <= 122) return parseLogfmt(text);
      return null;
  }
}

/**
 * Longhorn instance-manager relays its own and its engine/replica processes' lines as `[<process>] <line>`.
 * The prefix is taken only when the rest is a known format, so plain text in brackets stays plain.
 */
function parseProcessPrefixed(text: string, clock: WallClock): ParsedLine | null {
  const close = text.indexOf('] ', 1);
  if (close <= 1 || text.indexOf(' ', 1) < close) return null;
  const inner = sniff(text.slice(close + 2), clock, false);
  if (inner === null) return null;
  const fields = inner.fields ?? newFields();
  if (!('process' in fields)) fields.process = text.slice(1, close);
  inner.fields = fields;
  return inner;
}

/** Indented JSON or logfmt (a log re-indented by a paste or a wrapper); other indented text is plain. */
function parseIndented(text: string): ParsedLine | null {
  let i = 1;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  const c = text.charCodeAt(i);
  if (c === 123) return parseJsonLine(text.slice(i));
  if (c >= 97 && c <= 122) return parseLogrus(text.slice(i)) ?? parseLogfmt(text.slice(i));
  return null;
}
