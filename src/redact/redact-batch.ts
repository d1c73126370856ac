import type { BatchItem, BundleResult } from '../batch/types.js';
import { NameBook } from './name-book.js';
import { createPseudonyms, type Pseudonyms } from './pseudonyms.js';
import type { RedactOptions } from './redact-report.js';
import { createTextRedactor } from './redact-text.js';

/** A bundle's batch result with the tokens its redacted report uses for the same cluster, nodes, subjects and ids. */
function redactResult(result: BundleResult, pseudonyms: Pseudonyms): BundleResult {
  const book = new NameBook(new Set(result.findings.map((f) => f.ruleId)));
  book.add(result.clusterId, 'cluster');
  for (const finding of result.findings) {
    book.add(finding.node, 'node');
    book.addSubject(finding.ruleId, finding.subject);
  }
  const text = createTextRedactor(book, pseudonyms);
  return {
    ...result,
    clusterId: result.clusterId === null ? null : text(result.clusterId),
    upgrade: result.upgrade && { ...result.upgrade, name: text(result.upgrade.name) },
    findings: result.findings.map((finding) => ({
      ...finding,
      id: pseudonyms.id(finding.id),
      node: finding.node === null ? null : text(finding.node),
      subject: finding.subject === null ? null : text(finding.subject),
    })),
  };
}

/**
 * A batch's results as a redacted summary shows them. The history database keeps the real results (it stays on the
 * analyst's machine, like the bundles): redaction happens on the way out, with the key the reports were written with.
 * Input paths are the analyst's own and stay.
 */
export function redactBatchItems(items: readonly BatchItem[], options: RedactOptions): BatchItem[] {
  const pseudonyms = createPseudonyms(options.key);
  return items.map((item) =>
    item.status === 'analysed' || item.status === 'cached' ? { ...item, result: redactResult(item.result, pseudonyms) } : item,
  );
}
