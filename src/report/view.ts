import type { Finding } from '../rules/types.js';
import type { Incident, Stamp, UpgradeNodeStory } from '../correlate/types.js';
import { compareText } from '../util/compare.js';
import type { PostmortemReport, TimelineEntry } from './model.js';
import {
  citation,
  compareFindings,
  compareIncidents,
  compareTimelineEntries,
  durationText,
  isoText,
  severityCountsText,
  sortedBy,
  versionsText,
} from './format.js';

/** What the Markdown, HTML and terminal renderers share: sorted, numbered, resolved once. */
export interface FindingView {
  /** 1-based position in the sorted findings, shown as `F<n>`. */
  number: number;
  label: string;
  anchor: string;
  finding: Finding;
}

export interface ChainStepView {
  relation: 'observed' | 'inferred';
  time: number | null;
  node: string | null;
  /** The key event's kind, or the linked finding's `F<n> rule-id`. */
  what: string;
  explanation: string;
  finding: FindingView | null;
  /** `file:line` the step is read from, null when neither event nor finding carries evidence. */
  cite: string | null;
}

export interface IncidentView {
  incident: Incident;
  findings: FindingView[];
  steps: ChainStepView[];
}

type StampKey = {
  [K in keyof UpgradeNodeStory]: UpgradeNodeStory[K] extends Stamp | null ? K : never;
}[keyof UpgradeNodeStory];

/** The per-node phase columns every report shows, in upgrade order. */
export const PHASE_COLUMNS: readonly { key: StampKey; label: string }[] = [
  { key: 'imagesPreloadedAt', label: 'Images preloaded' },
  { key: 'preDrainStartedAt', label: 'Pre-drain start' },
  { key: 'preDrainFinishedAt', label: 'Pre-drain end' },
  { key: 'rke2UpgradedAt', label: 'RKE2 upgraded' },
  { key: 'postDrainFinishedAt', label: 'Post-drain end' },
  { key: 'rebootedAt', label: 'Reboot' },
  { key: 'succeededAt', label: 'Succeeded' },
];

export interface ReadinessView {
  verdict: 'not-ready' | 'ready-with-caveats' | 'no-blockers';
  headline: string;
  /** Findings to act on before upgrading, most severe first (informational ones left out). */
  fixFirst: FindingView[];
}

export interface ReportView {
  findings: FindingView[];
  findingById: ReadonlyMap<string, FindingView>;
  incidents: IncidentView[];
  /** Upgrade nodes by name; empty without an upgrade. */
  nodes: UpgradeNodeStory[];
  timeline: TimelineEntry[];
  readiness: ReadinessView;
  /** `start → end (duration)` of the upgrade, null without one. */
  upgradeWindow: string | null;
}

const stepOf = (link: Incident['chain'][number], findingById: ReadonlyMap<string, FindingView>): ChainStepView => {
  const finding = link.findingId === null ? null : (findingById.get(link.findingId) ?? null);
  const event = link.event;
  const evidence = event?.evidence ?? finding?.finding.evidence[0] ?? null;
  return {
    relation: link.relation,
    time: event?.time ?? finding?.finding.firstSeen ?? null,
    node: event?.node ?? finding?.finding.node ?? null,
    what: event !== null ? event.kind : finding !== null ? `${finding.label} ${finding.finding.ruleId}` : 'step',
    explanation: link.explanation,
    finding,
    cite: evidence === null ? null : citation(evidence.file, evidence.line),
  };
};

const readinessOf = (findings: FindingView[]): ReadinessView => {
  const fixFirst = findings.filter((f) => f.finding.severity !== 'informational');
  const blockers = fixFirst.filter((f) => f.finding.severity === 'critical' || f.finding.severity === 'high').length;
  if (blockers > 0) {
    const noun = blockers === 1 ? 'finding' : 'findings';
    return { verdict: 'not-ready', headline: `Not ready: fix the ${blockers} critical or high ${noun} first.`, fixFirst };
  }
  if (fixFirst.length > 0) {
    return {
      verdict: 'ready-with-caveats',
      headline: `Ready with caveats: no critical or high findings; review the ${fixFirst.length} below before upgrading.`,
      fixFirst,
    };
  }
  return { verdict: 'no-blockers', headline: 'No blockers found in this bundle.', fixFirst };
};

const windowOf = (report: PostmortemReport): string | null => {
  const upgrade = report.upgrade;
  if (upgrade === null) return null;
  const start = isoText(upgrade.startedAt?.time ?? null);
  if (upgrade.finishedAt === null) return `${start} → not finished (state ${upgrade.state ?? 'unknown'})`;
  const duration = upgrade.durationSeconds === null ? '' : ` (${durationText(upgrade.durationSeconds)})`;
  return `${start} → ${isoText(upgrade.finishedAt.time)}${duration}`;
};

export const buildReportView = (report: PostmortemReport): ReportView => {
  const findings = sortedBy(report.findings, compareFindings).map((finding, i) => ({
    number: i + 1,
    label: `F${i + 1}`,
    anchor: `finding-${i + 1}`,
    finding,
  }));
  const findingById = new Map(findings.map((f) => [f.finding.id, f]));
  const incidents = sortedBy(report.incidents, compareIncidents).map((incident) => ({
    incident,
    findings: incident.findingIds
      .map((id) => findingById.get(id))
      .filter((f): f is FindingView => f !== undefined)
      .sort((a, b) => a.number - b.number),
    // The chain keeps its causal order.
    steps: incident.chain.map((link) => stepOf(link, findingById)),
  }));
  return {
    findings,
    findingById,
    incidents,
    nodes: sortedBy(report.upgrade?.nodes ?? [], (a, b) => compareText(a.name, b.name)),
    timeline: sortedBy(report.timeline, compareTimelineEntries),
    readiness: readinessOf(findings),
    upgradeWindow: windowOf(report),
  };
};

/** How a renderer marks up a cell: code spans and escaped text. */
export interface CellFormat {
  code(text: string): string;
  text(text: string): string;
}

/** The summary table of the Markdown and HTML reports, as label/value rows in the renderer's markup. */
export const summaryRows = (report: PostmortemReport, view: ReportView, f: CellFormat): [string, string][] => {
  const b = report.bundle;
  const u = report.upgrade;
  const incidents = report.incidents;
  const confirmed = incidents.filter((i) => i.verdict === 'confirmed').length;
  const rows: [string, string][] = [
    ['Cluster', b.clusterId === null ? 'unknown' : f.code(b.clusterId)],
    ['Bundle', `${f.code(b.name ?? b.path)}, created ${isoText(b.createdAt)}`],
    ['Harvester', f.text(b.harvesterVersion ?? 'unknown')],
    ['Kubernetes', f.text(b.kubernetesVersion ?? 'unknown')],
    ['Nodes', b.nodes.length === 0 ? 'unknown' : `${b.nodes.length}: ${[...b.nodes].sort(compareText).map(f.code).join(', ')}`],
  ];
  if (u === null) rows.push(['Upgrade', 'none in this bundle']);
  else {
    rows.push(
      ['Upgrade', `${f.code(u.name)} ${f.text(versionsText(report))}, state ${u.state === null ? 'unknown' : f.code(u.state)}`],
      ['Window', f.text(view.upgradeWindow ?? 'unknown')],
    );
    const by = u.startedBy;
    if (by.versionObject !== null || by.upgradeCheckerDisabled !== null) {
      const checker =
        by.upgradeCheckerDisabled === null ? '' : `, upgrade checker ${by.upgradeCheckerDisabled ? 'disabled' : 'enabled'}`;
      rows.push(['Started from', `Version ${by.versionObject === null ? 'unknown' : f.code(by.versionObject)}${checker}`]);
    }
  }
  rows.push(['Findings', f.text(severityCountsText(report.findings))]);
  if (report.mode === 'postmortem' || incidents.length > 0) {
    rows.push(['Incidents', `${incidents.length} (${confirmed} confirmed, ${incidents.length - confirmed} inconclusive)`]);
  }
  return rows;
};
