import type { PostmortemReport } from '../report/model.js';
import type { BundleResult } from './types.js';

/** The part of a report a batch keeps. */
export const bundleResultOf = (report: PostmortemReport, input: string, hash: string, reportPath: string | null): BundleResult => ({
  input,
  hash,
  clusterId: report.bundle.clusterId,
  createdAt: report.bundle.createdAt,
  harvesterVersion: report.bundle.harvesterVersion,
  upgrade: report.upgrade && {
    name: report.upgrade.name,
    fromVersion: report.upgrade.fromVersion,
    toVersion: report.upgrade.toVersion,
    state: report.upgrade.state,
    durationSeconds: report.upgrade.durationSeconds,
  },
  findings: report.findings
    .filter((f) => f.severity !== 'informational')
    .map((f) => ({ id: f.id, ruleId: f.ruleId, severity: f.severity, node: f.node, subject: f.subject, firstSeen: f.firstSeen, count: f.count })),
  reportPath,
});
