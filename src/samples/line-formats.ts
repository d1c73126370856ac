/**
 * Writers of the real line formats found in a Harvester support bundle (bundle-layout.md §7–§9).
 * Times are UTC epoch microseconds (`Micros`): enough for journald/klog/KubeVirt precision and exact in a double.
 * Sub-microsecond digits (CRI prefix, containerd) come from the caller so output stays deterministic.
 */

export type Micros = number;

export const US_PER_MS = 1000;
export const US_PER_S = 1_000_000;
export const US_PER_MIN = 60 * US_PER_S;
export const US_PER_H = 60 * US_PER_MIN;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const p2 = (n: number): string => String(n).padStart(2, '0');

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  us: number;
}

function parts(t: Micros): Parts {
  const ms = Math.floor(t / US_PER_MS);
  const date = new Date(ms);
  return {
    y: date.getUTCFullYear(),
    mo: date.getUTCMonth() + 1,
    d: date.getUTCDate(),
    h: date.getUTCHours(),
    mi: date.getUTCMinutes(),
    s: date.getUTCSeconds(),
    us: t - Math.floor(t / US_PER_S) * US_PER_S,
  };
}

/** Parses `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` (UTC) into micros; the one way scenario times are written down. */
export function utc(text: string): Micros {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?Z$/.exec(text);
  if (!m) throw new Error(`not a UTC time: ${text}`);
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return ms * US_PER_MS + (m[7] ? Number(m[7].padEnd(6, '0')) : 0);
}

/** `2025-06-14T09:41:07Z` — Kubernetes object times (second precision). */
export function rfc3339(t: Micros): string {
  const p = parts(t);
  return `${p.y}-${p2(p.mo)}-${p2(p.d)}T${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}Z`;
}

/** `2025-06-14T09:41:07.123456Z` — KubeVirt `timestamp`, events.k8s.io `eventTime`. */
export function rfc3339Micro(t: Micros): string {
  const p = parts(t);
  return `${p.y}-${p2(p.mo)}-${p2(p.d)}T${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}.${String(p.us).padStart(6, '0')}Z`;
}

/** `2025-06-14T09:41:07.123Z` — Prometheus / go-kit `ts`. */
function rfc3339Milli(t: Micros): string {
  const p = parts(t);
  return `${p.y}-${p2(p.mo)}-${p2(p.d)}T${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}.${String(Math.floor(p.us / 1000)).padStart(3, '0')}Z`;
}

/** Fixed-width RFC3339Nano (`2006-01-02T15:04:05.000000000Z07:00`); `subUs` supplies the last three digits. */
export function rfc3339Nano(t: Micros, subUs: number): string {
  const p = parts(t);
  const frac = String(p.us).padStart(6, '0') + String(subUs).padStart(3, '0');
  return `${p.y}-${p2(p.mo)}-${p2(p.d)}T${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}.${frac}Z`;
}

/** Go's RFC3339Nano as logrus/containerd print it: trailing zeros of the fraction dropped. */
function rfc3339NanoTrimmed(t: Micros, subUs: number): string {
  const full = rfc3339Nano(t, subUs);
  const [head, frac] = full.slice(0, -1).split('.');
  const trimmed = frac.replace(/0+$/, '');
  return trimmed ? `${head}.${trimmed}Z` : `${head}Z`;
}

/** Support-bundle pod-log line: kubelet log-API timestamp, one space, the container's own line. */
export const criLine = (t: Micros, subUs: number, text: string): string => `${rfc3339Nano(t, subUs)} ${text}`;

/** journalctl `-o short-precise`: `Jun 14 09:41:07.123456 host ident[pid]: message` (no year, node-local time). */
export function journalLine(t: Micros, host: string, ident: string, pid: number | null, message: string): string {
  const p = parts(t);
  const who = pid === null ? ident : `${ident}[${pid}]`;
  return `${MONTHS[p.mo - 1]} ${p2(p.d)} ${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}.${String(p.us).padStart(6, '0')} ${host} ${who}: ${message}`;
}

/** klog header `I0614 09:41:07.123456    2031 file.go:123] message` (thread id `%7d`). */
export function klogLine(t: Micros, level: 'I' | 'W' | 'E' | 'F', tid: number, source: string, message: string): string {
  const p = parts(t);
  return `${level}${p2(p.mo)}${p2(p.d)} ${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}.${String(p.us).padStart(6, '0')} ${String(tid).padStart(7)} ${source}] ${message}`;
}

/** Go's strconv.Quote for the ASCII/UTF-8 text these logs carry. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** logrus TextFormatter: values are quoted unless made of `[A-Za-z0-9-._/@^+]` only. */
const logrusValue = (v: string): string => (/^[A-Za-z0-9\-._/@^+]*$/.test(v) ? v : goQuote(v));

export type Fields = readonly (readonly [string, string | number | boolean])[];

function fieldText(fields: Fields): string {
  return fields.map(([k, v]) => ` ${k}=${logrusValue(String(v))}`).join('');
}

/** logrus text with second-precision RFC3339 time (Harvester, Longhorn 1.7/1.8, rke2, rancherd, system-agent). Fields sorted. */
export function logrusLine(t: Micros, level: string, msg: string, fields: Fields = []): string {
  const sorted = [...fields].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `time=${goQuote(rfc3339(t))} level=${level} msg=${logrusValue(msg)}${fieldText(sorted)}`;
}

/** logrus with ReportCaller (longhorn-manager): `func=` and `file=` right after msg, then the sorted fields. */
export function logrusCallerLine(t: Micros, level: string, msg: string, func: string, file: string, fields: Fields = []): string {
  const sorted = [...fields].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `time=${goQuote(rfc3339(t))} level=${level} msg=${logrusValue(msg)} func=${logrusValue(func)} file=${logrusValue(file)}${fieldText(sorted)}`;
}

/** containerd's logrus lines carry a nanosecond time. */
export function containerdLine(t: Micros, subUs: number, level: string, msg: string, fields: Fields = []): string {
  return `time=${goQuote(rfc3339NanoTrimmed(t, subUs))} level=${level} msg=${logrusValue(msg)}${fieldText(fields)}`;
}

/** Go encoding/json string escaping (HTML-safe, as json.Marshal does). */
function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** KubeVirt's JSON logger: one object per line, keys sorted, `timestamp` in microseconds. */
export function kubevirtLine(t: Micros, record: Record<string, string | number>): string {
  const all: Record<string, string | number> = { ...record, timestamp: rfc3339Micro(t) };
  const sorted: Record<string, string | number> = {};
  for (const k of Object.keys(all).sort()) sorted[k] = all[k];
  return goJson(sorted);
}

/** zap JSON (etcd, controller-runtime): `level`, `ts`, `caller`/`logger`, `msg`, then fields in call order. */
export function zapLine(t: Micros, level: string, head: Record<string, string>, msg: string, fields: Record<string, string | number | boolean> = {}): string {
  return goJson({ level, ts: rfc3339Micro(t), ...head, msg, ...fields });
}

/** Rancher's Go `log` form: `2025/06/14 09:41:07 [INFO] message` (no zone). */
export function rancherLine(t: Micros, level: 'INFO' | 'WARNING' | 'ERROR' | 'DEBUG', message: string): string {
  const p = parts(t);
  return `${p.y}/${p2(p.mo)}/${p2(p.d)} ${p2(p.h)}:${p2(p.mi)}:${p2(p.s)} [${level}] ${message}`;
}

/** go-kit logfmt value quoting. */
const logfmtValue = (v: string): string => (v === '' || /[\s="\\]/.test(v) ? goQuote(v) : v);

/** Prometheus 2.x go-kit logfmt: `ts=… caller=… level=… [component=…] msg="…" k=v`. */
export function promLine(t: Micros, caller: string, level: string, msg: string, fields: Fields = [], component?: string): string {
  const comp = component ? ` component=${component}` : '';
  return `ts=${rfc3339Milli(t)} caller=${caller} level=${level}${comp} msg=${logfmtValue(msg)}${fields.map(([k, v]) => ` ${k}=${logfmtValue(String(v))}`).join('')}`;
}

/** `20250614` — the daily time key of UpgradeLog archive members. */
export function dayKey(t: Micros): string {
  const p = parts(t);
  return `${p.y}${p2(p.mo)}${p2(p.d)}`;
}

/** `2025-06-14T12-31-07Z` — bundle and archive names (':' replaced by '-'). */
export const fileStamp = (t: Micros): string => rfc3339(t).replace(/:/g, '-');
