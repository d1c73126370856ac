import type { Severity } from '../rules/types.js';
import { compareText } from '../util/compare.js';
import type { PostmortemReport } from './model.js';
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
import { esc, htmlProse } from './html-text.js';
import { REPORT_SCHEMA_VERSION } from './render-json.js';
import { svgTimeline } from './svg-timeline.js';
import { buildReportView, PHASE_COLUMNS, summaryRows } from './view.js';
import type { FindingView, IncidentView, ReportView } from './view.js';

export interface HtmlOptions {
  /** Where rule documentation lives; rules link to `<ruleDocsBase>#<rule-id>`. */
  ruleDocsBase?: string;
}

/** Longest evidence line shown. */
const EVIDENCE_TEXT_MAX = 2000;

const CSS = `
:root{--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--panel:#f9fafb;--accent:#1d4ed8}
*{box-sizing:border-box}
body{margin:0;background:#eef1f5;color:var(--fg);font:14px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:24px auto;padding:28px 36px 40px;background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(15,23,42,.08)}
h1{font-size:24px;line-height:1.3;margin:0 0 4px}
h2{font-size:19px;margin:32px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:15px;margin:0 0 6px}
p{margin:6px 0}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.meta{color:var(--muted);margin-bottom:14px}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px}
code{background:#f1f5f9;border-radius:4px;padding:1px 4px}
pre{margin:8px 0 0;background:#0f172a;color:#e2e8f0;padding:10px 12px;border-radius:6px;overflow-x:auto;white-space:pre}
pre code{background:none;padding:0;color:inherit}
pre .cite{color:#93c5fd}
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600;white-space:nowrap}
tbody tr:nth-child(even) td{background:#fcfcfd}
td.nowrap{white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.time{white-space:nowrap;font-variant-numeric:tabular-nums}
td.unknown{color:#9ca3af;font-style:italic}
table.summary{width:auto;min-width:60%}
table.summary th{width:160px;background:none;color:var(--muted);font-weight:500}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:11px;font-weight:700;letter-spacing:.02em;text-transform:uppercase;white-space:nowrap}
.sev-critical{background:#7f1d1d;color:#fff}.sev-high{background:#dc2626;color:#fff}.sev-medium{background:#f59e0b;color:#1f2937}
.sev-low{background:#0ea5e9;color:#fff}.sev-informational{background:#e5e7eb;color:#374151}
.card{border:1px solid var(--line);border-left:5px solid #9ca3af;border-radius:8px;padding:12px 16px;margin:12px 0;background:#fff}
.card.critical{border-left-color:#7f1d1d}.card.high{border-left-color:#dc2626}.card.medium{border-left-color:#f59e0b}.card.low{border-left-color:#0ea5e9}
.verdict-line{color:var(--muted);margin:4px 0 8px}
.confirmed{color:#166534;font-weight:600}.inconclusive{color:#92400e;font-weight:600}
ol.chain{margin:6px 0 0;padding-left:22px}ol.chain li{margin:5px 0}
.rel{display:inline-block;min-width:68px;font-size:11px;font-weight:700;text-transform:uppercase;border-radius:4px;padding:0 6px;margin-right:4px;text-align:center}
.rel.observed{background:#dcfce7;color:#166534}.rel.inferred{background:#ede9fe;color:#5b21b6;font-style:italic}
.step-time{font-variant-numeric:tabular-nums;color:var(--muted);margin-right:4px}
.verdict{font-size:17px;font-weight:600;padding:12px 16px;border-radius:8px;margin:10px 0}
.verdict.not-ready{background:#fef2f2;color:#991b1b;border:1px solid #fecaca}
.verdict.ready-with-caveats{background:#fffbeb;color:#92400e;border:1px solid #fde68a}
.verdict.no-blockers{background:#f0fdf4;color:#166534;border:1px solid #bbf7d0}
ol.fix li{margin:8px 0}
.remediation{background:#f0f9ff;border-left:3px solid #0ea5e9;padding:6px 10px;border-radius:4px;margin:8px 0}
.fields{color:var(--muted);font-size:13px}
details{margin:8px 0}summary{cursor:pointer;color:var(--accent);font-weight:500}
.figure{border:1px solid var(--line);border-radius:8px;padding:8px;margin:10px 0;background:#fff}
.note{color:var(--muted);font-size:13px}
ul.coverage li{margin:3px 0}
footer{margin-top:36px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:10px}
`;

interface Context {
  report: PostmortemReport;
  view: ReportView;
  ruleDocsBase: string;
}

const badge = (severity: Severity): string => `<span class="badge sev-${severity}">${severity}</span>`;
const code = (text: string): string => `<code>${esc(text)}</code>`;
const ruleLink = (ctx: Context, ruleId: string): string =>
  `<a href="${esc(`${ctx.ruleDocsBase}#${ruleId.toLowerCase()}`)}">${esc(ruleId)}</a>`;
const findingLink = (f: FindingView): string => `<a href="#${f.anchor}">${f.label}</a>`;
const timeCell = (style: TimeStyle, ms: number | null): string =>
  ms === null ? '<td class="time unknown">unknown</td>' : `<td class="time">${style.format(ms)}</td>`;
const caption = (style: TimeStyle): string =>
  `<p class="note">${style.day === null ? 'Times are UTC.' : `Times are UTC on ${style.day}.`}</p>`;

const table = (head: readonly string[], rows: readonly string[][], cls = ''): string =>
  [
    `<table${cls === '' ? '' : ` class="${cls}"`}><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>`,
    ...rows.map((cells) => `<tr>${cells.join('')}</tr>`),
    '</tbody></table>',
  ].join('\n');

const td = (html: string, cls = ''): string => `<td${cls === '' ? '' : ` class="${cls}"`}>${html}</td>`;

const summary = (ctx: Context): string => {
  const rows = summaryRows(ctx.report, ctx.view, { code, text: esc });
  return [
    '<h2 id="summary">Summary</h2>',
    '<table class="summary"><tbody>',
    ...rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`),
    '</tbody></table>',
  ].join('\n');
};

const readiness = (ctx: Context): string => {
  const r = ctx.view.readiness;
  const c = ctx.report.coverage;
  const caveat =
    c.gaps.length + c.unreadable.length > 0
      ? `<p class="note">This verdict covers only what the bundle holds: ${c.gaps.length} gap(s) and ${c.unreadable.length} unreadable member(s), see <a href="#coverage">Coverage</a>.</p>`
      : '';
  const fixes = r.fixFirst.map((f) => {
    const where = f.finding.node === null ? '' : ` on ${code(f.finding.node)}`;
    const refs = `(${findingLink(f)}, ${ruleLink(ctx, f.finding.ruleId)})`;
    const remediation = `<div class="remediation">${htmlProse(f.finding.remediation)}</div>`;
    return `<li>${badge(f.finding.severity)} <strong>${esc(f.finding.title)}</strong>${where} ${refs}${remediation}</li>`;
  });
  return [
    '<h2 id="verdict">Verdict</h2>',
    `<div class="verdict ${r.verdict}">${esc(r.headline)}</div>`,
    caveat,
    ...(fixes.length > 0 ? ['<h3>What to fix first</h3>', '<ol class="fix">', ...fixes, '</ol>'] : []),
  ].join('\n');
};

const incidentCard = (iv: IncidentView, style: TimeStyle): string => {
  const i = iv.incident;
  const span = spanText(i.start, i.end, style);
  const verdict =
    i.verdict === 'confirmed'
      ? '<span class="confirmed">Confirmed</span>'
      : `<span class="inconclusive">Inconclusive:</span> ${esc(i.verdictReason ?? 'reason unknown')}`;
  const nodes = i.nodes.length === 0 ? 'no node' : `nodes ${[...i.nodes].sort(compareText).map(code).join(', ')}`;
  const findings = iv.findings.length === 0 ? '' : ` · findings ${iv.findings.map(findingLink).join(', ')}`;
  const steps = iv.steps.map((s) => {
    const what = s.finding === null ? esc(s.what) : `${findingLink(s.finding)} ${esc(s.finding.finding.ruleId)}`;
    const where = s.node === null ? '' : ` on ${code(s.node)}`;
    const cite = s.cite === null ? '<em>no evidence line</em>' : code(s.cite);
    const marks = `<span class="rel ${s.relation}">${s.relation}</span><span class="step-time">${style.format(s.time)}</span>`;
    return `<li>${marks} ${what}${where} — ${esc(s.explanation)} — ${cite}</li>`;
  });
  return [
    `<section class="card ${i.severity}" id="${esc(`incident-${i.id}`)}">`,
    `<h3>${badge(i.severity)} ${esc(i.id)} · ${esc(i.title)}</h3>`,
    `<p class="verdict-line">${verdict} · ${span} · ${nodes}${findings}</p>`,
    steps.length > 0 ? `<ol class="chain">\n${steps.join('\n')}\n</ol>` : '<p>No causal chain was built.</p>',
    '</section>',
  ].join('\n');
};

const incidents = (ctx: Context): string => {
  const { view } = ctx;
  if (view.incidents.length === 0) {
    return ctx.report.mode === 'postmortem' ? '<h2 id="incidents">Incidents</h2>\n<p>No incident was correlated.</p>' : '';
  }
  const style = timeStyleFor(view.incidents.flatMap((iv) => [iv.incident.start, iv.incident.end, ...iv.steps.map((s) => s.time)]));
  return [
    '<h2 id="incidents">Incidents</h2>',
    `<p class="note">${style.day === null ? 'Times are UTC.' : `Times are UTC on ${style.day}.`} Each step is <em>observed</em> in the evidence or <em>inferred</em> from it.</p>`,
    ...view.incidents.map((iv) => incidentCard(iv, style)),
  ].join('\n');
};

const timelineFigure = (ctx: Context): string => {
  const drawn = svgTimeline(ctx.report, ctx.view);
  if (drawn === null) return '';
  const outside = drawn.outside > 0 ? `<p class="note">${drawn.outside} finding(s) fall outside this window; they are listed below.</p>` : '';
  return `<div class="figure">\n${drawn.svg}\n</div>\n${outside}`;
};

const nodePhases = (ctx: Context): string => {
  const { report, view } = ctx;
  if (report.upgrade === null) {
    const figure = timelineFigure(ctx);
    return figure === '' ? '' : `<h2 id="timeline-figure">Findings over time</h2>\n${figure}`;
  }
  const style = timeStyleFor(view.nodes.flatMap((n) => PHASE_COLUMNS.map((c) => n[c.key]?.time ?? null)));
  const rows = view.nodes.map((n) => [
    td(code(n.name)),
    td(esc(n.state ?? 'unknown')),
    ...PHASE_COLUMNS.map((c) => timeCell(style, n[c.key]?.time ?? null)),
  ]);
  return [
    '<h2 id="upgrade-by-node">Upgrade by node</h2>',
    timelineFigure(ctx),
    `${caption(style)}`,
    rows.length > 0 ? table(['Node', 'State', ...PHASE_COLUMNS.map((c) => c.label)], rows) : '<p>The upgrade lists no nodes.</p>',
  ].join('\n');
};

const findingsTable = (ctx: Context): string => {
  const { view } = ctx;
  if (view.findings.length === 0) return '<h2 id="findings">Findings</h2>\n<p>No findings.</p>';
  const style = timeStyleFor(view.findings.map((f) => f.finding.firstSeen));
  const rows = view.findings.map((f) => [
    td(findingLink(f)),
    td(badge(f.finding.severity)),
    td(ruleLink(ctx, f.finding.ruleId), 'nowrap'),
    td(f.finding.node === null ? '' : code(f.finding.node), 'nowrap'),
    td(f.finding.subject === null ? '' : code(f.finding.subject)),
    timeCell(style, f.finding.firstSeen),
    td(String(f.finding.count), 'num'),
  ]);
  return ['<h2 id="findings">Findings</h2>', caption(style), table(['#', 'Severity', 'Rule', 'Node', 'Subject', 'First seen', 'Count'], rows)].join('\n');
};

const evidence = (f: FindingView): string => {
  const { evidence: lines, evidenceTotal } = f.finding;
  if (lines.length === 0) return '';
  const total = Math.max(evidenceTotal, lines.length);
  const body = lines
    .map((e) => `<span class="cite">${esc(citation(e.file, e.line))}</span>  ${esc(clip(e.text, EVIDENCE_TEXT_MAX))}`)
    .join('\n');
  return `<details><summary>Evidence: ${lines.length} of ${total} line(s)</summary><pre><code>${body}</code></pre></details>`;
};

const findingDetails = (ctx: Context): string =>
  ctx.view.findings.length === 0
    ? ''
    : [
        '<h2 id="finding-details">Finding details</h2>',
        ...ctx.view.findings.map((fv) => {
          const f = fv.finding;
          const seen = seenText(f.firstSeen, f.lastSeen);
          const facts = [
            `rule ${ruleLink(ctx, f.ruleId)}`,
            ...(f.node === null ? [] : [`node ${code(f.node)}`]),
            ...(f.subject === null ? [] : [`subject ${code(f.subject)}`]),
            seen,
            `${f.count} time(s)`,
          ];
          const fields = Object.entries(f.fields)
            .sort(([a], [b]) => compareText(a, b))
            .map(([k, v]) => `${esc(k)} ${code(String(v))}`);
          return [
            `<section class="card ${f.severity}" id="${fv.anchor}">`,
            `<h3>${badge(f.severity)} ${fv.label} · ${esc(f.title)}</h3>`,
            `<p class="verdict-line">${facts.join(' · ')}</p>`,
            `<p>${htmlProse(f.message)}</p>`,
            fields.length > 0 ? `<p class="fields">${fields.join(' · ')}</p>` : '',
            `<div class="remediation"><strong>Remediation:</strong> ${htmlProse(f.remediation)}</div>`,
            evidence(fv),
            '</section>',
          ]
            .filter((part) => part !== '')
            .join('\n');
        }),
      ].join('\n');

const timeline = (ctx: Context): string => {
  const entries = ctx.view.timeline;
  if (entries.length === 0) return '';
  const style = timeStyleFor(entries.map((e) => e.time));
  const rows = entries.map((e) => {
    const finding = e.findingId === null ? undefined : ctx.view.findingById.get(e.findingId);
    return [
      timeCell(style, e.time),
      td(e.node === null ? '' : code(e.node)),
      td(`${esc(e.kind)}${finding === undefined ? '' : ` ${findingLink(finding)}`}`),
      td(esc(e.summary)),
      td(e.file === null ? '' : code(citation(e.file, e.line))),
    ];
  });
  return [
    '<h2 id="timeline">Timeline</h2>',
    `<details><summary>${entries.length} events</summary>`,
    caption(style),
    table(['Time', 'Node', 'Event', 'Summary', 'Source'], rows),
    '</details>',
  ].join('\n');
};

const coverage = (ctx: Context): string => {
  const c = ctx.report.coverage;
  const list = <T>(label: string, items: readonly T[], item: (x: T) => string): string =>
    items.length === 0
      ? `<li><strong>${label}:</strong> none</li>`
      : `<li><strong>${label} (${items.length}):</strong><ul>${items.map((x) => `<li>${item(x)}</li>`).join('')}</ul></li>`;
  const formats = Object.entries(c.byFormat).sort(([a, x], [b, y]) => y - x || compareText(a, b));
  return [
    '<h2 id="coverage">Coverage</h2>',
    '<ul class="coverage">',
    `<li><strong>Files read:</strong> ${countText(c.files)} · <strong>lines:</strong> ${countText(c.lines)} · <strong>parsed:</strong> ${countText(c.linesParsed)} (${esc(PARSED_LINES)}) · <strong>with a time:</strong> ${percentText(c.linesWithTime, c.linesParsed)} of those parsed</li>`,
    list('Unreadable members', [...c.unreadable].sort((a, b) => compareText(a.file, b.file)), (u) => `${code(u.file)} — ${esc(u.reason)}`),
    list('Gaps', c.gaps, (g) => esc(g)),
    list('Limits hit', [...c.limitsHit].sort((a, b) => compareText(a.limit, b.limit)), (l) => `${code(l.limit)} × ${countText(l.count)}, e.g. ${code(l.example)}`),
    list(
      'Rule failures',
      [...c.ruleFailures].sort((a, b) => compareText(a.ruleId, b.ruleId) || compareText(a.at, b.at)),
      (r) => `${code(r.ruleId)}${r.at === null ? '' : ` at ${code(r.at)}`}: ${esc(r.error)}`,
    ),
    list(
      'Clock skew',
      [...ctx.report.clockSkew].sort((a, b) => compareText(a.node, b.node)),
      (s) => `${code(s.node)} ${s.offsetMs >= 0 ? '+' : ''}${countText(s.offsetMs)} ms (${esc(s.basis)})`,
    ),
    '</ul>',
    formats.length > 0
      ? table(
          ['Format', 'Parsed lines', 'Share'],
          formats.map(([format, lines]) => [td(code(format)), td(countText(lines), 'num'), td(percentText(lines, c.linesParsed), 'num')]),
        )
      : '',
  ].join('\n');
};

/** One self-contained HTML page: inline CSS and SVG, no script, nothing fetched from the network. */
export const renderHtml = (report: PostmortemReport, options: HtmlOptions = {}): string => {
  const ctx: Context = { report, view: buildReportView(report), ruleDocsBase: options.ruleDocsBase ?? DEFAULT_RULE_DOCS_BASE };
  const heading =
    report.mode === 'readiness'
      ? `Is this cluster ready to upgrade? ${clusterLabel(report)} · ${versionsText(report)}`
      : `Harvester upgrade post-mortem: cluster ${clusterLabel(report)} · ${versionsText(report)}`;
  const body =
    report.mode === 'readiness'
      ? [readiness(ctx), summary(ctx), nodePhases(ctx), findingsTable(ctx), incidents(ctx), findingDetails(ctx)]
      : [summary(ctx), incidents(ctx), nodePhases(ctx), findingsTable(ctx), findingDetails(ctx)];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(heading)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${esc(heading)}</h1>`,
    `<p class="meta">Generated by ${esc(report.tool.name)} ${esc(report.tool.version)} at ${isoText(report.generatedAt)} from ${code(report.bundle.path)} (${esc(report.bundle.kind)}, ${esc(report.bundle.packing)}).</p>`,
    ...body,
    timeline(ctx),
    coverage(ctx),
    `<footer>${esc(report.tool.name)} ${esc(report.tool.version)} · report schema version ${REPORT_SCHEMA_VERSION} · all times UTC</footer>`,
    '</main>',
    '</body>',
    '</html>',
  ]
    .filter((part) => part !== '')
    .join('\n')
    .concat('\n');
};
