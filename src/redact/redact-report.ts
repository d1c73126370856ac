import type { KeyEvent } from '../correlate/types.js';
import type { PostmortemReport } from '../report/model.js';
import { learnNamesFromText, learnObjectsFromText, NameBook } from './name-book.js';
import { createPseudonyms } from './pseudonyms.js';
import { createTextRedactor, type TextRedactor } from './redact-text.js';

export interface RedactOptions {
  /** `--redact-key`: tokens stable between runs and unguessable; null for the built-in key (one run consistent). */
  key: string | null;
}

/** Every string value of a JSON-like value, in document order. */
function* stringsOf(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsOf(item);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) yield* stringsOf(item);
}

/** A copy with every string value redacted (keys are field names and stay). */
function mapStrings<T>(value: T, text: TextRedactor): T {
  if (typeof value === 'string') return text(value) as T;
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, text)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, text)])) as T;
  }
  return value;
}

/**
 * The names a report gives away: its facts (cluster, bundle, nodes), its findings' nodes and subjects, and what the
 * log formats name in any of its strings (namespaces, VMs, node host names), then the objects of those namespaces.
 */
function learnReportNames(report: PostmortemReport): NameBook {
  const book = new NameBook(new Set([...report.findings.map((f) => f.ruleId), ...report.coverage.ruleFailures.map((f) => f.ruleId)]));
  const { bundle, upgrade } = report;
  book.add(bundle.clusterId, 'cluster');
  book.add(bundle.name, 'bundle');
  const nodes = [
    ...bundle.nodes,
    ...Object.keys(bundle.nodeReleases),
    ...(upgrade?.nodes.map((n) => n.name) ?? []),
    ...report.findings.map((f) => f.node),
    ...report.incidents.flatMap((i) => i.nodes),
    ...report.timeline.map((t) => t.node),
    ...report.keyEvents.map((e) => e.node),
    ...report.clockSkew.map((s) => s.node),
  ];
  for (const node of nodes) book.add(node, 'node');
  for (const finding of report.findings) {
    book.addSubject(finding.ruleId, finding.subject);
    const { namespace, vm } = finding.fields;
    if (typeof namespace === 'string' && typeof vm === 'string') book.addSubject(finding.ruleId, `${namespace}/${vm}`);
  }
  const strings = [...stringsOf(report)];
  for (const text of strings) learnNamesFromText(book, text);
  for (const text of strings) learnObjectsFromText(book, text);
  return book;
}

/**
 * The report with its names pseudonymised and its secrets masked, for pasting into a public ticket: IPs, MACs,
 * e-mails, host, node, VM, namespace and user names become stable tokens (`node-7f3a91c2`) everywhere a string
 * appears, finding and incident ids are re-keyed, and bundle paths lose their folders. Rule ids, severities, kinds,
 * times, versions and Harvester's own namespaces stay, so the story reads the same. Pure: the input is not changed.
 */
export function redactReport(report: PostmortemReport, options: RedactOptions): PostmortemReport {
  const pseudonyms = createPseudonyms(options.key);
  const text = createTextRedactor(learnReportNames(report), pseudonyms);
  const strings = <T>(value: T): T => mapStrings(value, text);
  const id = (value: string): string => pseudonyms.id(value);
  const keyEvent = (event: KeyEvent): KeyEvent => ({ ...strings(event), kind: event.kind });
  const { bundle, upgrade, coverage } = report;
  return {
    tool: report.tool,
    generatedAt: report.generatedAt,
    mode: report.mode,
    bundle: {
      ...strings(bundle),
      // The folders the bundle was read from are the analyst's, and may name the customer.
      path: text(bundle.path.split(', ').map((path) => path.split(/[\\/]/).pop()).join(', ')),
      kind: bundle.kind,
      packing: bundle.packing,
      kubernetesVersion: bundle.kubernetesVersion,
      harvesterVersion: bundle.harvesterVersion,
      nodeReleases: Object.fromEntries(Object.entries(bundle.nodeReleases).map(([node, release]) => [text(node), release])),
    },
    upgrade: upgrade && {
      ...strings(upgrade),
      fromVersion: upgrade.fromVersion,
      toVersion: upgrade.toVersion,
      state: upgrade.state,
      phases: upgrade.phases.map((phase) => ({ ...strings(phase), name: phase.name, status: phase.status })),
    },
    findings: report.findings.map((finding) => ({
      ...strings(finding),
      id: id(finding.id),
      ruleId: finding.ruleId,
      severity: finding.severity,
      title: finding.title,
      remediation: finding.remediation,
    })),
    incidents: report.incidents.map((incident) => ({
      ...strings(incident),
      id: id(incident.id),
      severity: incident.severity,
      verdict: incident.verdict,
      findingIds: incident.findingIds.map(id),
      chain: incident.chain.map((link) => ({
        ...strings(link),
        findingId: link.findingId === null ? null : id(link.findingId),
        event: link.event === null ? null : keyEvent(link.event),
        relation: link.relation,
      })),
    })),
    timeline: report.timeline.map((entry) => ({
      ...strings(entry),
      kind: entry.kind,
      findingId: entry.findingId === null ? null : id(entry.findingId),
    })),
    keyEvents: report.keyEvents.map(keyEvent),
    clockSkew: strings(report.clockSkew),
    coverage: {
      ...strings(coverage),
      byFormat: coverage.byFormat,
      limitsHit: coverage.limitsHit.map((hit) => ({ ...strings(hit), limit: hit.limit })),
      ruleFailures: coverage.ruleFailures.map((failure) => ({ ...strings(failure), ruleId: failure.ruleId })),
    },
  };
}
