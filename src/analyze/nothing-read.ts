import type { PostmortemReport } from '../report/model.js';
import type { ScanResult } from './scan-bundle.js';

/**
 * The input held nothing usable: no log line, no object, no metadata, and something could not be read. Only then does
 * the CLI exit 2 after printing what it has; a partly readable input is an analysis (exit 0/1) with Coverage entries.
 */
export const scanReadNothing = (scan: Pick<ScanResult, 'coverage' | 'objects' | 'metadata'>): boolean =>
  scan.coverage.lines === 0 && scan.objects.length === 0 && scan.metadata === null && scan.coverage.unreadable.length > 0;

/** The same judgement from a finished report (objects show as nodes, metadata as the bundle time). */
export const reportReadNothing = (report: PostmortemReport): boolean =>
  report.coverage.lines === 0 &&
  report.bundle.nodes.length === 0 &&
  report.bundle.createdAt === null &&
  report.upgrade === null &&
  report.coverage.unreadable.length > 0;
