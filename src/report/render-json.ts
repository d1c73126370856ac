import type { EvidenceRef, Finding } from '../rules/types.js';
import type { Incident, KeyEvent, Stamp, UpgradeStory } from '../correlate/types.js';
import { toIso } from '../util/time.js';
import { compareText, compareTime } from '../util/compare.js';
import type { Coverage, PostmortemReport, TimelineEntry } from './model.js';
import {
  compareFindings,
  compareIncidents,
  compareTimelineEntries,
  sortedBy,
} from './format.js';

/** Bumped on any incompatible change of the document's shape (schema/report.v1.schema.json). */
export const REPORT_SCHEMA_VERSION = 1;

const stampTime = (stamp: Stamp | null): string | null => toIso(stamp?.time ?? null);

const sortedRecord = <V>(record: Record<string, V>): Record<string, V> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b)));

const evidenceJson = (e: EvidenceRef) => ({ file: e.file, line: e.line, time: toIso(e.time), text: e.text });

const eventJson = (e: KeyEvent) => ({
  time: toIso(e.time),
  node: e.node,
  kind: e.kind,
  summary: e.summary,
  evidence: evidenceJson(e.evidence),
});

const upgradeJson = (u: UpgradeStory) => ({
  name: u.name,
  fromVersion: u.fromVersion,
  toVersion: u.toVersion,
  state: u.state,
  startedAt: stampTime(u.startedAt),
  finishedAt: stampTime(u.finishedAt),
  durationSeconds: u.durationSeconds,
  startedBy: { versionObject: u.startedBy.versionObject, upgradeCheckerDisabled: u.startedBy.upgradeCheckerDisabled },
  phases: sortedBy(u.phases, (a, b) => compareTime(a.at.time, b.at.time) || compareText(a.name, b.name)).map((p) => ({
    name: p.name,
    status: p.status,
    time: toIso(p.at.time),
  })),
  nodes: sortedBy(u.nodes, (a, b) => compareText(a.name, b.name)).map((n) => ({
    name: n.name,
    state: n.state,
    imagesPreloadedAt: stampTime(n.imagesPreloadedAt),
    preDrainStartedAt: stampTime(n.preDrainStartedAt),
    preDrainFinishedAt: stampTime(n.preDrainFinishedAt),
    rke2UpgradedAt: stampTime(n.rke2UpgradedAt),
    postDrainStartedAt: stampTime(n.postDrainStartedAt),
    postDrainFinishedAt: stampTime(n.postDrainFinishedAt),
    rebootedAt: stampTime(n.rebootedAt),
    succeededAt: stampTime(n.succeededAt),
  })),
});

const findingJson = (f: Finding) => ({
  id: f.id,
  ruleId: f.ruleId,
  severity: f.severity,
  title: f.title,
  message: f.message,
  node: f.node,
  subject: f.subject,
  firstSeen: toIso(f.firstSeen),
  lastSeen: toIso(f.lastSeen),
  count: f.count,
  remediation: f.remediation,
  // Evidence keeps the rule's order: the first lines seen.
  evidence: f.evidence.map(evidenceJson),
  evidenceTotal: f.evidenceTotal,
  fields: sortedRecord(f.fields),
});

const incidentJson = (i: Incident) => ({
  id: i.id,
  title: i.title,
  severity: i.severity,
  start: toIso(i.start),
  end: toIso(i.end),
  nodes: [...i.nodes].sort(compareText),
  findingIds: [...i.findingIds].sort(compareText),
  verdict: i.verdict,
  verdictReason: i.verdictReason,
  // The chain keeps its causal order.
  chain: i.chain.map((link) => ({
    findingId: link.findingId,
    event: link.event === null ? null : eventJson(link.event),
    relation: link.relation,
    explanation: link.explanation,
  })),
});

const timelineJson = (t: TimelineEntry) => ({
  time: toIso(t.time),
  node: t.node,
  kind: t.kind,
  summary: t.summary,
  findingId: t.findingId,
  file: t.file,
  line: t.line,
});

const coverageJson = (c: Coverage) => ({
  files: c.files,
  lines: c.lines,
  linesParsed: c.linesParsed,
  linesWithTime: c.linesWithTime,
  byFormat: sortedRecord(c.byFormat),
  unreadable: sortedBy(c.unreadable, (a, b) => compareText(a.file, b.file) || compareText(a.reason, b.reason)).map(
    (u) => ({ file: u.file, reason: u.reason }),
  ),
  gaps: [...c.gaps],
  limitsHit: sortedBy(c.limitsHit, (a, b) => compareText(a.limit, b.limit) || compareText(a.example, b.example)).map(
    (l) => ({ limit: l.limit, count: l.count, example: l.example }),
  ),
  ruleFailures: sortedBy(
    c.ruleFailures,
    (a, b) => compareText(a.ruleId, b.ruleId) || compareText(a.at, b.at) || compareText(a.error, b.error),
  ).map((r) => ({ ruleId: r.ruleId, error: r.error, at: r.at })),
});

/** The machine-readable report (schemaVersion 1): fixed key order, 2-space indent, trailing newline. */
export const renderJson = (report: PostmortemReport): string => {
  const b = report.bundle;
  const document = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: report.tool.name, version: report.tool.version },
    generatedAt: toIso(report.generatedAt),
    mode: report.mode,
    bundle: {
      path: b.path,
      kind: b.kind,
      packing: b.packing,
      name: b.name,
      clusterId: b.clusterId,
      createdAt: toIso(b.createdAt),
      kubernetesVersion: b.kubernetesVersion,
      harvesterVersion: b.harvesterVersion,
      nodes: [...b.nodes].sort(compareText),
    },
    upgrade: report.upgrade === null ? null : upgradeJson(report.upgrade),
    findings: sortedBy(report.findings, compareFindings).map(findingJson),
    incidents: sortedBy(report.incidents, compareIncidents).map(incidentJson),
    timeline: sortedBy(report.timeline, compareTimelineEntries).map(timelineJson),
    clockSkew: sortedBy(report.clockSkew, (a, b) => compareText(a.node, b.node) || compareText(a.basis, b.basis)).map(
      (s) => ({ node: s.node, offsetMs: s.offsetMs, basis: s.basis }),
    ),
    coverage: coverageJson(report.coverage),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
};
