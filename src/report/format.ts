import { SEVERITIES, severityRank } from '../rules/types.js';
import type { Finding, Severity } from '../rules/types.js';
import type { Incident } from '../correlate/types.js';
import type { PostmortemReport } from './model.js';
import { compareText, compareTime } from '../util/compare.js';
import { clockTime, toIso } from '../util/time.js';

/** Where rule documentation lives unless the caller says otherwise; rules link to `<base>#<rule-id>`. */
export const DEFAULT_RULE_DOCS_BASE = 'rules/README.md';

/** Most severe first, then earliest, then by identity: a total order. */
export const compareFindings = (a: Finding, b: Finding): number =>
  severityRank(b.severity) - severityRank(a.severity) ||
  compareTime(a.firstSeen, b.firstSeen) ||
  compareText(a.ruleId, b.ruleId) ||
  compareText(a.node, b.node) ||
  compareText(a.subject, b.subject) ||
  compareText(a.id, b.id);

export const compareIncidents = (a: Incident, b: Incident): number =>
  severityRank(b.severity) - severityRank(a.severity) ||
  compareTime(a.start, b.start) ||
  compareText(a.id, b.id);

export { compareTimelineEntries } from '../correlate/timeline.js';

export const sortedBy = <T>(items: readonly T[], compare: (a: T, b: T) => number): T[] => [...items].sort(compare);

/** Severities from most to least severe. */
const SEVERITIES_DESC: readonly Severity[] = [...SEVERITIES].reverse();

/** `1 critical, 3 high, 2 medium`; only the levels present; `none` without findings. */
export const severityCountsText = (findings: readonly Finding[]): string => {
  const parts = SEVERITIES_DESC.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
};

/** ISO-8601 UTC with ms, or `unknown`. */
export const isoText = (ms: number | null): string => toIso(ms) ?? 'unknown';

/** `HH:MM:SS` of a UTC time. */

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * How times of one table are printed: `HH:MM:SS` when they all fall on one UTC day (named in `day`),
 * else full ISO-8601. Unknown times print as `unknown`.
 */
export interface TimeStyle {
  day: string | null;
  format(ms: number | null): string;
}

export const timeStyleFor = (times: readonly (number | null)[]): TimeStyle => {
  const days = new Set(times.filter((t): t is number => t !== null).map(dayOf));
  if (days.size !== 1) return { day: null, format: isoText };
  const [day] = days;
  return { day, format: (ms) => (ms === null ? 'unknown' : clockTime(ms)) };
};

/** `42s`, `12m 05s`, `4h 02m 10s`, `2d 03h 04m`. */
export const durationText = (seconds: number): string => {
  const total = Math.max(0, Math.round(seconds));
  const pad = (n: number): string => String(n).padStart(2, '0');
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${d}d ${pad(h)}h ${pad(m)}m`;
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
};

/** `1,234,567`, independent of the machine's locale. */
export const countText = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** `97.2 %` of a part; `n/a` of nothing. */
export const percentText = (part: number, whole: number): string =>
  whole === 0 ? 'n/a' : `${(Math.floor((part / whole) * 1000) / 10).toFixed(1)} %`;

/** `file:line`, or the file alone when the line is unknown. */
export const citation = (file: string, line: number | null): string => (line === null ? file : `${file}:${line}`);

/** Shortens text to `max` characters, saying how much was cut. */
export const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)} …[+${text.length - max} chars]`;

/** The cluster as a reader knows it: its id, else the bundle name, else the input path. */
export const clusterLabel = (report: PostmortemReport): string =>
  report.bundle.clusterId ?? report.bundle.name ?? report.bundle.path;

/** `v1.4.2 → v1.5.0` of the upgrade, or the bundle's Harvester version in readiness mode. */
export const versionsText = (report: PostmortemReport): string => {
  const upgrade = report.upgrade;
  if (upgrade === null) return `Harvester ${report.bundle.harvesterVersion ?? 'version unknown'}`;
  return `${upgrade.fromVersion ?? 'unknown'} → ${upgrade.toVersion ?? 'unknown'}`;
};

/** Which lines an analysis parses, for the Coverage section. */
export const PARSED_LINES = "each file's first lines and time span, every line a rule or key event could match";

/** When a finding was seen: one time, a span, or unknown. */
export const seenText = (first: number | null, last: number | null): string =>
  first === null ? 'time unknown' : last === null || last === first ? `seen ${isoText(first)}` : `seen ${isoText(first)} → ${isoText(last)}`;

/** An incident's span in the report's time style: from–to with its duration, open-ended, or unknown. */
export const spanText = (start: number | null, end: number | null, style: TimeStyle): string =>
  start === null
    ? 'time unknown'
    : end === null
      ? `from ${style.format(start)}`
      : `${style.format(start)} → ${style.format(end)} (${durationText((end - start) / 1000)})`;
