import Table from 'cli-table3';
import type { Severity } from '../rules/types.js';
import type { PostmortemReport } from './model.js';
import {
  clusterLabel,
  countText,
  durationText,
  isoText,
  percentText,
  severityCountsText,
  timeStyleFor,
  versionsText,
} from './format.js';
import type { TimeStyle } from './format.js';
import { buildReportView, PHASE_COLUMNS } from './view.js';
import type { ReportView } from './view.js';

export interface TerminalOptions {
  /** ANSI colours; the CLI sets it only on a TTY without NO_COLOR. */
  color?: boolean;
}

const SEVERITY_STYLE: Record<Severity, string> = {
  critical: '1;31',
  high: '31',
  medium: '33',
  low: '36',
  informational: '2',
};

type Paint = (code: string, text: string) => string;

/** Longest cell texts, so tables keep one width whatever the data. */
const MAX_RULE = 34;
const MAX_NODE = 24;
const MAX_SUBJECT = 44;
const MAX_TITLE = 80;

/** Cuts the middle out of long names: both their namespace and their distinctive end stay readable. */
const fit = (text: string, max: number): string => {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
};

/** Plain box tables: colour, if any, is in the cells, never from cli-table3's own styling. */
const table = (head: string[], rows: string[][], paint: Paint, rightAligned: number[] = []): string => {
  const t = new Table({
    head: head.map((h) => paint('1', h)),
    colAligns: head.map((_, i) => (rightAligned.includes(i) ? 'right' : 'left')),
    style: { head: [], border: [], compact: true },
  });
  t.push(...rows);
  return t.toString();
};

const header = (report: PostmortemReport, view: ReportView, paint: Paint): string[] => {
  const b = report.bundle;
  const u = report.upgrade;
  const kind = report.mode === 'readiness' ? 'Upgrade readiness' : 'Harvester upgrade post-mortem';
  const lines = [
    paint('1', `${kind} · cluster ${clusterLabel(report)} · ${versionsText(report)}`),
    `Bundle    ${b.name ?? b.path} (created ${isoText(b.createdAt)}) · Harvester ${b.harvesterVersion ?? 'unknown'} · Kubernetes ${b.kubernetesVersion ?? 'unknown'} · ${b.nodes.length} node(s)`,
  ];
  if (u !== null) lines.push(`Upgrade   ${u.name} · ${u.state ?? 'state unknown'} · ${view.upgradeWindow ?? 'window unknown'}`);
  lines.push(`Findings  ${severityCountsText(report.findings)}`);
  return lines;
};

const readiness = (view: ReportView, paint: Paint): string[] => {
  const r = view.readiness;
  const code = r.verdict === 'not-ready' ? '1;31' : r.verdict === 'ready-with-caveats' ? '1;33' : '1;32';
  return [
    '',
    paint(code, r.headline),
    ...(r.fixFirst.length > 0 ? ['', paint('1', 'Fix first')] : []),
    ...r.fixFirst.flatMap((f, i) => [
      `  ${i + 1}. ${paint(SEVERITY_STYLE[f.finding.severity], f.finding.severity.toUpperCase())} ${f.label} ${f.finding.ruleId}${f.finding.node === null ? '' : ` on ${f.finding.node}`}: ${fit(f.finding.title, MAX_TITLE)}`,
      `     → ${f.finding.remediation}`,
    ]),
  ];
};

const incidents = (view: ReportView, paint: Paint): string[] => {
  if (view.incidents.length === 0) return [];
  const style = timeStyleFor(view.incidents.flatMap((iv) => [iv.incident.start, iv.incident.end, ...iv.steps.map((s) => s.time)]));
  return [
    '',
    paint('1', `Incidents (${style.day === null ? 'times UTC' : `times UTC on ${style.day}`})`),
    ...view.incidents.flatMap(({ incident: i, steps }) => {
      const span =
        i.start === null ? 'time unknown' : `${style.format(i.start)} → ${style.format(i.end)}${i.end === null ? '' : ` (${durationText((i.end - i.start) / 1000)})`}`;
      const verdict = i.verdict === 'confirmed' ? 'confirmed' : `inconclusive: ${i.verdictReason ?? 'reason unknown'}`;
      return [
        `  ${paint(SEVERITY_STYLE[i.severity], i.severity.toUpperCase())} ${i.id} ${i.title} · ${verdict} · ${span}`,
        ...steps.map((s, n) => {
          const relation = s.relation === 'observed' ? paint('32', 'observed') : paint('35', 'inferred');
          return `    ${n + 1}. ${relation} ${style.format(s.time)} ${s.what}${s.node === null ? '' : ` on ${s.node}`}: ${s.explanation} (${s.cite ?? 'no evidence line'})`;
        }),
      ];
    }),
  ];
};

const findings = (view: ReportView, paint: Paint): string[] => {
  if (view.findings.length === 0) return ['', 'No findings.'];
  const style = timeStyleFor(view.findings.map((f) => f.finding.firstSeen));
  const rows = view.findings.map(({ label, finding: f }) => [
    label,
    paint(SEVERITY_STYLE[f.severity], f.severity),
    fit(f.ruleId, MAX_RULE),
    fit(f.node ?? '', MAX_NODE),
    fit(f.subject ?? '', MAX_SUBJECT),
    style.format(f.firstSeen),
    String(f.count),
  ]);
  return [
    '',
    paint('1', `Findings (${style.day === null ? 'times UTC' : `times UTC on ${style.day}`})`),
    table(['#', 'Severity', 'Rule', 'Node', 'Subject', 'First seen', 'Count'], rows, paint, [6]),
  ];
};

const nodePhases = (report: PostmortemReport, view: ReportView, paint: Paint): string[] => {
  if (report.upgrade === null || view.nodes.length === 0) return [];
  const style: TimeStyle = timeStyleFor(view.nodes.flatMap((n) => PHASE_COLUMNS.map((c) => n[c.key]?.time ?? null)));
  const rows = view.nodes.map((n) => [
    fit(n.name, MAX_NODE),
    n.state ?? 'unknown',
    ...PHASE_COLUMNS.map((c) => {
      const at = n[c.key]?.time ?? null;
      return at === null ? paint('2', 'unknown') : style.format(at);
    }),
  ]);
  return [
    '',
    paint('1', `Upgrade by node (${style.day === null ? 'times UTC' : `times UTC on ${style.day}`})`),
    table(['Node', 'State', ...PHASE_COLUMNS.map((c) => c.label)], rows, paint),
  ];
};

const coverageLine = (report: PostmortemReport): string => {
  const c = report.coverage;
  return [
    `Coverage  ${countText(c.files)} files`,
    `${countText(c.lines)} lines (${countText(c.linesParsed)} parsed, ${percentText(c.linesWithTime, c.linesParsed)} of them with a time)`,
    `${c.unreadable.length} unreadable`,
    `${c.gaps.length} gap(s)`,
    `${c.limitsHit.length} limit(s) hit`,
    `${c.ruleFailures.length} rule failure(s)`,
  ].join(' · ');
};

/** Control characters from logs in caret notation (`^[`), so log text can neither colour nor break the output. */
const caret = (text: string): string =>
  text.replace(/[\x00-\x1f\x7f]/g, (c) => `^${String.fromCharCode(c.charCodeAt(0) ^ 0x40)}`);

const visible = <T>(value: T): T => {
  if (typeof value === 'string') return caret(value) as T;
  if (Array.isArray(value)) return value.map(visible) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visible(v)])) as T;
  }
  return value;
};

/** A compact summary for a terminal; no ANSI escapes at all unless `color`. */
export const renderTerminal = (input: PostmortemReport, options: TerminalOptions = {}): string => {
  const paint: Paint = options.color === true ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_code, text) => text;
  const report = visible(input);
  const view = buildReportView(report);
  const lines = [
    ...header(report, view, paint),
    ...(report.mode === 'readiness' ? readiness(view, paint) : []),
    ...incidents(view, paint),
    ...findings(view, paint),
    ...nodePhases(report, view, paint),
    '',
    coverageLine(report),
  ];
  return `${lines.join('\n')}\n`;
};
