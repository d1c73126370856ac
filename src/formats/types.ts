/** Log line severity as the producing format states it. A finding's criticality is `Severity`, not this. */
export type Level = 'trace' | 'debug' | 'info' | 'warning' | 'error' | 'fatal';

/**
 * How an event's time was obtained:
 * - `cri-prefix`: the kubelet log-API RFC3339Nano prefix (preferred, explicit offset);
 * - `explicit`: the line's own timestamp, with year and zone;
 * - `assumed-zone`: the line's own timestamp with year but without zone (Rancher `YYYY/MM/DD`), zone from context;
 * - `inferred-year`: a year-less timestamp (journald, klog, dmesg -T without year), year from the anchor, zone from context;
 * - `inherited`: no readable time, the previous line's time in the same file;
 * - `none`: no time at all (no earlier line had one either).
 */
export type TimeSource = 'cri-prefix' | 'explicit' | 'assumed-zone' | 'inferred-year' | 'inherited' | 'none';

/** Where times without a year or a zone are anchored. */
export interface TimeContext {
  /** Epoch ms the year of year-less times is inferred from (bundle creation time); null when unknown. */
  anchorMs: number | null;
  /** IANA zone (or 'UTC') for zone-less times. */
  zone: string;
}

/** One log line, normalised. `file`/`line` are its provenance; evidence cites them. */
export interface LogEvent {
  /** UTC epoch ms, or null. */
  time: number | null;
  timeSource: TimeSource;
  level: Level | null;
  /** The application message: `msg` of logrus/logfmt/JSON, the text after the header of klog/journald/dmesg. */
  message: string;
  /** Line layout, wrapper first: `cri/logrus`, `journald/logrus`, `journald`, `klog`, `json`, `logfmt`, `rancher`, `xtrace`, `plain`, `journal-marker`, ... */
  format: string;
  /** Key/values the format carries (logrus/logfmt/JSON fields; journald `host`, `ident`, `pid`; klog `source`). */
  fields: Record<string, string> | null;
  /** Path of the member (see MemberInfo.path). */
  file: string;
  /** 1-based line number in the member. */
  line: number;
  /** The line as read (decoded, without the line break), possibly cut at the line-length limit. */
  raw: string;
}
