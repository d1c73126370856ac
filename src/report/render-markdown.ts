import { compareText } from '../util/compare.js';
import type { PostmortemReport } from './model.js';
import type { Severity } from '../rules/types.js';
import {
  citation,
  clip,
  clusterLabel,
  countText,
  DEFAULT_RULE_DOCS_BASE,
  isoText,
  PARSED_LINES,
  percentText,
  seenText,
  spanText,
  timeStyleFor,
  versionsText,
} from './format.js';
import type { TimeStyle } from './format.js';
import { htmlText, mdCode, mdFence, mdProse, mdTable, mdText } from './markdown-text.js';
import { mermaidGantt } from './mermaid-gantt.js';
import { buildReportView, PHASE_COLUMNS, summaryRows } from './view.js';
import type { FindingView, IncidentView, ReportView } from './view.js';

export interface MarkdownOptions {
  /** Where rule documentation lives; rules link to `<ruleDocsBase>#<rule-id>`. */
  ruleDocsBase?: string;
  /** Size budget in bytes; evidence is trimmed (never findings) until the report fits. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 60_000;
/** Longest evidence line shown; log lines can be up to the reader's line limit. */
const EVIDENCE_TEXT_MAX = 1000;
const TIMELINE_ROWS_MAX = 200;

/** How much of the evidence and timeline one rendering shows. */
interface Budget {
  /** Evidence lines kept per critical or high finding. */
  evidenceLines: number;
  /** Evidence lines kept per medium, low or informational finding. */
  minorEvidenceLines: number;
  timelineRows: number;
  /** Whether each finding's fields are listed (they repeat what its message says in detail). */
  fields: boolean;
  /** Whether further findings of a rule shrink to table rows under its first one. */
  compactRepeats: boolean;
}

/**
 * Tried in order until one fits: the evidence of the findings that matter most is kept longest, the timeline is
 * shortened before the last lines of evidence of critical and high findings go.
 */
const BUDGETS: readonly Budget[] = [
  { evidenceLines: Number.POSITIVE_INFINITY, minorEvidenceLines: Number.POSITIVE_INFINITY, timelineRows: TIMELINE_ROWS_MAX, fields: true, compactRepeats: false },
  { evidenceLines: 5, minorEvidenceLines: 5, timelineRows: TIMELINE_ROWS_MAX, fields: true, compactRepeats: false },
  { evidenceLines: 5, minorEvidenceLines: 2, timelineRows: TIMELINE_ROWS_MAX, fields: true, compactRepeats: false },
  { evidenceLines: 3, minorEvidenceLines: 1, timelineRows: 100, fields: false, compactRepeats: false },
  { evidenceLines: 3, minorEvidenceLines: 1, timelineRows: 100, fields: false, compactRepeats: true },
  { evidenceLines: 2, minorEvidenceLines: 0, timelineRows: 50, fields: false, compactRepeats: true },
  { evidenceLines: 1, minorEvidenceLines: 0, timelineRows: 50, fields: false, compactRepeats: true },
  { evidenceLines: 1, minorEvidenceLines: 0, timelineRows: 0, fields: false, compactRepeats: true },
  { evidenceLines: 0, minorEvidenceLines: 0, timelineRows: 0, fields: false, compactRepeats: true },
];

const isMajor = (severity: Severity): boolean => severity === 'critical' || severity === 'high';

interface Context {
  report: PostmortemReport;
  view: ReportView;
  ruleDocsBase: string;
  maxBytes: number;
  budget: Budget;
  trimmed: boolean;
}

/** Spaces and parentheses would end a Markdown link destination early. */
const linkTarget = (url: string): string =>
  url.replace(/[ ()]/g, (c) => ({ ' ': '%20', '(': '%28', ')': '%29' })[c] ?? c);

const ruleLink = (ctx: Context, ruleId: string): string =>
  `[${mdText(ruleId)}](${linkTarget(`${ctx.ruleDocsBase}#${ruleId.toLowerCase()}`)})`;

const findingLink = (f: FindingView): string => `[${f.label}](#${f.anchor})`;

const timeCaption = (style: TimeStyle): string =>
  style.day === null ? 'Times are UTC.' : `Times are UTC on ${style.day}.`;

const title = (report: PostmortemReport): string =>
  report.mode === 'readiness'
    ? `# Is this cluster ready to upgrade? ${mdText(clusterLabel(report))} · ${mdText(versionsText(report))}`
    : `# Harvester upgrade post-mortem: cluster ${mdText(clusterLabel(report))} · ${mdText(versionsText(report))}`;

const trimNotice = (ctx: Context): string[] => {
  if (!ctx.trimmed) return [];
  const { evidenceLines, minorEvidenceLines, timelineRows } = ctx.budget;
  const evidence =
    evidenceLines === 0
      ? 'evidence excerpts were left out'
      : `evidence was trimmed to ${evidenceLines} line(s) per critical or high finding and ${minorEvidenceLines} per other finding`;
  const timeline = timelineRows < TIMELINE_ROWS_MAX ? ` and the timeline to ${timelineRows} rows` : '';
  const fields = ctx.budget.fields ? '' : ', finding fields left out';
  const compact = ctx.budget.compactRepeats ? ', repeated findings of a rule shown as table rows' : '';
  return [
    `> **Note:** ${evidence}${timeline}${fields}${compact} to keep this report under ${countText(ctx.maxBytes)} bytes. Every finding is still listed; the JSON and HTML reports carry all the evidence.`,
    '',
  ];
};

const summary = (ctx: Context): string[] => [
  '## Summary',
  '',
  ...mdTable(['', ''], summaryRows(ctx.report, ctx.view, { code: mdCode, text: mdText })),
  '',
];

const readiness = (ctx: Context): string[] => {
  const { readiness: r } = ctx.view;
  const coverage = ctx.report.coverage;
  const caveat =
    coverage.gaps.length + coverage.unreadable.length > 0
      ? [
          `This verdict covers only what the bundle holds: ${coverage.gaps.length} gap(s) and ${coverage.unreadable.length} unreadable member(s), see [Coverage](#coverage).`,
          '',
        ]
      : [];
  const fixes = r.fixFirst.flatMap((f, i) => [
    `${i + 1}. **${f.finding.severity}** · ${mdText(f.finding.title)}${f.finding.node === null ? '' : ` on ${mdCode(f.finding.node)}`} (${findingLink(f)}, ${ruleLink(ctx, f.finding.ruleId)})  `,
    `   ${mdProse(f.finding.remediation)}`,
  ]);
  return [
    '## Verdict',
    '',
    `**${mdText(r.headline)}**`,
    '',
    ...caveat,
    ...(fixes.length > 0 ? ['### What to fix first', '', ...fixes, ''] : []),
  ];
};

const incidentBlock = (ctx: Context, iv: IncidentView, style: TimeStyle): string[] => {
  const i = iv.incident;
  const span = spanText(i.start, i.end, style);
  const verdict =
    i.verdict === 'confirmed' ? '**Confirmed**' : `**Inconclusive:** ${mdText(i.verdictReason ?? 'reason unknown')}`;
  const nodes = i.nodes.length === 0 ? 'no node' : `nodes ${[...i.nodes].sort(compareText).map(mdCode).join(', ')}`;
  const findings = iv.findings.length === 0 ? '' : ` · findings ${iv.findings.map(findingLink).join(', ')}`;
  const steps = iv.steps.map((s, n) => {
    const relation = s.relation === 'observed' ? '**observed**' : '*inferred*';
    const what = s.finding === null ? mdText(s.what) : `${findingLink(s.finding)} ${mdText(s.finding.finding.ruleId)}`;
    const where = s.node === null ? '' : ` on ${mdCode(s.node)}`;
    const cite = s.cite === null ? 'no evidence line' : mdCode(s.cite);
    return `${n + 1}. ${relation} · ${style.format(s.time)} · ${what}${where} — ${mdText(s.explanation)} — ${cite}`;
  });
  return [
    `### ${mdText(i.id)} · ${i.severity} · ${mdText(i.title)}`,
    '',
    `${verdict} · ${span} · ${nodes}${findings}`,
    '',
    ...(steps.length > 0 ? steps : ['No causal chain was built.']),
    '',
  ];
};

const incidents = (ctx: Context): string[] => {
  const { view } = ctx;
  if (view.incidents.length === 0) return ctx.report.mode === 'postmortem' ? ['## Incidents', '', 'No incident was correlated.', ''] : [];
  const style = timeStyleFor(
    view.incidents.flatMap((iv) => [iv.incident.start, iv.incident.end, ...iv.steps.map((s) => s.time)]),
  );
  return ['## Incidents', '', `${timeCaption(style)} Each step is *observed* in the evidence or *inferred* from it.`, '', ...view.incidents.flatMap((iv) => incidentBlock(ctx, iv, style))];
};

const nodePhases = (ctx: Context): string[] => {
  const { report, view } = ctx;
  if (report.upgrade === null) return [];
  const style = timeStyleFor(view.nodes.flatMap((n) => PHASE_COLUMNS.map((c) => n[c.key]?.time ?? null)));
  const rows = view.nodes.map((n) => [
    mdCode(n.name),
    n.state === null ? 'unknown' : mdText(n.state),
    ...PHASE_COLUMNS.map((c) => style.format(n[c.key]?.time ?? null)),
  ]);
  const gantt = mermaidGantt(report, view.nodes, view.incidents) ?? [];
  return [
    '## Upgrade by node',
    '',
    `${timeCaption(style)} \`unknown\` means the bundle does not show the step.`,
    '',
    ...(rows.length > 0 ? mdTable(['Node', 'State', ...PHASE_COLUMNS.map((c) => c.label)], rows) : ['The upgrade lists no nodes.']),
    '',
    ...gantt,
    ...(gantt.length > 0 ? [''] : []),
  ];
};

const findingsTable = (ctx: Context): string[] => {
  const { view } = ctx;
  if (view.findings.length === 0) return ['## Findings', '', 'No findings.', ''];
  const style = timeStyleFor(view.findings.map((f) => f.finding.firstSeen));
  const rows = view.findings.map((f) => [
    findingLink(f),
    f.finding.severity,
    ruleLink(ctx, f.finding.ruleId),
    f.finding.node === null ? '' : mdCode(f.finding.node),
    f.finding.subject === null ? '' : mdCode(f.finding.subject),
    style.format(f.finding.firstSeen),
    String(f.finding.count),
  ]);
  return [
    '## Findings',
    '',
    timeCaption(style),
    '',
    ...mdTable(['#', 'Severity', 'Rule', 'Node', 'Subject', 'First seen', 'Count'], rows),
    '',
  ];
};

const evidenceBlock = (ctx: Context, f: FindingView): string[] => {
  const { evidence } = f.finding;
  const total = Math.max(f.finding.evidenceTotal, evidence.length);
  if (evidence.length === 0) return [];
  const shown = evidence.slice(0, isMajor(f.finding.severity) ? ctx.budget.evidenceLines : ctx.budget.minorEvidenceLines);
  if (shown.length === 0) return [`*Evidence left out to fit the size budget (${total} line(s) seen).*`, ''];
  const cut = shown.length < evidence.length ? ', trimmed to fit the size budget' : '';
  return [
    `<details><summary>${htmlText(`Evidence: ${shown.length} of ${total} line(s)${cut}`)}</summary>`,
    '',
    ...mdFence(shown.map((e) => `${citation(e.file, e.line)}: ${clip(e.text, EVIDENCE_TEXT_MAX)}`)),
    '',
    '</details>',
    '',
  ];
};

/** The first finding showing each remediation text: later findings with the same text point back to it. */
const remediationOwners = (findings: readonly FindingView[]): Map<string, FindingView> => {
  const owners = new Map<string, FindingView>();
  for (const fv of findings) if (!owners.has(fv.finding.remediation)) owners.set(fv.finding.remediation, fv);
  return owners;
};

const remediationLine = (fv: FindingView, owners: Map<string, FindingView>): string => {
  const owner = owners.get(fv.finding.remediation);
  return owner === undefined || owner === fv
    ? `**Remediation:** ${mdProse(fv.finding.remediation)}`
    : `**Remediation:** as for ${findingLink(owner)}.`;
};

const findingSection = (ctx: Context, fv: FindingView, owners: Map<string, FindingView>): string[] => {
  const f = fv.finding;
  const seen = seenText(f.firstSeen, f.lastSeen);
  const where = [
    f.node === null ? null : `node ${mdCode(f.node)}`,
    f.subject === null ? null : `subject ${mdCode(f.subject)}`,
  ].filter((p): p is string => p !== null);
  const fields = Object.entries(f.fields)
    .sort(([a], [b]) => compareText(a, b))
    .map(([k, v]) => `${mdText(k)} ${mdCode(String(v))}`);
  return [
    `<a id="${fv.anchor}"></a>`,
    '',
    `### ${fv.label} · ${f.severity} · ${mdText(f.title)}`,
    '',
    [`Rule ${ruleLink(ctx, f.ruleId)}`, ...where, seen, `${f.count} time(s)`].join(' · '),
    '',
    mdProse(f.message),
    '',
    ...(fields.length > 0 && ctx.budget.fields ? [`**Details:** ${fields.join(' · ')}`, ''] : []),
    remediationLine(fv, owners),
    '',
    ...evidenceBlock(ctx, fv),
  ];
};

/** Further findings of a rule already shown in full, one table row each (compact budgets). */
const repeatTable = (first: FindingView, repeats: readonly FindingView[]): string[] => {
  if (repeats.length === 0) return [];
  const rows = repeats.map((fv) => {
    const f = fv.finding;
    const cite = f.evidence[0] ? mdCode(citation(f.evidence[0].file, f.evidence[0].line)) : '';
    return [`<a id="${fv.anchor}"></a>${fv.label}`, f.severity, mdText(f.node ?? ''), mdText(f.subject ?? ''), isoText(f.firstSeen), String(f.count), cite];
  });
  return [
    `${repeats.length} more finding(s) of the same rule as ${findingLink(first)}, with the same remediation:`,
    '',
    ...mdTable(['#', 'Severity', 'Node', 'Subject', 'First seen', 'Count', 'First evidence'], rows),
    '',
  ];
};

const findingDetails = (ctx: Context): string[] => {
  if (ctx.view.findings.length === 0) return [];
  const owners = remediationOwners(ctx.view.findings);
  if (!ctx.budget.compactRepeats) {
    return ['## Finding details', '', ...ctx.view.findings.flatMap((fv) => findingSection(ctx, fv, owners))];
  }
  const byRule = new Map<string, FindingView[]>();
  for (const fv of ctx.view.findings) byRule.set(fv.finding.ruleId, [...(byRule.get(fv.finding.ruleId) ?? []), fv]);
  return [
    '## Finding details',
    '',
    ...[...byRule.values()].flatMap(([first, ...repeats]) => [...findingSection(ctx, first, owners), ...repeatTable(first, repeats)]),
  ];
};

const timeline = (ctx: Context): string[] => {
  const entries = ctx.view.timeline;
  if (entries.length === 0) return [];
  const shown = entries.slice(0, ctx.budget.timelineRows);
  const style = timeStyleFor(shown.map((e) => e.time));
  const rows = shown.map((e) => {
    const finding = e.findingId === null ? undefined : ctx.view.findingById.get(e.findingId);
    return [
      style.format(e.time),
      e.node === null ? '' : mdCode(e.node),
      finding === undefined ? mdText(e.kind) : `${mdText(e.kind)} ${findingLink(finding)}`,
      mdText(e.summary),
      e.file === null ? '' : mdCode(citation(e.file, e.line)),
    ];
  });
  const more = entries.length - shown.length;
  return [
    '## Timeline',
    '',
    `<details><summary>${htmlText(`${entries.length} events${more > 0 ? `, first ${shown.length} shown` : ''}`)}</summary>`,
    '',
    timeCaption(style),
    '',
    ...(rows.length > 0 ? mdTable(['Time', 'Node', 'Event', 'Summary', 'Source'], rows) : []),
    ...(more > 0 ? ['', `${more} more in the JSON report.`] : []),
    '',
    '</details>',
    '',
  ];
};

const coverage = (ctx: Context): string[] => {
  const c = ctx.report.coverage;
  const formats = Object.entries(c.byFormat).sort(([a, x], [b, y]) => y - x || compareText(a, b));
  const list = <T>(label: string, items: readonly T[], line: (item: T) => string): string[] =>
    items.length === 0 ? [`- **${label}:** none`] : [`- **${label} (${items.length}):**`, ...items.map((i) => `  - ${line(i)}`)];
  return [
    '<a id="coverage"></a>',
    '',
    '## Coverage',
    '',
    `- **Files read:** ${countText(c.files)} · **lines:** ${countText(c.lines)} · **parsed:** ${countText(c.linesParsed)} (${PARSED_LINES}) · **with a time:** ${percentText(c.linesWithTime, c.linesParsed)} of those parsed`,
    ...list(
      'Unreadable members',
      [...c.unreadable].sort((a, b) => compareText(a.file, b.file)),
      (u) => `${mdCode(u.file)} — ${mdText(u.reason)}`,
    ),
    ...list('Gaps', c.gaps, (g) => mdText(g)),
    ...list(
      'Limits hit',
      [...c.limitsHit].sort((a, b) => compareText(a.limit, b.limit)),
      (l) => `${mdCode(l.limit)} × ${countText(l.count)}, e.g. ${mdCode(l.example)}`,
    ),
    ...list(
      'Rule failures',
      [...c.ruleFailures].sort((a, b) => compareText(a.ruleId, b.ruleId) || compareText(a.at, b.at)),
      (r) => `${mdCode(r.ruleId)}${r.at === null ? '' : ` at ${mdCode(r.at)}`}: ${mdText(r.error)}`,
    ),
    ...list(
      'Clock skew',
      [...ctx.report.clockSkew].sort((a, b) => compareText(a.node, b.node)),
      (s) => `${mdCode(s.node)} ${s.offsetMs >= 0 ? '+' : ''}${countText(s.offsetMs)} ms (${mdText(s.basis)})`,
    ),
    '',
    ...(formats.length > 0
      ? [
          ...mdTable(
            ['Format', 'Parsed lines', 'Share'],
            formats.map(([format, lines]) => [mdCode(format), countText(lines), percentText(lines, c.linesParsed)]),
          ),
          '',
        ]
      : []),
  ];
};

const renderWith = (ctx: Context): string => {
  const { report } = ctx;
  const intro = `Generated by ${mdText(report.tool.name)} ${mdText(report.tool.version)} at ${isoText(report.generatedAt)} from ${mdCode(report.bundle.path)} (${report.bundle.kind}, ${report.bundle.packing}).`;
  const body =
    report.mode === 'readiness'
      ? [...readiness(ctx), ...summary(ctx), ...findingsTable(ctx), ...incidents(ctx), ...findingDetails(ctx)]
      : [...summary(ctx), ...incidents(ctx), ...nodePhases(ctx), ...findingsTable(ctx), ...findingDetails(ctx)];
  const lines = [title(report), '', ...trimNotice(ctx), intro, '', ...body, ...timeline(ctx), ...coverage(ctx)];
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
};

/** A Markdown report for a ticket, within `maxBytes` when trimming evidence can make it fit. */
export const renderMarkdown = (report: PostmortemReport, options: MarkdownOptions = {}): string => {
  const view = buildReportView(report);
  const base = {
    report,
    view,
    ruleDocsBase: options.ruleDocsBase ?? DEFAULT_RULE_DOCS_BASE,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
  };
  let text = '';
  for (const [i, budget] of BUDGETS.entries()) {
    text = renderWith({ ...base, budget, trimmed: i > 0 });
    if (Buffer.byteLength(text, 'utf8') <= base.maxBytes) return text;
  }
  return text;
};
