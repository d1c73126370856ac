import { nodeStamps } from '../correlate/node-stamps.js';
import { clockTime } from '../util/time.js';
import type { Severity } from '../rules/types.js';
import type { UpgradeNodeStory, UpgradeStory } from '../correlate/types.js';
import { compareText } from '../util/compare.js';
import type { PostmortemReport } from './model.js';
import { isoText } from './format.js';
import { esc } from './html-text.js';
import type { FindingView, IncidentView, ReportView } from './view.js';

/**
 * An inline SVG of the upgrade: one swim lane per node with its phases as bars and markers, incidents as red
 * bands, findings as red dots, and a UTC time axis. Pure markup, no script; `<title>` children give tooltips.
 */

const WIDTH = 1100;
const LABEL_WIDTH = 160;
const RIGHT_PAD = 24;
const AXIS_HEIGHT = 30;
const LANE_HEIGHT = 56;
const LEGEND_HEIGHT = 44;
const BAR_Y = 10;
const BAR_HEIGHT = 16;
const DOT_Y = 38;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - RIGHT_PAD;

const PHASE_COLORS = {
  preload: '#94a3b8',
  preDrain: '#2563eb',
  drain: '#f59e0b',
  rke2: '#7c3aed',
  postDrain: '#0d9488',
  reboot: '#334155',
  succeeded: '#16a34a',
  incident: '#dc2626',
} as const;

const DOT_COLOR: Record<Severity, string> = {
  critical: '#991b1b',
  high: '#dc2626',
  medium: '#f87171',
  low: '#fca5a5',
  informational: '#fca5a5',
};

const MINUTE = 60_000;
const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10_080].map((m) => m * MINUTE);
const MAX_TICKS = 9;

interface Scale {
  start: number;
  end: number;
  x(ms: number): number;
}

const scaleOf = (times: readonly number[]): Scale | null => {
  if (times.length === 0) return null;
  const min = Math.min(...times);
  const max = Math.max(...times);
  const pad = Math.max((max - min) * 0.03, 5 * MINUTE);
  const start = min - pad;
  const end = max + pad;
  return { start, end, x: (ms) => LABEL_WIDTH + ((ms - start) / (end - start)) * PLOT_WIDTH };
};

const num = (n: number): string => (Math.round(n * 10) / 10).toString();

const title = (text: string): string => `<title>${esc(text)}</title>`;

const axis = (scale: Scale, height: number): string[] => {
  const span = scale.end - scale.start;
  const step = TICK_STEPS.find((s) => span / s <= MAX_TICKS) ?? TICK_STEPS[TICK_STEPS.length - 1];
  const multiDay = new Date(scale.start).toISOString().slice(0, 10) !== new Date(scale.end).toISOString().slice(0, 10);
  const out: string[] = [];
  for (let t = Math.ceil(scale.start / step) * step; t <= scale.end; t += step) {
    const x = num(scale.x(t));
    const iso = new Date(t).toISOString();
    const label = multiDay ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
    out.push(
      `<line x1="${x}" y1="${AXIS_HEIGHT - 6}" x2="${x}" y2="${height - LEGEND_HEIGHT}" class="grid"/>`,
      `<text x="${x}" y="${AXIS_HEIGHT - 10}" class="tick">${label}</text>`,
    );
  }
  out.push(`<text x="${LABEL_WIDTH - 10}" y="${AXIS_HEIGHT - 10}" class="axis-label">UTC</text>`);
  return out;
};

const bar = (scale: Scale, top: number, from: number, to: number, color: string, label: string): string => {
  const x = scale.x(from);
  const w = Math.max(scale.x(to) - x, 3);
  return `<rect x="${num(x)}" y="${top + BAR_Y}" width="${num(w)}" height="${BAR_HEIGHT}" rx="3" fill="${color}">${title(`${label}: ${clockTime(from)} → ${clockTime(to)}`)}</rect>`;
};

const diamond = (scale: Scale, top: number, at: number, color: string, label: string): string => {
  const x = scale.x(at);
  const y = top + BAR_Y + BAR_HEIGHT / 2;
  return `<path d="M${num(x)} ${y - 8}L${num(x + 8)} ${y}L${num(x)} ${y + 8}L${num(x - 8)} ${y}Z" fill="${color}" stroke="#fff" stroke-width="1.5">${title(`${label} ${clockTime(at)}`)}</path>`;
};

const triangle = (scale: Scale, top: number, at: number, color: string, label: string): string => {
  const x = scale.x(at);
  const y = top + BAR_Y + BAR_HEIGHT / 2;
  return `<path d="M${num(x - 7)} ${y + 7}L${num(x + 7)} ${y + 7}L${num(x)} ${y - 7}Z" fill="${color}" stroke="#fff" stroke-width="1.5">${title(`${label} ${clockTime(at)}`)}</path>`;
};

const circle = (scale: Scale, y: number, at: number, r: number, color: string, label: string): string =>
  `<circle cx="${num(scale.x(at))}" cy="${y}" r="${r}" fill="${color}" stroke="#fff" stroke-width="1.5">${title(label)}</circle>`;

const nodeMarks = (scale: Scale, top: number, n: UpgradeNodeStory): string[] => {
  const out: string[] = [];
  const at = (s: { time: number } | null): number | null => s?.time ?? null;
  const mid = top + BAR_Y + BAR_HEIGHT / 2;
  const [preStart, preEnd, rke2] = [at(n.preDrainStartedAt), at(n.preDrainFinishedAt), at(n.rke2UpgradedAt)];
  const [postStart, postEnd] = [at(n.postDrainStartedAt), at(n.postDrainFinishedAt)];
  if (n.imagesPreloadedAt) {
    const t = n.imagesPreloadedAt.time;
    out.push(circle(scale, mid, t, 4, PHASE_COLORS.preload, `Images preloaded ${clockTime(t)}`));
  }
  if (preStart !== null) out.push(bar(scale, top, preStart, preEnd ?? preStart, PHASE_COLORS.preDrain, 'Pre-drain'));
  // Rancher drains between the pre-drain hook and the RKE2 upgrade.
  if (preEnd !== null && rke2 !== null && rke2 > preEnd) out.push(bar(scale, top, preEnd, rke2, PHASE_COLORS.drain, 'Drain'));
  if (postStart !== null) out.push(bar(scale, top, postStart, postEnd ?? postStart, PHASE_COLORS.postDrain, 'Post-drain'));
  if (rke2 !== null) out.push(diamond(scale, top, rke2, PHASE_COLORS.rke2, 'RKE2 upgraded'));
  if (n.rebootedAt) out.push(triangle(scale, top, n.rebootedAt.time, PHASE_COLORS.reboot, 'Reboot'));
  if (n.succeededAt) {
    const t = n.succeededAt.time;
    out.push(circle(scale, mid, t, 5, PHASE_COLORS.succeeded, `Succeeded ${clockTime(t)}`));
  }
  return out;
};

/** The field report's anomaly: RKE2 replaced on a node before (or without) its pre-drain. */
const upgradedBeforePreDrain = (n: UpgradeNodeStory): boolean =>
  n.rke2UpgradedAt !== null && (n.preDrainStartedAt === null || n.preDrainStartedAt.time > n.rke2UpgradedAt.time);

const incidentBand = (scale: Scale, top: number, iv: IncidentView): string[] => {
  const i = iv.incident;
  if (i.start === null) return [];
  const x = scale.x(i.start);
  const w = Math.max(scale.x(i.end ?? i.start) - x, 6);
  return [
    `<rect x="${num(x)}" y="${top + 2}" width="${num(w)}" height="${LANE_HEIGHT - 4}" class="incident">${title(`${i.id} ${i.title} (${isoText(i.start)} → ${isoText(i.end)})`)}</rect>`,
    `<text x="${num(x + w + 4)}" y="${top + LANE_HEIGHT - 8}" class="incident-label">${esc(i.id)}</text>`,
  ];
};

/** A finding the figure can place: one with a first sighting, drawn there. */
interface TimedFinding {
  view: FindingView;
  at: number;
}

const findingDot = (scale: Scale, top: number, { view: f, at }: TimedFinding): string => {
  const r = f.finding.severity === 'critical' ? 6.5 : f.finding.severity === 'high' ? 5.5 : 4.5;
  const what = `${f.label} ${f.finding.severity} ${f.finding.ruleId}${f.finding.subject === null ? '' : ` ${f.finding.subject}`} at ${isoText(at)}`;
  return circle(scale, top + DOT_Y, at, r, DOT_COLOR[f.finding.severity], what);
};

const LEGEND: readonly [string, string, 'bar' | 'diamond' | 'triangle' | 'dot' | 'band'][] = [
  ['Images preloaded', PHASE_COLORS.preload, 'dot'],
  ['Pre-drain', PHASE_COLORS.preDrain, 'bar'],
  ['Drain', PHASE_COLORS.drain, 'bar'],
  ['RKE2 upgraded', PHASE_COLORS.rke2, 'diamond'],
  ['Post-drain', PHASE_COLORS.postDrain, 'bar'],
  ['Reboot', PHASE_COLORS.reboot, 'triangle'],
  ['Succeeded', PHASE_COLORS.succeeded, 'dot'],
  ['Incident', PHASE_COLORS.incident, 'band'],
  ['Finding', DOT_COLOR.high, 'dot'],
];

/** Without an upgrade only incidents and findings are drawn, so only they are explained. */
const legend = (y: number, withPhases: boolean): string[] => {
  let x = LABEL_WIDTH;
  const entries = withPhases ? LEGEND : LEGEND.filter(([label]) => label === 'Incident' || label === 'Finding');
  return entries.flatMap(([label, color, shape]) => {
    const cy = y + 8;
    const mark =
      shape === 'bar'
        ? `<rect x="${x}" y="${cy - 6}" width="18" height="12" rx="2" fill="${color}"/>`
        : shape === 'band'
          ? `<rect x="${x}" y="${cy - 7}" width="18" height="14" class="incident"/>`
          : shape === 'diamond'
            ? `<path d="M${x + 9} ${cy - 7}L${x + 16} ${cy}L${x + 9} ${cy + 7}L${x + 2} ${cy}Z" fill="${color}"/>`
            : shape === 'triangle'
              ? `<path d="M${x + 3} ${cy + 6}L${x + 15} ${cy + 6}L${x + 9} ${cy - 6}Z" fill="${color}"/>`
              : `<circle cx="${x + 9}" cy="${cy}" r="5" fill="${color}"/>`;
    const out = [mark, `<text x="${x + 24}" y="${cy + 4}" class="legend">${esc(label)}</text>`];
    x += 34 + label.length * 7.2;
    return out;
  });
};

export interface SvgTimeline {
  svg: string;
  /** Findings with a time outside the drawn window (e.g. long before the upgrade), listed but not drawn. */
  outside: number;
}

const STYLE = [
  '.grid{stroke:#e2e8f0;stroke-width:1}',
  '.tick,.axis-label{font:11px system-ui,sans-serif;fill:#64748b;text-anchor:middle}',
  '.axis-label{text-anchor:end;font-weight:600}',
  '.lane-label{font:600 12px system-ui,sans-serif;fill:#1f2937;text-anchor:end}',
  '.lane-sub{font:11px system-ui,sans-serif;fill:#64748b;text-anchor:end}',
  '.legend{font:12px system-ui,sans-serif;fill:#334155}',
  '.incident{fill:#dc2626;fill-opacity:.12;stroke:#dc2626;stroke-width:1.2}',
  '.incident-label{font:600 11px system-ui,sans-serif;fill:#b91c1c}',
  '.warn{font:600 11px system-ui,sans-serif;fill:#b91c1c;text-anchor:end}',
  '.window{fill:#cbd5e1}',
].join('');

/** The cluster lane: the upgrade window as a bar, its condition changes as ticks. */
const upgradeMarks = (scale: Scale, top: number, u: UpgradeStory): string[] => {
  if (u.startedAt === null) return [];
  const start = u.startedAt.time;
  const end = u.finishedAt?.time ?? scale.end;
  const width = Math.max(scale.x(end) - scale.x(start), 3);
  return [
    `<rect x="${num(scale.x(start))}" y="${top + BAR_Y + 4}" width="${num(width)}" height="${BAR_HEIGHT - 8}" rx="4" class="window">${title(`Upgrade ${u.name}: ${isoText(start)} → ${isoText(u.finishedAt?.time ?? null)}`)}</rect>`,
    ...u.phases.map((p) => {
      const x = num(scale.x(p.at.time));
      return `<line x1="${x}" y1="${top + BAR_Y}" x2="${x}" y2="${top + BAR_Y + BAR_HEIGHT}" stroke="#475569" stroke-width="2">${title(`${p.name} ${p.status} at ${isoText(p.at.time)}`)}</line>`;
    }),
  ];
};

const timesOf = (n: UpgradeNodeStory): number[] => nodeStamps(n).flatMap((s) => (s === null ? [] : [s.time]));

/** The swim-lane SVG, or null when nothing in the report has a time. */
export const svgTimeline = (report: PostmortemReport, view: ReportView): SvgTimeline | null => {
  const u = report.upgrade;
  // Informational findings are signals for correlation, not problems to mark.
  const plotted = view.findings.flatMap((f): TimedFinding[] =>
    f.finding.firstSeen === null || f.finding.severity === 'informational' ? [] : [{ view: f, at: f.finding.firstSeen }],
  );
  const core = [
    u?.startedAt?.time ?? null,
    u?.finishedAt?.time ?? null,
    ...(u?.phases ?? []).map((p) => p.at.time),
    ...view.nodes.flatMap(timesOf),
    ...view.incidents.flatMap((iv) => [iv.incident.start, iv.incident.end]),
  ].filter((t): t is number => t !== null);
  const scale = scaleOf(core.length > 0 ? core : plotted.map((f) => f.at));
  if (scale === null) return null;
  const inWindow = plotted.filter((f) => f.at >= scale.start && f.at <= scale.end);

  const nodeNames = [...new Set([...view.nodes.map((n) => n.name), ...report.bundle.nodes])].sort(compareText);
  // The first lane holds the upgrade itself and whatever belongs to no known node.
  const onClusterLane = (nodes: readonly (string | null)[]): boolean => !nodes.some((n) => n !== null && nodeNames.includes(n));
  const lanes = ['', ...nodeNames];
  const height = AXIS_HEIGHT + lanes.length * LANE_HEIGHT + LEGEND_HEIGHT;
  const label = u === null ? 'Findings by node over time (UTC)' : `Upgrade ${u.name} by node over time (UTC)`;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${esc(label)}" class="timeline">`,
    `<style>${STYLE}</style>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...lanes.map((_, i) => {
      const fill = i % 2 === 0 ? '#f8fafc' : '#ffffff';
      return `<rect x="0" y="${AXIS_HEIGHT + i * LANE_HEIGHT}" width="${WIDTH}" height="${LANE_HEIGHT}" fill="${fill}"/>`;
    }),
    ...axis(scale, height),
  ];
  lanes.forEach((lane, i) => {
    const top = AXIS_HEIGHT + i * LANE_HEIGHT;
    const node = view.nodes.find((n) => n.name === lane);
    const name = lane === '' ? (u === null ? 'Cluster' : 'Upgrade') : lane;
    const state = lane === '' ? (u?.state ?? '') : (node?.state ?? (u === null ? '' : 'no upgrade data'));
    out.push(
      `<text x="${LABEL_WIDTH - 10}" y="${top + 20}" class="lane-label">${esc(name)}</text>`,
      `<text x="${LABEL_WIDTH - 10}" y="${top + 34}" class="lane-sub">${esc(state)}</text>`,
    );
    if (node !== undefined && upgradedBeforePreDrain(node)) {
      out.push(`<text x="${LABEL_WIDTH - 10}" y="${top + 48}" class="warn">RKE2 before pre-drain</text>`);
    }
    if (lane === '' && u !== null) out.push(...upgradeMarks(scale, top, u));
    if (node !== undefined) out.push(...nodeMarks(scale, top, node));
    const belongs = (nodes: readonly (string | null)[]): boolean => (lane === '' ? onClusterLane(nodes) : nodes.includes(lane));
    out.push(
      ...view.incidents.filter((iv) => belongs(iv.incident.nodes)).flatMap((iv) => incidentBand(scale, top, iv)),
      ...inWindow.filter((f) => belongs([f.view.finding.node])).map((f) => findingDot(scale, top, f)),
    );
  });
  out.push(...legend(AXIS_HEIGHT + lanes.length * LANE_HEIGHT + 14, u !== null), '</svg>');
  return { svg: out.join('\n'), outside: plotted.length - inWindow.length };
};
